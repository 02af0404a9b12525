"""Admin views for screen tokens: create (shown once), revoke (channels.devices.admin)."""

from django.utils.translation import gettext_lazy as _

from channels.devices.admin import DeviceTokensView
from channels.led.models import Screen
from hub.tenancy import scope


class ScreenTokensView(DeviceTokensView):
    """Lists a screen's tokens; POST `create` shows a new secret once, POST `revoke` ends one."""

    template_name = "led/screen_tokens.html"
    model = Screen
    permission = "led.change_screen"
    index_url_name = "led_screens:index"
    edit_url_name = "led_screens:edit"
    url_name = "led_screen_tokens"
    feed_path = "/api/led/v1/screens/{code}/playlist.json"
    section_label = _("LED screens")

    def get_device_queryset(self):
        return scope(Screen.objects.all(), self.request.user)

    def get_page_title(self):
        return _("Tokens of %(screen)s") % {"screen": self.device}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(screen=self.device, playlist_url=context["feed_url"])
        return context
