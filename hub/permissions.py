"""The hub's groups and what each may do: created by a migration, kept complete after every migrate.

`ensure_groups()` is idempotent; it only adds what is missing, so administrators may grant more.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    PagePermissionTester,
)

EDITORS = "Editors"
HEALTH_REVIEWERS = "Health reviewers"
POLICE_REVIEWERS = "Police reviewers"
APPROVERS = "Approvers"
CHANNEL_MANAGERS = "Channel managers"
GROUP_NAMES = (EDITORS, HEALTH_REVIEWERS, POLICE_REVIEWERS, APPROVERS, CHANNEL_MANAGERS)

# An organisation's own groups are named "<role> · <organisation slug>"; the role is the part before.
ROLE_SEPARATOR = " · "


def organisation_group_name(role: str, slug: str) -> str:
    return f"{role}{ROLE_SEPARATOR}{slug}"


def role_of(group_name: str) -> str | None:
    """The role of a group, whether the hub-wide one or an organisation's own."""
    role = group_name.split(ROLE_SEPARATOR, 1)[0]
    return role if role in GROUP_NAMES else None


def role_q(role: str, *, field: str = "name") -> Q:
    """Groups of one role: the hub-wide group and every organisation's own."""
    return Q(**{field: role}) | Q(**{f"{field}__startswith": role + ROLE_SEPARATOR})


ADMIN_ACCESS = "wagtailadmin.access_admin"
CHANGE_PHASE = "hub.change_campaignsettings"  # Wagtail site settings are guarded by change_<model>
RUN_EXERCISE = "hub.run_exercise"  # start and end exercise mode (docs/exercise.md)
# The office's monthly reports: approvers read and build them and keep the list of recipients.
REPORT_PERMISSIONS = [
    "reports.view_report",
    "reports.add_report",
    "reports.view_reportrecipient",
    "reports.add_reportrecipient",
    "reports.change_reportrecipient",
    "reports.delete_reportrecipient",
]

# Model permissions, as "app_label.codename".
MODEL_PERMISSIONS = {
    EDITORS: [ADMIN_ACCESS],
    HEALTH_REVIEWERS: [ADMIN_ACCESS],
    POLICE_REVIEWERS: [ADMIN_ACCESS],
    APPROVERS: [ADMIN_ACCESS, CHANGE_PHASE, RUN_EXERCISE, *REPORT_PERMISSIONS],
    CHANNEL_MANAGERS: [ADMIN_ACCESS],
}
# Rumour and question intake (hub/intake): reviewers and the office triage claims and file reports.
_INTAKE = [
    "intake.view_claim",
    "intake.change_claim",
    "intake.view_tip",
    "intake.add_tip",
    "intake.view_notification",
]
INTAKE_PERMISSIONS = {
    EDITORS: _INTAKE,
    HEALTH_REVIEWERS: _INTAKE,
    POLICE_REVIEWERS: _INTAKE,
    APPROVERS: _INTAKE,
}
# Every permission of these apps' models goes to the channel managers; publishing is read-only.

CHANNEL_APPS = ("social", "sms", "led", "loudspeaker", "zalo", "email")
CHANNEL_READ_ONLY_APPS = ("publishing",)

# Page permissions on the tree root, so they hold on every site. Editors never publish.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    APPROVERS: ["add_page", "change_page", "publish_page"],
}
# Image and document permissions on the root collection.
COLLECTION_PERMISSIONS = {
    EDITORS: [
        "add_hubimage",
        "change_hubimage",
        "choose_hubimage",
        "add_document",
        "change_document",
        "choose_document",
    ],
    HEALTH_REVIEWERS: ["choose_hubimage", "choose_document"],
    POLICE_REVIEWERS: ["choose_hubimage", "choose_document"],
    APPROVERS: [
        "add_hubimage",
        "change_hubimage",
        "choose_hubimage",
        "add_document",
        "change_document",
        "choose_document",
    ],
}
COLLECTION_APPS = {"hubimage": "media", "document": "wagtaildocs"}


def _permissions(dotted: list[str]) -> list[Permission]:
    condition = Q(pk__in=[])
    for name in dotted:
        app_label, codename = name.split(".", 1)
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(condition))


def _channel_permissions() -> list[Permission]:
    everything = Permission.objects.filter(content_type__app_label__in=CHANNEL_APPS)
    read_only = Permission.objects.filter(
        content_type__app_label__in=CHANNEL_READ_ONLY_APPS, codename__startswith="view_"
    )
    return [*everything, *read_only]


def ensure_groups() -> dict[str, Group]:
    """Create the hub's groups and grant their permissions; safe to run any number of times."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES}
    for name, dotted in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*_permissions(dotted))
    for name, dotted in INTAKE_PERMISSIONS.items():
        groups[name].permissions.add(*_permissions(dotted))
    groups[CHANNEL_MANAGERS].permissions.add(*_channel_permissions())

    from hub.organisations import permission_root_collection, permission_root_page

    root = permission_root_page()
    if root is not None:
        for name, codenames in PAGE_PERMISSIONS.items():
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=codenames
            ):
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root, permission=permission
                )

    collection = permission_root_collection()
    if collection is not None:
        for name, codenames in COLLECTION_PERMISSIONS.items():
            condition = Q(pk__in=[])
            for codename in codenames:
                model = codename.split("_", 1)[1]
                condition |= Q(content_type__app_label=COLLECTION_APPS[model], codename=codename)
            for permission in Permission.objects.filter(condition):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=collection, permission=permission
                )
    return groups


class StoryPermissionTester(PagePermissionTester):
    """What a user may do with a story: publishing is the workflow's, so only administrators
    (and the workflow's own last approval) publish, schedule, restrict or move a live story."""

    def _signing_off(self) -> bool:
        from hub.gate import is_signing_off

        return self.user.is_superuser or is_signing_off(self.page.pk)

    def can_publish(self):
        return super().can_publish() and self._signing_off()

    def can_unschedule(self):
        # Taking a scheduled go-live back never makes anything live.
        return self.user.is_superuser or "publish" in self.permissions

    def can_move_to(self, destination):
        if self.page.live and not self.user.is_superuser:
            return False  # the link every channel carries would change under the sign-off
        return super().can_move_to(destination)


class StoryParentPermissionTester(PagePermissionTester):
    """A section of stories: nobody but an administrator publishes straight into it (copy with
    publish, alias) or moves it while it holds live stories."""

    def can_publish_subpage(self):
        return self.user.is_superuser and super().can_publish_subpage()

    def can_copy_to(self, destination, recursive=False):
        if recursive and not self.user.is_superuser:
            from hub.gate import subtree_has_stories

            if subtree_has_stories(self.page, live_only=True):
                return False  # Wagtail keeps copies live unless told not to
        return super().can_copy_to(destination, recursive)

    def can_move_to(self, destination):
        if not self.user.is_superuser:
            from hub.gate import subtree_has_stories

            if subtree_has_stories(self.page, live_only=True):
                return False
        return super().can_move_to(destination)
