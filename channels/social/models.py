"""Facebook Pages and X accounts the hub posts to, and what sandbox accounts would have sent.

Secrets never live in the database: an account names the environment variables that hold them.
"""

import os
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channels.base import AccountStatus

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def validate_env_name(value: str) -> None:
    if value and not ENV_NAME.match(value):
        raise ValidationError(
            _("Write the name of an environment variable (capital letters, digits and _), not its value.")
        )


class Network(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook Page")
    X = "x", _("X account")


class ChannelAccountQuerySet(models.QuerySet):
    def usable(self, network: str) -> "ChannelAccountQuerySet":
        """Active accounts of a network that have not been switched off by an error."""
        return self.filter(network=network, active=True, disabled_at__isnull=True)

    def reaching(self, regions) -> "ChannelAccountQuerySet":
        """Accounts whose coverage overlaps `regions`; no regions on either side means everywhere."""
        from hub.models import Region

        regions = list(regions)
        if not regions:
            return self.all()
        overlapping = Region.objects.overlapping(regions)
        return self.filter(Q(regions__isnull=True) | Q(regions__in=overlapping)).distinct()


class ChannelAccount(AccountStatus, models.Model):
    """One Facebook Page or X account, the regions it speaks to, and where its secrets are."""

    organisation = models.ForeignKey(
        "hub.Organisation",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    name = models.CharField(_("name"), max_length=120)
    handle = models.CharField(
        _("handle"), max_length=120, blank=True, help_text=_("e.g. @dienbien_gov or the Page's user name.")
    )
    account_id = models.CharField(
        _("account id"),
        max_length=64,
        blank=True,
        help_text=_("The Facebook Page id, or the X user id (found from the token when empty)."),
    )
    regions = models.ManyToManyField(
        "hub.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Stories for these regions go to this account. Empty means the whole province."),
    )
    active = models.BooleanField(pgettext_lazy("social account", "active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, editable=False)

    token_env = models.CharField(
        _("access token variable"),
        max_length=80,
        blank=True,
        validators=[validate_env_name],
        help_text=_(
            "Name of the environment variable with the Page access token (Facebook) "
            "or the user access token (X). Leave every variable empty for sandbox mode."
        ),
    )
    token_secret_env = models.CharField(
        _("access token secret variable"),
        max_length=80,
        blank=True,
        validators=[validate_env_name],
        help_text=_("X with OAuth 1.0a only."),
    )
    consumer_key_env = models.CharField(
        _("API key variable"),
        max_length=80,
        blank=True,
        validators=[validate_env_name],
        help_text=_("X with OAuth 1.0a only."),
    )
    consumer_secret_env = models.CharField(
        _("API key secret variable"),
        max_length=80,
        blank=True,
        validators=[validate_env_name],
        help_text=_("X with OAuth 1.0a only."),
    )

    objects = ChannelAccountQuerySet.as_manager()

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_display()})"

    @property
    def target_key(self) -> str:
        return f"account:{self.pk}"

    @property
    def uses_oauth1(self) -> bool:
        """X with API key/secret and access token/secret, rather than one OAuth 2.0 user token."""
        return self.network == Network.X and bool(
            self.consumer_key_env or self.consumer_secret_env or self.token_secret_env
        )

    @property
    def env_names(self) -> list[str]:
        """The environment variables this account's credentials need (names only)."""
        if self.uses_oauth1:
            return [self.consumer_key_env, self.consumer_secret_env, self.token_env, self.token_secret_env]
        return [self.token_env] if self.token_env else []

    @property
    def missing_env(self) -> list[str]:
        """Needed variables that are unnamed or unset in this process (values are never read out)."""
        return [name or "?" for name in self.env_names if not (name and os.environ.get(name))]

    @property
    def is_sandbox(self) -> bool:
        """No usable credentials, or an exercise: record what would be sent instead of sending it."""
        return getattr(self, "force_sandbox", False) or not self.env_names or bool(self.missing_env)

    def secret(self, name: str) -> str:
        """Reads one credential at send time; never store or log the result."""
        return os.environ.get(name, "")

    @property
    def status_label(self) -> str:
        labels = {
            "disabled": pgettext_lazy("social account", "Disabled"),
            "inactive": pgettext_lazy("social account", "Inactive"),
            "sandbox": pgettext_lazy("social account", "Sandbox"),
            "live": pgettext_lazy("social account", "Live"),
        }
        return labels[self.status]

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    def disable(self, reason: str) -> None:
        """Switches the account off after the network rejected its credentials."""
        self.disabled_at = timezone.now()
        self.disabled_reason = reason
        ChannelAccount.objects.filter(pk=self.pk).update(disabled_at=self.disabled_at, disabled_reason=reason)

    def enable(self) -> None:
        self.disabled_at = None
        self.disabled_reason = ""

    def clean(self) -> None:
        if self.uses_oauth1 and not all(self.env_names):
            raise ValidationError(
                _(
                    "For OAuth 1.0a name all four variables: API key, API key secret, access token and its secret."
                )
            )


class SandboxPost(models.Model):
    """What a sandbox account would have sent: the hub runs fully offline with these."""

    class Action(models.TextChoices):
        SEND = "send", pgettext_lazy("sandbox action", "Post")
        UPDATE = "update", pgettext_lazy("sandbox action", "Edit")
        RETRACT = "retract", pgettext_lazy("sandbox action", "Delete")

    account = models.ForeignKey(
        ChannelAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="sandbox_posts"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    marker = models.CharField(_("marker"), max_length=120, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("sandbox post")
        verbose_name_plural = _("sandbox posts")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.external_id} — {self.account.name}"
