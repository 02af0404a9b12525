"""Zalo Official Accounts of each organisation, their OAuth v4 tokens (encrypted), and what was sent.

The app secret stays in the environment (an account names the variable). The refresh token cannot:
Zalo replaces it on every refresh, so it lives here, encrypted with a key from the environment.
"""

import os

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channels.base import AccountStatus
from channels.social.models import validate_env_name


class ZaloAccountQuerySet(models.QuerySet):
    def usable(self) -> "ZaloAccountQuerySet":
        return self.filter(active=True, disabled_at__isnull=True)

    def reaching(self, regions) -> "ZaloAccountQuerySet":
        """Accounts whose coverage overlaps `regions`; no regions on the account means everywhere."""
        from hub.models import Region

        regions = list(regions)
        if not regions:
            return self.all()
        overlapping = Region.objects.overlapping(regions)
        return self.filter(Q(regions__isnull=True) | Q(regions__in=overlapping)).distinct()


class ZaloAccount(AccountStatus, models.Model):
    """One Zalo Official Account: the followers it broadcasts to and the Zalo groups it writes in."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    oa_id = models.CharField(_("OA id"), max_length=64, blank=True)
    app_id = models.CharField(
        _("app id"),
        max_length=64,
        blank=True,
        help_text=_("The Zalo app authorised by the Official Account."),
    )
    app_secret_env = models.CharField(
        _("app secret variable"),
        max_length=80,
        blank=True,
        validators=[validate_env_name],
        help_text=_("Name of the environment variable holding the app's secret key. Empty: sandbox mode."),
    )
    regions = models.ManyToManyField(
        "hub.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Stories for these regions go to this account. Empty means the whole province."),
    )
    broadcast = models.BooleanField(
        _("broadcast articles to followers"),
        default=True,
        help_text=_("Needs Zalo's broadcast permission for the Official Account."),
    )
    broadcast_cities = models.CharField(
        _("broadcast cities"),
        max_length=200,
        blank=True,
        help_text=_(
            "Zalo's city codes, separated by commas, of the followers to reach (Zalo's own list). "
            "Empty: every follower."
        ),
    )
    group_ids = models.TextField(
        _("Zalo group ids"),
        blank=True,
        help_text=_("One per line: Zalo groups (of departments, districts) that get the text and image."),
    )
    active = models.BooleanField(pgettext_lazy("zalo account", "active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, editable=False)

    # OAuth v4 tokens, Fernet-encrypted; `token_version` goes up with every refresh (compare-and-swap).
    access_token_encrypted = models.TextField(blank=True, editable=False)
    access_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    token_version = models.PositiveIntegerField(default=0, editable=False)
    refresh_lock_until = models.DateTimeField(null=True, blank=True, editable=False)
    refresh_lock_owner = models.CharField(max_length=64, blank=True, editable=False)
    refreshed_at = models.DateTimeField(_("tokens refreshed at"), null=True, blank=True, editable=False)

    objects = ZaloAccountQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Zalo Official Account")
        verbose_name_plural = _("Zalo Official Accounts")

    def __str__(self) -> str:
        return self.name

    @property
    def target_key(self) -> str:
        return f"oa:{self.pk}"

    @property
    def groups(self) -> list[str]:
        return [line.strip() for line in self.group_ids.splitlines() if line.strip()]

    @property
    def cities(self) -> str:
        return ",".join(code.strip() for code in self.broadcast_cities.split(",") if code.strip())

    @property
    def has_tokens(self) -> bool:
        return bool(self.refresh_token_encrypted)

    @property
    def is_sandbox(self) -> bool:
        """No app secret in this process or no authorisation yet: record instead of sending."""
        if getattr(self, "force_sandbox", False):  # an exercise (docs/exercise.md)
            return True
        return not (self.app_secret_env and os.environ.get(self.app_secret_env) and self.has_tokens)

    def app_secret(self) -> str:
        return os.environ.get(self.app_secret_env, "") if self.app_secret_env else ""

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def status_label(self) -> str:
        labels = {
            "disabled": pgettext_lazy("zalo account", "Needs re-authorisation"),
            "inactive": pgettext_lazy("zalo account", "Inactive"),
            "sandbox": pgettext_lazy("zalo account", "Sandbox"),
            "live": pgettext_lazy("zalo account", "Live"),
        }
        return labels[self.status]

    def disable(self, reason: str) -> bool:
        """Switches the account off; True for the call that did it (so the alert goes out once)."""
        now = timezone.now()
        done = ZaloAccount.objects.filter(pk=self.pk, disabled_at__isnull=True).update(
            disabled_at=now, disabled_reason=reason
        )
        self.disabled_at, self.disabled_reason = now, reason
        return bool(done)


class ZaloPost(models.Model):
    """What one delivery made on one account, step by step, so a retry resumes instead of repeating."""

    organisation = models.ForeignKey(
        "hub.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey(
        ZaloAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="posts"
    )
    marker = models.CharField(_("marker"), max_length=120)
    sandbox = models.BooleanField(_("sandbox"), default=False)
    article_token = models.CharField(_("article token"), max_length=255, blank=True)
    article_id = models.CharField(_("article id"), max_length=64, blank=True)
    broadcast_id = models.CharField(_("broadcast message id"), max_length=64, blank=True)
    group_messages = models.JSONField(_("group messages"), default=dict, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("Zalo post")
        verbose_name_plural = _("Zalo posts")
        constraints = [
            models.UniqueConstraint(fields=["account", "marker"], name="zalo_post_once_per_marker")
        ]

    def __str__(self) -> str:
        return f"{self.account.name} — {self.marker}"
