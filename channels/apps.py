from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from channels import registry

        setting_changed.connect(registry.reset_on_setting_change)
