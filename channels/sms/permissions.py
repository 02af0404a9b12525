"""The Channel managers group gets the permissions to manage SMS partners and their keys."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CHANNEL_MANAGERS = "Channel managers"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("sms", "add_partner"),
    ("sms", "change_partner"),
    ("sms", "delete_partner"),
    ("sms", "view_partner"),
]


def grant_channel_managers(*, app_config, apps=None, using="default", **kwargs) -> None:
    """post_migrate: idempotently give Channel managers the SMS permissions that exist by now."""
    if app_config.label != "sms":
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
