"""The Channel managers group gets the permissions to manage social accounts."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CHANNEL_MANAGERS = "Channel managers"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("social", "add_channelaccount"),
    ("social", "change_channelaccount"),
    ("social", "delete_channelaccount"),
    ("social", "view_channelaccount"),
    ("social", "view_sandboxpost"),
    ("social", "delete_sandboxpost"),
]


def grant_channel_managers(*, app_config, apps=None, using="default", **kwargs) -> None:
    """post_migrate: idempotently give Channel managers the social permissions that exist by now."""
    if app_config.label != "social":
        return
    apps = apps or global_apps
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=CHANNEL_MANAGERS)
    for app_label, codename in PERMISSIONS:
        permission = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is not None:
            group.permissions.add(permission)
