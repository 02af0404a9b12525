"""Loudspeaker stations, their tokens, the bulletins the adapter delivers, and proof of play."""

import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from channels.devices.models import AbstractDevice, AbstractDeviceToken

SLOT = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
DEFAULT_LANGUAGE = "vi"


def _items(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\s]+", value or "") if part.strip()]


def parse_slots(value: str) -> list[datetime.time]:
    """ "06:00, 17:30" → sorted times; ValueError naming the first bad entry."""
    times = set()
    for part in _items(value):
        match = SLOT.match(part)
        if match is None:
            raise ValueError(part)
        times.add(datetime.time(int(match[1]), int(match[2])))
    return sorted(times)


def parse_languages(value: str) -> list[str]:
    languages = []
    for part in _items(value.lower() if value else ""):
        if not LANGUAGE.match(part):
            raise ValueError(part)
        if part not in languages:
            languages.append(part)
    return languages


class StationKind(models.TextChoices):
    IP_CLUSTER = "ip_cluster", _("IP loudspeaker cluster")
    RADIO_STATION = "radio_station", _("Commune radio station")
    VEHICLE = "vehicle", _("Mobile propaganda vehicle")


class Station(AbstractDevice):
    """A commune loudspeaker system, radio station or vehicle that plays the approved bulletins."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="loudspeaker_stations",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=StationKind.choices, default=StationKind.IP_CLUSTER
    )
    slots = models.CharField(
        _("broadcast slots"),
        max_length=200,
        default="06:00, 17:30",
        help_text=_("Local times the station broadcasts, separated by commas, e.g. 06:00, 17:30."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        default=DEFAULT_LANGUAGE,
        help_text=_("Language codes in order of preference, e.g. vi, blt."),
    )
    location = models.CharField(_("location"), max_length=255, blank=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("location"),
        FieldPanel("slots"),
        FieldPanel("languages"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["region__path", "name"]
        verbose_name = _("loudspeaker station")
        verbose_name_plural = _("loudspeaker stations")

    def clean(self) -> None:
        errors = {}
        try:
            parse_slots(self.slots)
        except ValueError as bad:
            errors["slots"] = _("“%(value)s” is not a time like 06:00.") % {"value": bad}
        try:
            if not parse_languages(self.languages):
                errors["languages"] = _("Give at least one language code, e.g. vi.")
        except ValueError as bad:
            errors["languages"] = _("“%(value)s” is not a language code like vi or blt.") % {"value": bad}
        if errors:
            raise ValidationError(errors)

    @property
    def slot_times(self) -> list[datetime.time]:
        try:
            return parse_slots(self.slots)
        except ValueError:
            return []

    @property
    def language_list(self) -> list[str]:
        try:
            return parse_languages(self.languages) or [DEFAULT_LANGUAGE]
        except ValueError:
            return [DEFAULT_LANGUAGE]


class StationToken(AbstractDeviceToken):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="tokens")

    class Meta(AbstractDeviceToken.Meta):
        verbose_name = _("station token")
        verbose_name_plural = _("station tokens")


class AudioStatus(models.TextChoices):
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    SCRIPT_ONLY = "script", _("Script only (no voice for this language)")


# Bulletins a station may list: with their audio, or as a script for the announcer.
LISTED_STATUSES = (AudioStatus.READY, AudioStatus.SCRIPT_ONLY)


class AudioSource(models.TextChoices):
    RECORDING = "recording", _("Recording uploaded by the office")
    SYNTHESIS = "synthesis", _("Synthesised speech")


class Bulletin(models.Model):
    """One published bulletin in one language: its script, its audio, where and when it plays."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="loudspeaker_bulletins",
        help_text=_("Empty: a bulletin for every station of its regions."),
    )
    publication = models.ForeignKey(
        "publishing.Publication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loudspeaker_bulletins",
    )
    marker = models.CharField(
        max_length=140, unique=True, help_text="The delivery's marker and the language."
    )
    language = models.CharField(_("language"), max_length=16, default=DEFAULT_LANGUAGE)
    title = models.CharField(_("title"), max_length=255)
    script = models.TextField(_("script"))
    priority = models.CharField(_("priority"), max_length=8, default="normal")
    regions = models.ManyToManyField("hub.Region", blank=True, related_name="loudspeaker_bulletins")
    everywhere = models.BooleanField(_("whole province"), default=False)
    valid_from = models.DateTimeField(_("valid from"), db_index=True)
    valid_until = models.DateTimeField(_("valid until"), db_index=True)
    published_at = models.DateTimeField(_("published at"))
    recording = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audio = models.FileField(_("audio"), upload_to="loudspeaker/", blank=True, max_length=255)
    audio_status = models.CharField(
        _("audio"), max_length=8, choices=AudioStatus.choices, default=AudioStatus.PENDING
    )
    audio_source = models.CharField(_("audio source"), max_length=10, choices=AudioSource.choices, blank=True)
    audio_bytes = models.PositiveIntegerField(_("audio size (bytes)"), default=0)
    audio_sha256 = models.CharField(_("audio SHA-256"), max_length=64, blank=True)
    audio_duration_s = models.PositiveIntegerField(_("audio duration (s)"), default=0)
    audio_error = models.TextField(_("audio error"), blank=True)
    digest = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("loudspeaker bulletin")
        verbose_name_plural = _("loudspeaker bulletins")
        indexes = [models.Index(fields=["retracted_at", "valid_until"], name="loudspeaker_bulletin_live")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.digest = self.compute_digest()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "digest"}
        super().save(*args, **kwargs)

    def compute_digest(self) -> str:
        parts = [
            self.title,
            self.script,
            self.language,
            self.priority,
            self.valid_from.isoformat(),
            self.valid_until.isoformat(),
            self.published_at.isoformat(),
            self.audio_sha256,
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    @property
    def feed_id(self) -> str:
        """The contract's id: stable while the bulletin is unchanged, new when it changes."""
        return f"{self.pk}-{self.digest[:10]}"

    @property
    def is_urgent(self) -> bool:
        return self.priority == "urgent"


class PlayStatus(models.TextChoices):
    PLAYED = "played", _("Played")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class Play(models.Model):
    """One proof-of-play receipt: what a station reports it did with an item at a time."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="plays"
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="plays"
    )
    item = models.CharField(_("item"), max_length=64)
    played_at = models.DateTimeField(_("played at"))
    status = models.CharField(_("status"), max_length=8, choices=PlayStatus.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-played_at", "-pk"]
        verbose_name = _("play")
        verbose_name_plural = _("plays")
        constraints = [
            models.UniqueConstraint(fields=["station", "item", "played_at"], name="loudspeaker_play_once"),
        ]
        indexes = [models.Index(fields=["played_at"], name="loudspeaker_play_when")]

    def __str__(self) -> str:
        return f"{self.station} {self.item} {self.status}"


class Reception(models.Model):
    """A bulletin delivered to one station: the first time the station played it."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="receptions"
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="receptions"
    )
    delivered_at = models.DateTimeField(_("first played"))

    class Meta:
        ordering = ["-delivered_at", "-pk"]
        verbose_name = _("delivery to a station")
        verbose_name_plural = _("deliveries to stations")
        constraints = [
            models.UniqueConstraint(fields=["station", "bulletin"], name="loudspeaker_reception_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} → {self.station}"
