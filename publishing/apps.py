from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from publishing import receivers

        page_published.connect(receivers.on_page_published, dispatch_uid="publishing_page_published")
        page_unpublished.connect(receivers.on_page_unpublished, dispatch_uid="publishing_page_unpublished")
