from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "channels.sms"
    label = "sms"
    verbose_name = _("SMS partners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels.permissions import grant_channel_managers
        from channels.sms.models import Partner
        from channels.sms.partners import on_coverage_changed, on_partner_saved

        m2m_changed.connect(on_coverage_changed, sender=Partner.coverage.through, dispatch_uid="sms_coverage")
        post_save.connect(on_partner_saved, sender=Partner, dispatch_uid="sms_partner_organisation")
        post_migrate.connect(grant_channel_managers, sender=self, dispatch_uid="sms_channel_managers")
