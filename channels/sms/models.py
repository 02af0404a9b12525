"""SMS partners, their API keys, the append-only feed they pull and the acks they send back."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class ExerciseEntries(models.TextChoices):
    MARKED = "marked", _("Marked: flagged and prefixed “DIỄN TẬP: ”")
    EXCLUDED = "excluded", _("Excluded: this partner never sees exercises")


class Partner(models.Model):
    """A telecom company that pulls the messages for the regions it covers."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120)
    coverage = models.ManyToManyField(
        "hub.Region",
        verbose_name=_("coverage"),
        related_name="sms_partners",
        help_text=_("The partner receives every message for these regions, above them or within them."),
    )
    active = models.BooleanField(_("active"), default=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    exercise_entries = models.CharField(
        _("exercise entries"),
        max_length=10,
        choices=ExerciseEntries.choices,
        default=ExerciseEntries.MARKED,
        help_text=_(
            "What the partner gets while the office runs a drill: the entries, marked "
            "(exercise: true, text prefixed “DIỄN TẬP: ”), or nothing at all."
        ),
    )
    # Denormalised from `coverage` (see services.partner_refresh_coverage) so that the feed
    # needs no join: the materialised paths of the covered regions.
    coverage_paths = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("active"),
        FieldPanel("coverage"),
        FieldPanel("exercise_entries"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact"),
        ),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("SMS partner")
        verbose_name_plural = _("SMS partners")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="sms_partner_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class PartnerKey(models.Model):
    """An API key of a partner: only its visible prefix and the SHA-256 of the whole key are kept."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="keys", verbose_name=_("partner")
    )
    label = models.CharField(_("label"), max_length=120, blank=True)
    prefix = models.CharField(_("prefix"), max_length=24, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner})"

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class FeedCounter(models.Model):
    """One row whose lock serialises the feed's sequence numbers, so sequence order is commit order."""

    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last)


class EntryKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    RETRACTION = "retraction", _("Retraction")


class FeedEntry(models.Model):
    """One entry of the feed, in publication order; `body` is its frozen JSON as partners see it."""

    seq = models.BigIntegerField(primary_key=True)
    kind = models.CharField(_("type"), max_length=12, choices=EntryKind.choices)
    retracts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="retractions"
    )
    publication = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "|/11/|/11/094/03127/|": the message's region paths, for coverage matching without joins.
    region_paths = models.TextField()
    body = models.TextField()
    text = models.TextField(_("text"), blank=True)
    priority = models.CharField(_("priority"), max_length=8, blank=True)
    visible_until = models.DateTimeField(_("in the feed until"), db_index=True)
    marker = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    exercise = models.BooleanField(_("exercise"), default=False)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("feed entry")
        verbose_name_plural = _("feed entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    @property
    def public_id(self) -> str:
        return str(self.seq)


class AckStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


class SmsAck(models.Model):
    """The latest report of one partner about one message."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="acks", verbose_name=_("partner")
    )
    entry = models.ForeignKey(
        FeedEntry, on_delete=models.CASCADE, related_name="acks", verbose_name=_("message")
    )
    status = models.CharField(_("status"), max_length=10, choices=AckStatus.choices)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    at = models.DateTimeField(_("reported time"))
    reason = models.TextField(_("reason"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("SMS acknowledgement")
        verbose_name_plural = _("SMS acknowledgements")
        constraints = [models.UniqueConstraint(fields=["partner", "entry"], name="sms_ack_once_per_message")]

    def __str__(self) -> str:
        return f"{self.partner} #{self.entry_id} {self.status}"
