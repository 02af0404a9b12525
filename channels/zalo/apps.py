from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ZaloConfig(AppConfig):
    name = "channels.zalo"
    label = "zalo"
    verbose_name = _("Zalo Official Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels.permissions import grant_channel_managers

        post_migrate.connect(grant_channel_managers, sender=self, dispatch_uid="zalo_channel_managers")
