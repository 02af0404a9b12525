"""LED screens, their tokens, and the playlist items the adapter delivers to them."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from channels.devices.models import AbstractDevice, AbstractDeviceToken

MIN_PX = 16
MAX_PX = 4096
COMMON_RESOLUTIONS = ((192, 96), (256, 128), (384, 192))

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    _("Use lower-case letters without diacritics, digits and hyphens, e.g. cho-him-lam."),
)


class Screen(AbstractDevice):
    """A public LED board whose controller polls its playlist (a device: channels/devices)."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        validators=[code_validator],
        help_text=_("Used in the screen's addresses, e.g. cho-him-lam. Lower-case letters, digits, hyphens."),
    )
    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    region = models.ForeignKey(
        "hub.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="led_screens",
        help_text=_("The screen shows what is published for this region and the regions above it."),
    )
    width = models.PositiveSmallIntegerField(
        _("width (px)"), default=192, validators=[MinValueValidator(MIN_PX), MaxValueValidator(MAX_PX)]
    )
    height = models.PositiveSmallIntegerField(
        _("height (px)"), default=96, validators=[MinValueValidator(MIN_PX), MaxValueValidator(MAX_PX)]
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive screen gets no playlist.")
    )

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("location"),
        FieldPanel("region"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("width"), FieldPanel("height")])],
            heading=_("Resolution"),
            help_text=_("Common boards: 192×96, 256×128, 384×192 pixels."),
        ),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["region__path", "name"]
        verbose_name = _("LED screen")
        verbose_name_plural = _("LED screens")

    def clean(self) -> None:
        for field in ("width", "height"):
            value = getattr(self, field)
            if value is not None and not MIN_PX <= value <= MAX_PX:
                raise ValidationError(
                    {field: _("Must be between %(min)d and %(max)d pixels.") % {"min": MIN_PX, "max": MAX_PX}}
                )

    @property
    def resolution(self) -> str:
        return f"{self.width}×{self.height}"


class ScreenToken(AbstractDeviceToken):
    """A secret a screen's controller presents; only its hash is kept."""

    screen = models.ForeignKey(Screen, on_delete=models.CASCADE, related_name="tokens")

    class Meta(AbstractDeviceToken.Meta):
        verbose_name = _("screen token")
        verbose_name_plural = _("screen tokens")


class PlaylistItem(models.Model):
    """One published LED message: what the adapter delivered, shown to screens in its regions."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    publication = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_items"
    )
    marker = models.CharField(
        max_length=120, unique=True, help_text="The delivery's marker: sends are idempotent."
    )
    text = models.CharField(_("text"), max_length=255)
    priority = models.CharField(_("priority"), max_length=8, default="normal")
    duration_s = models.PositiveSmallIntegerField(_("duration (s)"), default=10)
    regions = models.ManyToManyField("hub.Region", blank=True, related_name="led_items")
    everywhere = models.BooleanField(_("whole province"), default=False)
    valid_from = models.DateTimeField(_("valid from"), db_index=True)
    valid_until = models.DateTimeField(_("valid until"), db_index=True)
    digest = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("LED playlist item")
        verbose_name_plural = _("LED playlist items")
        indexes = [models.Index(fields=["retracted_at", "valid_until"], name="led_item_live")]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.digest = self.compute_digest()
        super().save(*args, **kwargs)

    def compute_digest(self) -> str:
        parts = [
            self.text,
            self.priority,
            str(self.duration_s),
            self.valid_from.isoformat(),
            self.valid_until.isoformat(),
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    @property
    def feed_id(self) -> str:
        """The contract's id: stable while the item is unchanged, new when it changes."""
        return f"{self.pk}-{self.digest[:10]}"

    @property
    def is_urgent(self) -> bool:
        return self.priority == "urgent"
