from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    """The device layer shared by pull-feed devices (loudspeaker stations; LED screens)."""

    name = "channels.devices"
    label = "devices"
    verbose_name = _("Devices")

    def ready(self) -> None:
        from channels.devices import logfilter

        logfilter.install()
