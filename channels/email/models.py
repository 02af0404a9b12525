"""Recipient lists of each organisation (departments, districts, units, citizens who subscribed) and a
record of every message sent, one row per recipient, so a mail-out resumes without sending twice."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hub.languages import ADMIN_LANGUAGES


class ListKind(models.TextChoices):
    DEPARTMENT = "department", _("Departments")
    DISTRICT = "district", _("Districts")
    UNIT = "unit", _("Units")
    PUBLIC = "public", _("Citizens who subscribed")


class RecipientListQuerySet(models.QuerySet):
    def usable(self) -> "RecipientListQuerySet":
        return self.filter(active=True)

    def reaching(self, regions) -> "RecipientListQuerySet":
        from hub.models import Region

        regions = list(regions)
        if not regions:
            return self.all()
        overlapping = Region.objects.overlapping(regions)
        return self.filter(Q(regions__isnull=True) | Q(regions__in=overlapping)).distinct()


class RecipientList(models.Model):
    """Who gets a story by e-mail: an organisation's departments, districts or units, or its citizens."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=ListKind.choices, default=ListKind.DEPARTMENT)
    regions = models.ManyToManyField(
        "hub.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Stories for these regions go to this list. Empty means the whole province."),
    )
    active = models.BooleanField(pgettext_lazy("recipient list", "active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RecipientListQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("recipient list")
        verbose_name_plural = _("recipient lists")

    def __str__(self) -> str:
        return self.name

    @property
    def target_key(self) -> str:
        return f"list:{self.pk}"

    @property
    def is_public(self) -> bool:
        """Citizens' subscriptions: every message carries an unsubscribe link and List-Unsubscribe."""
        return self.kind == ListKind.PUBLIC


class RecipientQuerySet(models.QuerySet):
    def receiving(self) -> "RecipientQuerySet":
        """Confirmed, subscribed and not bouncing."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True, bounced_at__isnull=True)


class Recipient(models.Model):
    """One address on a list, with the region it belongs to and the language it reads."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    recipient_list = models.ForeignKey(
        RecipientList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="recipients"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name or unit"), max_length=160, blank=True)
    region = models.ForeignKey(
        "hub.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Stories for other regions are not sent to this address. Empty: every story."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=ADMIN_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    confirmed_at = models.DateTimeField(
        _("confirmed"), null=True, blank=True, help_text=_("Citizens confirm by e-mail (double opt-in).")
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.TextField(_("why it bounced"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["recipient_list", "email"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["recipient_list", "email"], name="email_recipient_once_per_list")
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.organisation_id is None and self.recipient_list_id is not None:
            self.organisation_id = self.recipient_list.organisation_id
        super().save(*args, **kwargs)


class EmailMessage(models.Model):
    """One delivery's mail-out to one list: the frozen message and, per recipient, what happened."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    recipient_list = models.ForeignKey(
        RecipientList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="messages"
    )
    marker = models.CharField(_("marker"), max_length=120, unique=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    retracted_at = models.DateTimeField(_("correction sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("e-mail mail-out")
        verbose_name_plural = _("e-mail mail-outs")

    def __str__(self) -> str:
        return f"{self.payload.get('title', '')} → {self.recipient_list}"


class SendKind(models.TextChoices):
    STORY = "story", _("Story")
    CORRECTION = "correction", _("Correction")


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DEFERRED = "deferred", _("Deferred (the server said try later)")
    REFUSED = "refused", _("Refused (bounced)")
    UNCERTAIN = "uncertain", _("Uncertain (the worker stopped while sending)")


class EmailSend(models.Model):
    """One message to one recipient. The unique row is the claim: no recipient gets a message twice."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        EmailMessage, verbose_name=_("mail-out"), on_delete=models.CASCADE, related_name="sends"
    )
    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="sends"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SendKind.choices, default=SendKind.STORY)
    status = models.CharField(
        _("status"), max_length=12, choices=SendStatus.choices, default=SendStatus.QUEUED
    )
    worker = models.CharField(_("worker"), max_length=64, blank=True)
    message_header = models.CharField(_("Message-ID"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["message", "pk"]
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "recipient", "kind"], name="email_send_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["message", "kind", "status"], name="email_send_status")]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.get_status_display()}"
