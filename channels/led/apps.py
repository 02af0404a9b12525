from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedConfig(AppConfig):
    """LED screens: one device kind of channels.devices (which also keeps `token=` out of the logs)."""

    name = "channels.led"
    label = "led"
    verbose_name = _("LED screens")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels.led import signals

        signals.connect()
