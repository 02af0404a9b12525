"""The pipeline's state: what was approved and published, and each delivery of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Publication(models.Model):
    """The approved channel variants of one published revision, frozen."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="publications"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The publication of the same story this one updates."),
    )
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(
        _("language"),
        max_length=20,
        default="vi",
        db_index=True,
        help_text=_("The content language (locale code) of the story this publication carries."),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("portal address"), max_length=500)
    image = models.ForeignKey(
        "media.HubImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sms_text = models.TextField(_("SMS text"), blank=True)
    sms_text_ascii = models.TextField(_("SMS text without diacritics"), blank=True)
    social_text = models.TextField(_("social post text"), blank=True)
    led_text = models.CharField(_("LED text"), max_length=255, blank=True)
    loudspeaker_text = models.TextField(_("loudspeaker script"), blank=True)
    loudspeaker_recording = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    zalo_text = models.TextField(_("Zalo text"), blank=True)
    regions = models.ManyToManyField("hub.Region", blank=True, related_name="publications")
    channels = models.JSONField(_("channels"), default=list)
    phase = models.CharField(_("campaign phase"), max_length=16)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    is_exercise = models.BooleanField(
        _("exercise"),
        default=False,
        help_text=_("Published while the organisation was in exercise mode: a drill, not real."),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["revision"], name="publication_once_per_revision"),
        ]
        indexes = [
            # The drills in force, left out of the portal's lists (hub.exercise.exercise_page_ids): few rows.
            models.Index(
                fields=["page"],
                condition=models.Q(is_exercise=True, retracted_at__isnull=True),
                name="publication_drills",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_urgent(self) -> bool:
        return self.priority == Priority.URGENT


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    RETRACTING = "retracting", _("Retracting")
    RETRACTED = "retracted", _("Retracted")


ACTIVE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)
TERMINAL_STATUSES = (
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.CANCELLED,
    DeliveryStatus.RETRACTED,
)


class Delivery(models.Model):
    """The outbox row for one (publication, channel target): the truth about that delivery."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=40)
    target = models.CharField(_("target"), max_length=120)
    target_label = models.CharField(_("target name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    priority = models.SmallIntegerField(_("priority"), default=0, help_text=_("Higher goes first."))
    payload = models.JSONField(_("payload"), default=dict)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    lease_owner = models.CharField(_("lease holder"), max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    external_url = models.URLField(_("external address"), max_length=500, blank=True)
    sandbox = models.BooleanField(_("sandbox"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Pull channels whose devices report back (loudspeaker stations' proof of play).
    delivered_at = models.DateTimeField(
        _("first delivered"),
        null=True,
        blank=True,
        help_text=_("When a device first reported it played, e.g. the first proof of play of a station."),
    )
    delivered_count = models.PositiveIntegerField(
        _("delivered to"),
        default=0,
        help_text=_("Receipts from devices, each counted once: a bulletin first played at a station."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "channel", "target"], name="delivery_once_per_target"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["channel", "status"], name="delivery_channel_status"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.target} — {self.publication}"

    @property
    def marker(self) -> str:
        """Unique to this delivery; the channel keeps it with the post so reconcile can find it."""
        return f"hub-{self.pk}"


class DeliveryAttempt(models.Model):
    """One try at a delivery, kept for the record."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    action = models.CharField(_("action"), max_length=16, default="send")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, blank=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.action} {self.outcome or '…'} @ {self.started_at:%Y-%m-%d %H:%M:%S}"


class OrphanPost(models.Model):
    """A post a worker made after its lease had passed to another worker: a likely duplicate.

    The pipeline takes it down where the channel allows it; otherwise it stays flagged for the
    channel manager on the deliveries screen.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be taken down")
        RETRACTED = "retracted", _("Taken down")
        ADOPTED = "adopted", _("Kept: it is the delivery's post")
        FLAGGED = "flagged", _("Duplicate: remove it by hand")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="orphans")
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    external_url = models.URLField(_("external address"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("orphan post")
        verbose_name_plural = _("orphan posts")
        indexes = [models.Index(fields=["status"], name="orphan_status")]

    def __str__(self) -> str:
        return f"{self.delivery.channel}:{self.external_id or '?'} ({self.get_status_display()})"
