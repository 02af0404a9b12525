from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoudspeakerConfig(AppConfig):
    name = "channels.loudspeaker"
    label = "loudspeaker"
    verbose_name = _("Loudspeakers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels.loudspeaker import signals

        signals.connect()
