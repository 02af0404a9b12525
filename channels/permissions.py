"""The Channel managers group gets, after each channel app's migrations, the permissions to manage it."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CHANNEL_MANAGERS = "Channel managers"
GRANTS = {
    "zalo": [
        "add_zaloaccount",
        "change_zaloaccount",
        "delete_zaloaccount",
        "view_zaloaccount",
        "view_zalopost",
    ],
    "email": [
        "add_recipientlist",
        "change_recipientlist",
        "delete_recipientlist",
        "view_recipientlist",
        "add_recipient",
        "change_recipient",
        "delete_recipient",
        "view_recipient",
        "view_emailmessage",
        "view_emailsend",
    ],
    "sms": ["add_partner", "change_partner", "delete_partner", "view_partner"],
    "social": [
        "add_channelaccount",
        "change_channelaccount",
        "delete_channelaccount",
        "view_channelaccount",
        "view_sandboxpost",
        "delete_sandboxpost",
    ],
}


def grant_channel_managers(*, app_config, apps=None, using="default", **kwargs) -> None:
    """post_migrate: idempotently give Channel managers the app's permissions that exist by now."""
    codenames = GRANTS.get(app_config.label)
    if codenames is None:
        return
    apps = apps or global_apps
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(using).get_or_create(name=CHANNEL_MANAGERS)
    wanted = [("wagtailadmin", "access_admin")] + [(app_config.label, codename) for codename in codenames]
    for app_label, codename in wanted:
        permission = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is not None:
            group.permissions.add(permission)
