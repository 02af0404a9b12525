"""Who may see and build reports: superusers and whoever holds the model permissions (Approvers)."""


def can_view_reports(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("reports.view_report"))
    )


def can_build_reports(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("reports.add_report"))
    )
