"""CAP 1.2 messages: each alert, update and cancel, frozen as the XML that was published."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageType(models.TextChoices):
    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")


class CapMessageQuerySet(models.QuerySet):
    def for_organisation(self, organisation) -> "CapMessageQuerySet":
        if organisation is None:
            return self.filter(organisation__isnull=True)
        return self.filter(organisation=organisation)

    def current(self, now) -> "CapMessageQuerySet":
        """The latest message of each story, until it expires (a cancel is shown for a day)."""
        return self.filter(superseded_by__isnull=True, expires_at__gt=now)


class CapMessage(models.Model):
    """One CAP message about one story; an update or cancel points at the message it replaces."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    story_key = models.CharField(_("story"), max_length=64, db_index=True)
    identifier = models.CharField(_("identifier"), max_length=200, unique=True)
    sender = models.CharField(_("sender"), max_length=200)
    sequence = models.PositiveIntegerField(_("sequence"))
    msg_type = models.CharField(_("message type"), max_length=8, choices=MessageType.choices)
    status = models.CharField(_("status"), max_length=10, default="Actual")
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("shown until"))
    headline = models.CharField(_("headline"), max_length=255)
    references = models.TextField(_("references"), blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    marker = models.CharField(max_length=64, unique=True)
    xml = models.BinaryField(_("document"))
    etag = models.CharField(max_length=70)

    objects = CapMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("CAP message")
        verbose_name_plural = _("CAP messages")
        constraints = [
            models.UniqueConstraint(fields=["story_key", "sequence"], name="cap_message_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.msg_type} {self.identifier}"

    def save(self, *args, **kwargs) -> None:
        self.etag = '"' + hashlib.sha256(bytes(self.xml)).hexdigest()[:32] + '"'
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """How a later message names this one: "sender,identifier,sent"."""
        return f"{self.sender},{self.identifier},{self.sent}"

    @property
    def sent(self) -> str:
        from channels.cap.document import cap_datetime

        return cap_datetime(self.sent_at)
