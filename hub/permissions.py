"""The hub's groups and what each may do: created by a migration, kept complete after every migrate.

`ensure_groups()` is idempotent; it only adds what is missing, so administrators may grant more.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITORS = "Editors"
HEALTH_REVIEWERS = "Health reviewers"
POLICE_REVIEWERS = "Police reviewers"
APPROVERS = "Approvers"
CHANNEL_MANAGERS = "Channel managers"
GROUP_NAMES = (EDITORS, HEALTH_REVIEWERS, POLICE_REVIEWERS, APPROVERS, CHANNEL_MANAGERS)

ADMIN_ACCESS = "wagtailadmin.access_admin"
CHANGE_PHASE = "hub.change_campaignsettings"  # Wagtail site settings are guarded by change_<model>
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
    APPROVERS: [ADMIN_ACCESS, CHANGE_PHASE, *REPORT_PERMISSIONS],
    CHANNEL_MANAGERS: [ADMIN_ACCESS],
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
    groups[CHANNEL_MANAGERS].permissions.add(*_channel_permissions())

    root = Page.get_first_root_node()
    if root is not None:
        for name, codenames in PAGE_PERMISSIONS.items():
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=codenames
            ):
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root, permission=permission
                )

    collection = Collection.get_first_root_node()
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
