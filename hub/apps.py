from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Editorial hub")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hub import cdn
        from hub.cache import connect_purge_signals

        connect_purge_signals()
        cdn.connect_purge_signals()

        from hub import sitemaps

        sitemaps.connect()

        from hub.signals import connect_workflow_signals

        connect_workflow_signals(self)

        from hub import syndication

        syndication.connect()

        from hub.groups import translate_group_names

        translate_group_names()

        from hub.translations import connect_translation_signals

        connect_translation_signals()
