"""Monthly implementation reports: one row per (organisation, period, scope), with its files and figures."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel


class ReportStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_upload_to(instance: "Report", filename: str) -> str:
    """Under MEDIA_ROOT, with a random part so that a file address cannot be guessed."""
    start = timezone.localtime(instance.period_start).strftime("%Y-%m-%d")
    return f"reports/{instance.organisation.slug}/{start}-{secrets.token_hex(8)}-{filename}"


class Report(models.Model):
    """A built report: the figures it was built from (frozen) and the documents made of them."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"), help_text=_("The first moment after the period."))
    region = models.ForeignKey(
        "hub.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("story kind"), max_length=40, blank=True)
    # "region-code|kind": what makes two reports of one period different; empty parts mean "all".
    scope_key = models.CharField(max_length=100, editable=False, default="|")
    number = models.CharField(_("document number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.BUILDING
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    docx = models.FileField(_("document (DOCX)"), upload_to=report_upload_to, blank=True, max_length=255)
    xlsx = models.FileField(_("tables (XLSX)"), upload_to=report_upload_to, blank=True, max_length=255)
    pdf = models.FileField(_("document (PDF)"), upload_to=report_upload_to, blank=True, max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    build_seconds = models.FloatField(_("build time (s)"), null=True, blank=True)
    notified_at = models.DateTimeField(_("recipients notified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "organisation__name", "scope_key"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_start", "period_end", "scope_key"],
                name="report_once_per_period_and_scope",
            )
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.period_start)
        last_day = timezone.localtime(self.period_end) - timezone.timedelta(microseconds=1)
        return f"{self.organisation} {start:%d/%m/%Y}–{last_day:%d/%m/%Y}"

    @staticmethod
    def make_scope_key(*, region=None, kind: str = "") -> str:
        return f"{region.code if region is not None else ''}|{kind or ''}"


class ReportRecipient(models.Model):
    """Someone who receives the link to each new report of an organisation by e-mail."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="report_recipients",
    )
    name = models.CharField(pgettext_lazy("report recipient", "name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    active = models.BooleanField(pgettext_lazy("report recipient", "active"), default=True)

    panels = [FieldPanel("organisation"), FieldPanel("name"), FieldPanel("email"), FieldPanel("active")]

    class Meta:
        ordering = ["organisation__name", "email"]
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="report_recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email
