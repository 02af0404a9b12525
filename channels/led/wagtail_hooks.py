"""Admin for Channel managers: LED screens (groups by region, offline list), tokens, playlist items."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from channels.devices.admin import DeviceFilterSet, LinkColumn, OfflineDevicesPanel
from channels.devices.admin import seen_label as device_seen_label
from channels.led.admin_views import ScreenTokensView
from channels.led.models import PlaylistItem, Screen
from hub.tenancy import OrganisationScopedViewSet, scope


def offline_minutes() -> int:
    return getattr(settings, "LED_OFFLINE_MINUTES", 15)


class ScreenFilterSet(DeviceFilterSet):
    """Screen groups: every screen in a region and below it; and the offline ones."""

    class Meta:
        model = Screen
        fields = ["active"]

    def offline_minutes(self) -> int:
        return offline_minutes()


def seen_label(screen: Screen) -> str:
    return device_seen_label(screen, minutes=offline_minutes())


class ScreenCreateView(generic.CreateView):
    """A new screen goes straight to its tokens page: it cannot poll without one."""

    def get_success_url(self):
        return reverse("led_screen_tokens", args=[self.object.pk])


class ScreenViewSet(OrganisationScopedViewSet):
    model = Screen
    add_view_class = ScreenCreateView
    icon = "desktop"
    menu_label = _("Screens")
    url_prefix = "led/screens"
    filterset_class = ScreenFilterSet
    search_fields = ["name", "code", "location"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["name", "code", "location", "region", "width", "height", "active", "last_seen_at"]
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="led_screens:edit"),
        Column("code", label=_("Code")),
        Column("region", label=_("Region")),
        Column("resolution", label=_("Resolution")),
        Column("seen", label=_("Status"), accessor=seen_label),
        LinkColumn("token_link", label=_("Tokens"), url_name="led_screen_tokens", text=_("Manage tokens")),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=Screen.objects.select_related("region"), **kwargs)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Playlist items are made by the publishing pipeline; people only look at them."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(user, action)


register_permission_policy(PlaylistItem, ReadOnlyPolicy(PlaylistItem))


class PlaylistItemViewSet(OrganisationScopedViewSet):
    model = PlaylistItem
    icon = "list-ul"
    menu_label = _("Playlist items")
    url_prefix = "led/items"
    list_filter = ["priority", "everywhere"]
    search_fields = ["text"]
    list_display = ["text", "priority", "valid_from", "valid_until", "retracted_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "text",
        "priority",
        "duration_s",
        "regions",
        "everywhere",
        "valid_from",
        "valid_until",
        "retracted_at",
        "publication",
    ]
    form_fields = ["text"]
    copy_view_enabled = False


class LedViewSetGroup(ViewSetGroup):
    items = (ScreenViewSet("led_screens"), PlaylistItemViewSet("led_items"))
    menu_icon = "desktop"
    menu_label = _("LED screens")
    menu_order = 320


@hooks.register("register_admin_viewset")
def register_led_viewsets():
    return LedViewSetGroup()


@hooks.register("register_admin_urls")
def register_led_urls():
    return [path("led/screens/<int:pk>/tokens/", ScreenTokensView.as_view(), name="led_screen_tokens")]


@hooks.register("construct_homepage_panels")
def add_offline_screens_panel(request, panels):
    if not request.user.has_perm("led.view_screen"):
        return
    offline = scope(Screen.objects.offline(minutes=offline_minutes()), request.user).select_related("region")
    total = offline.count()
    if total:
        message = ngettext(
            "%(counter)s LED screen has not polled for more than %(minutes)s minutes.",
            "%(counter)s LED screens have not polled for more than %(minutes)s minutes.",
            total,
        ) % {"counter": total, "minutes": offline_minutes()}
        panels.append(
            OfflineDevicesPanel(
                heading=_("LED screens"),
                message=message,
                devices=list(offline[:10]),
                list_url=reverse("led_screens:index") + "?status=offline",
                link_text=_("See the offline screens"),
            )
        )


@hooks.register("register_log_actions")
def register_led_log_actions(actions):
    from channels.led.views import ACTION_AUTH_FAILED

    actions.register_action(
        ACTION_AUTH_FAILED, _("LED feed authentication failure"), _("LED feed request refused")
    )
