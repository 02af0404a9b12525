from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapConfig(AppConfig):
    name = "channels.cap"
    label = "cap"
    verbose_name = _("Alerts (CAP)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels.cap import signing  # noqa: F401  (registers its system check)
