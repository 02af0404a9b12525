"""What every polling device has: a code, a region, an active switch, a last-seen time, hashed tokens.

Abstract models: each device kind (a loudspeaker station, an LED screen) is its own table and
subclasses these; the services in this package work on any of them.
"""

import hashlib
import hmac
import secrets

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX_LENGTH = 8

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    _("Use lower-case letters without diacritics, digits and hyphens, e.g. xa-thanh-xuong."),
)


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class DeviceQuerySet(models.QuerySet):
    def within(self, region) -> "DeviceQuerySet":
        """Devices in the region or any region below it."""
        return self.filter(region__path__startswith=region.path)

    def offline(self, *, minutes: int, now=None) -> "DeviceQuerySet":
        """Active devices not seen for longer than `minutes` (or never seen)."""
        cutoff = (now or timezone.now()) - timezone.timedelta(minutes=minutes)
        return self.filter(active=True).filter(
            models.Q(last_seen_at__isnull=True) | models.Q(last_seen_at__lt=cutoff)
        )


class AbstractDevice(models.Model):
    """A device that polls the hub with a token. Subclasses set `token_model`."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        validators=[code_validator],
        help_text=_("Used in the device's addresses. Lower-case letters, digits, hyphens."),
    )
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        "hub.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)ss",
        help_text=_("It receives what is published for this region and the regions above it."),
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("An inactive device gets nothing."))
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def issue_token(self):
        """Creates a new token and returns it with its secret, which is shown only once."""
        secret = secrets.token_urlsafe(32)
        token = self.tokens.create(prefix=secret[:TOKEN_PREFIX_LENGTH], hash=hash_token(secret))
        return token, secret

    def check_token(self, secret: str) -> bool:
        """Whether `secret` is one of the device's active tokens (several during rotation)."""
        digest = hash_token(secret)
        matched = False
        for stored in self.tokens.filter(revoked_at__isnull=True).values_list("hash", flat=True):
            matched |= hmac.compare_digest(stored, digest)
        return matched


class AbstractDeviceToken(models.Model):
    """A secret a device presents; only its hash is kept. Subclasses add the `device` key
    with related_name="tokens"."""

    prefix = models.CharField(_("beginning"), max_length=TOKEN_PREFIX_LENGTH)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
