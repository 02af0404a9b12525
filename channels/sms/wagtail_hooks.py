"""Admin of the SMS partners: audit-log actions, the partner viewset, keys and the stale-pull warning."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from channels.sms.keys import ACTION_AUTH_FAILED, ACTION_CREATED, ACTION_REVOKED


@hooks.register("register_log_actions")
def register_sms_log_actions(actions):
    actions.register_action(ACTION_CREATED, _("Create SMS API key"), _("SMS API key created"))
    actions.register_action(ACTION_REVOKED, _("Revoke SMS API key"), _("SMS API key revoked"))
    actions.register_action(
        ACTION_AUTH_FAILED, _("SMS API authentication failure"), _("SMS API request refused")
    )
