"""Model fields of the editorial domain."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The channels a story can go out on besides the portal, which always carries it."""

    FACEBOOK = "facebook", _("Facebook pages")
    X = "x", _("X accounts")
    SMS = "sms", _("SMS via telecom partners")
    LED = "led", _("LED screens")
    LOUDSPEAKER = "loudspeaker", _("Commune loudspeakers and radio")
    ZALO = "zalo", _("Zalo Official Accounts")
    EMAIL = "email", _("Official e-mail lists")


def default_channels() -> list[str]:
    return [Channel.FACEBOOK, Channel.X, Channel.LED]


class ChannelsField(models.JSONField):
    """A list of channel names, edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Channel.choices,
            coerce=str,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )
