"""What the Facebook and X adapters share: accounts as targets, sandbox mode, disabling."""

from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext as _

from channels.base import ChannelAdapter, PermanentError, Receipt, Target
from channels.social.models import ChannelAccount, SandboxPost


class SocialAdapter(ChannelAdapter):
    """A push adapter whose targets are the network's ChannelAccounts covering the story's regions."""

    network: ClassVar[str]
    push = True
    exercise_sandbox = True

    def __init__(self, alias: str, params: dict[str, Any]):
        super().__init__(alias, params)
        self.timeout = float(params.get("TIMEOUT") or settings.HUB_HTTP_TIMEOUT)

    def call_timeout(self, deadline: float | None) -> float:
        """The per-request timeout: ours, or less when the caller must be done within `deadline`
        (connect and read each get half of it, so together they stay within it)."""
        return self.timeout if deadline is None else max(0.1, min(self.timeout, deadline / 2))

    @property
    def sandbox(self) -> bool:
        """True when no usable account has credentials, so nothing leaves the machine."""
        return all(account.is_sandbox for account in ChannelAccount.objects.usable(self.network))

    def targets(self, publication) -> list[Target]:
        accounts = (
            ChannelAccount.objects.usable(self.network)
            .filter(organisation_id=publication.organisation_id)
            .reaching(publication.regions.all())
        )
        return [Target(key=account.target_key, label=account.name) for account in accounts.order_by("pk")]

    def account(self, target: str, *, exercise: bool = False) -> ChannelAccount:
        """The account behind a target key; a vanished or disabled account is a permanent failure.

        `exercise` (a drill's payload, or a sandbox post's id) forces the account's sandbox mode.
        """
        prefix, _sep, pk = target.partition(":")
        account = ChannelAccount.objects.filter(network=self.network, pk=pk).first() if pk.isdigit() else None
        if prefix != "account" or account is None:
            raise PermanentError(_("The account %(target)s no longer exists.") % {"target": target})
        if account.is_disabled:
            raise PermanentError(
                _("The account %(name)s is disabled: %(reason)s")
                % {"name": account.name, "reason": account.disabled_reason},
                disable_target=True,
            )
        if exercise:
            account.force_sandbox = True
        return account

    def record_sandbox(
        self, account: ChannelAccount, action: str, payload: dict, *, marker: str = "", external_id: str = ""
    ) -> Receipt:
        """Keeps what would have been sent and returns a receipt marked as sandbox."""
        post = SandboxPost.objects.create(account=account, action=action, payload=payload, marker=marker)
        if not external_id:
            external_id = f"sandbox-{post.pk}"
        post.external_id = external_id
        post.save(update_fields=["external_id"])
        return Receipt(external_id=external_id, detail={"sandbox": True, "account": account.name})

    def sandbox_receipt(self, account: ChannelAccount, *, marker: str) -> Receipt | None:
        """The receipt of a sandbox post already recorded for this marker (reconciliation)."""
        post = SandboxPost.objects.filter(
            account=account, action=SandboxPost.Action.SEND, marker=marker
        ).first()
        return Receipt(external_id=post.external_id, detail={"sandbox": True}) if post else None

    def disable(self, account: ChannelAccount, reason: str) -> PermanentError:
        """Switches the account off and returns the error that tells the pipeline so."""
        account.disable(reason)
        return PermanentError(
            _("%(name)s was disabled: %(reason)s") % {"name": account.name, "reason": reason},
            disable_target=True,
        )

    def check(self) -> list[str]:
        problems = []
        accounts = list(ChannelAccount.objects.filter(network=self.network, active=True))
        if not accounts:
            problems.append(_("No active account is set up for %(alias)s.") % {"alias": self.alias})
        for account in accounts:
            if account.is_disabled:
                problems.append(
                    _("%(name)s is disabled: %(reason)s")
                    % {"name": account.name, "reason": account.disabled_reason}
                )
            elif account.env_names and account.missing_env:
                problems.append(
                    _("%(name)s runs in sandbox mode: %(vars)s not set.")
                    % {"name": account.name, "vars": ", ".join(account.missing_env)}
                )
        return problems
