"""Per-site settings: the campaign phase, and the log of its changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Phase(models.TextChoices):
    NEW_NORMAL = "new_normal", _("New normal: positive and inspiring")
    OUTBREAK = "outbreak", _("Outbreak: proactive, accurate, responsible")


@register_setting(icon="warning")
class CampaignSettings(BaseSiteSetting):
    phase = models.CharField(
        _("campaign phase"), max_length=16, choices=Phase.choices, default=Phase.NEW_NORMAL
    )
    outbreak_banner = models.CharField(
        _("outbreak banner"),
        max_length=255,
        blank=True,
        help_text=_("Shown at the top of every portal page during an outbreak."),
    )

    panels = [
        HelpPanel(
            content=_(
                "The phase changes every channel: priority, LED interrupts, SMS urgency and the "
                "portal banner. Every change is logged."
            )
        ),
        FieldPanel("phase"),
        FieldPanel("outbreak_banner"),
    ]

    class Meta:
        verbose_name = _("campaign phase")
        verbose_name_plural = _("campaign phase")

    @classmethod
    def get_permission_policy(cls):
        from hub.tenancy import OrganisationSitePermissionPolicy

        return OrganisationSitePermissionPolicy(cls)

    @property
    def is_outbreak(self) -> bool:
        return self.phase == Phase.OUTBREAK


class PhaseChange(models.Model):
    """One switch of a site's campaign phase: who, when, from what to what."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    from_phase = models.CharField(_("from"), max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=16, choices=Phase.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"
