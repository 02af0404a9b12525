"""The shape every channel adapter has, and the two kinds of error they raise.

After Wagtail's frontend-cache backends: a small base class, configured by alias from
settings (see `channels.registry`); `render()` is pure, the I/O methods have explicit timeouts.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from publishing.models import Publication


class ChannelError(Exception):
    """Something the channel said no to; subclasses say whether to try again."""


class TransientError(ChannelError):
    """Try again later: 5xx, timeouts, rate limits.

    `retry_after` is the server's own wait in seconds, when it gave one. `uncertain` means the
    request may have reached the channel, so the pipeline reconciles before sending again.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, uncertain: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.uncertain = uncertain


class PermanentError(ChannelError):
    """Do not try again: rejected content, bad credentials, 4xx.

    `disable_target` asks the pipeline to switch the target off (e.g. an expired token) and alert.
    """

    def __init__(self, message: str, *, disable_target: bool = False):
        super().__init__(message)
        self.disable_target = disable_target


@dataclass(frozen=True)
class Target:
    """One place a channel delivers to: an account, a page, a feed."""

    key: str
    label: str


@dataclass(frozen=True)
class Receipt:
    """What the channel returned for a delivery."""

    external_id: str
    url: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class AccountStatus:
    """The state an account of a push channel is in, for listings: disabled, inactive, sandbox or live.

    Mixed into account models that have `active`, `is_disabled` and `is_sandbox`.
    """

    @property
    def status(self) -> str:
        if self.is_disabled:
            return "disabled"
        if not self.active:
            return "inactive"
        return "sandbox" if self.is_sandbox else "live"


class ChannelAdapter:
    """Base class of every adapter. Subclasses validate their params in `__init__`."""

    push: ClassVar[bool] = True
    # Considered for every publication (its targets() decide), not only when a story ticks it.
    automatic: ClassVar[bool] = False
    supports_update: ClassVar[bool] = False
    supports_retract: ClassVar[bool] = False
    # Its targets take the languages they list (e.g. loudspeaker stations), whatever the
    # regions' language lists say: a translation still goes to it where no region lists it.
    chooses_languages: ClassVar[bool] = False
    required_params: ClassVar[tuple[str, ...]] = ()
    # A push adapter that keeps a drill's payloads (`exercise: true`) in its sandbox. The pipeline
    # never hands an exercise to a push adapter without it (docs/exercise.md).
    exercise_sandbox: ClassVar[bool] = False

    def __init__(self, alias: str, params: dict[str, Any]):
        self.alias = alias
        self.params = params
        missing = [key for key in self.required_params if not params.get(key)]
        if missing:
            raise ImproperlyConfigured(
                f"Channel {alias!r} ({type(self).__name__}) is missing {', '.join(missing)} in HUB_CHANNELS."
            )

    @property
    def sandbox(self) -> bool:
        """True when the adapter only records what it would send."""
        return False

    def targets(self, publication: "Publication") -> list[Target]:
        """Where this publication goes on this channel (e.g. accounts covering its regions)."""
        raise NotImplementedError

    def render(self, publication: "Publication", target: Target) -> dict[str, Any]:
        """The payload for one target, checked against the channel's limits. Pure: no I/O."""
        raise NotImplementedError

    def send(
        self, payload: dict[str, Any], *, target: str, marker: str, timeout: float | None = None
    ) -> Receipt:
        """Delivers the frozen payload. `marker` is unique to the delivery, for reconcile.

        `timeout`, when given, is the most the call may take in all (the pipeline passes what is
        left of its lease); adapters written before it may leave it out of their signature.
        """
        raise NotImplementedError

    def update(
        self,
        payload: dict[str, Any],
        *,
        target: str,
        external_id: str,
        marker: str,
        timeout: float | None = None,
    ) -> Receipt:
        raise PermanentError(f"{self.alias} cannot update what it has sent.")

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        raise PermanentError(f"{self.alias} cannot retract what it has sent.")

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        """Looks for what an earlier, uncertain send may already have delivered."""
        return None

    def check(self) -> list[str]:
        """Problems with the configuration, in words for the admin; empty when ready."""
        return []
