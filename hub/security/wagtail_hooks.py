"""Admin wiring: the lock-outs screen in the Settings menu, and the audit-log actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub.security import views
from hub.security.lockouts import ACTION_LIFTED, ACTION_LOCKED_OUT


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/lockouts/", views.lockouts_view, name="security_lockouts"),
        path("security/lockouts/<int:pk>/lift/", views.lockout_lift_view, name="security_lockout_lift"),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_manage_lockouts(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(_("Sign-in lock-outs"), reverse("security_lockouts"), icon_name="lock", order=900)


@hooks.register("register_log_actions")
def register_security_log_actions(actions):
    actions.register_action(ACTION_LOCKED_OUT, _("Sign-in lock-out"), _("Locked out after failed sign-ins"))
    actions.register_action(ACTION_LIFTED, _("Lift sign-in lock-out"), _("Sign-in lock-out lifted"))
