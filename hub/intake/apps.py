from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "hub.intake"
    label = "intake"
    verbose_name = _("Rumours and questions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from hub.intake import receivers

        page_published.connect(receivers.on_page_published, dispatch_uid="intake_page_published")
