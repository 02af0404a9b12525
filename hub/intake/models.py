"""Reports of rumours and questions (tips), the claims they are grouped into, and the replies owed.

A reporter's contact is personal data: it lives in its own table (`Contact`), is shown only to the
claim's assigned group, and is erased after `INTAKE_CONTACT_RETENTION_DAYS` or on request.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TipKind(models.TextChoices):
    RUMOUR = "rumour", _("Rumour or false information")
    QUESTION = "question", _("Question")


class TipSource(models.TextChoices):
    PORTAL = "portal", _("Portal form")
    SMS = "sms", _("SMS")
    STAFF = "staff", _("Official")


class ClaimStatus(models.TextChoices):
    NEW = "new", _("New")
    VERIFYING = "verifying", _("Verifying")
    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    TRUE = "true", _("True")
    NOT_CHECKABLE = "not_checkable", _("Not checkable")
    ANSWERED = "answered", _("Answered")


class ClaimTopic(models.TextChoices):
    FAKE_NEWS = "fake_news", _("Fake news (police)")
    MEDICAL = "medical", _("Medical (health department)")
    OTHER = "other", _("Other (office)")


class Claim(models.Model):
    """One rumour or question as the office handles it, however many people reported it."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="claims"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TipKind.choices, default=TipKind.RUMOUR)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("what is said"))
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.NEW, db_index=True
    )
    topic = models.CharField(_("topic"), max_length=16, choices=ClaimTopic.choices, default=ClaimTopic.OTHER)
    assigned_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("assigned group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Police reviewers for fake news, health reviewers for medical claims."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    priority = models.PositiveIntegerField(_("priority"), default=0, db_index=True)
    tip_count = models.PositiveIntegerField(_("reports"), default=0)
    region_count = models.PositiveIntegerField(_("regions"), default=0)
    first_reported_at = models.DateTimeField(_("first reported"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("last reported"), null=True, blank=True)
    notes = models.TextField(_("verification notes"), blank=True)
    rebuttal = models.ForeignKey(
        "hub.RebuttalPage",
        verbose_name=_("rebuttal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_claims",
    )
    answer = models.TextField(_("answer"), blank=True, help_text=_("For questions: shown on the portal."))
    answered_at = models.DateTimeField(_("answer published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-priority", "-last_reported_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [models.Index(fields=["organisation", "kind", "status"])]

    def __str__(self) -> str:
        return self.title


def screenshot_path(instance, filename: str) -> str:
    return f"intake/{uuid.uuid4().hex}.jpg"


class Tip(models.Model):
    """One report, as it came in through the portal, an SMS partner or an official."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="tips"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tips"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TipKind.choices, default=TipKind.RUMOUR)
    source = models.CharField(_("received through"), max_length=16, choices=TipSource.choices)
    text = models.TextField(_("what was seen or asked"))
    normalized = models.TextField(editable=False, default="")
    link = models.URLField(_("link"), max_length=1000, blank=True)
    link_key = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    screenshot = models.FileField(_("screenshot"), upload_to=screenshot_path, blank=True)
    image_hash = models.CharField(max_length=16, blank=True, editable=False, db_index=True)
    seen_where = models.CharField(_("where it was seen"), max_length=255, blank=True)
    seen_on = models.DateField(_("when it was seen"), null=True, blank=True)
    region = models.ForeignKey(
        "hub.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner = models.ForeignKey(
        "sms.Partner",
        verbose_name=_("SMS partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_id = models.CharField(_("partner's message id"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "external_id"],
                condition=~models.Q(external_id=""),
                name="intake_tip_unique_partner_message",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone (SMS)")
    EMAIL = "email", _("E-mail")


class Contact(models.Model):
    """How to reach a reporter for the reply: personal data, erased on schedule or on request."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    tip = models.OneToOneField(
        Tip, verbose_name=_("report"), on_delete=models.CASCADE, related_name="contact"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    value = models.CharField(_("contact"), max_length=254, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        if self.kind == ContactKind.EMAIL:
            name, _sep, domain = self.value.partition("@")
            return f"{name[:1]}…@{domain}"
        return f"…{self.value[-3:]}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    HANDED_OVER = "handed_over", _("Handed to the SMS partner")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled (contact erased)")


class Notification(models.Model):
    """The one reply a reporter gets when the answer is out (one row per report, never two)."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    tip = models.OneToOneField(
        Tip, verbose_name=_("report"), on_delete=models.CASCADE, related_name="notification"
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=ContactKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    text = models.TextField(_("text"))
    partner = models.ForeignKey(
        "sms.Partner",
        verbose_name=_("SMS partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reporter notification")
        verbose_name_plural = _("reporter notifications")
        indexes = [models.Index(fields=["channel", "status"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} – {self.get_status_display()}"
