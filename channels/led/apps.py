from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedConfig(AppConfig):
    name = "channels.led"
    label = "led"
    verbose_name = _("LED screens")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels.devices import logfilter
        from channels.led import signals

        signals.connect()
        logfilter.install()
