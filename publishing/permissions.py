"""Who may see and act on deliveries: Channel managers and superusers act; approvers also look."""

from hub.permissions import role_q

CHANNEL_MANAGERS = "Channel managers"
VIEWER_GROUPS = (CHANNEL_MANAGERS, "Approvers")


def can_manage_deliveries(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.has_perm("publishing.change_delivery")
        or user.groups.filter(role_q(CHANNEL_MANAGERS)).exists()
    )


def can_view_deliveries(user) -> bool:
    if can_manage_deliveries(user):
        return True
    return user.is_authenticated and (
        user.has_perm("publishing.view_delivery")
        or user.groups.filter(role_q(CHANNEL_MANAGERS) | role_q("Approvers")).exists()
    )
