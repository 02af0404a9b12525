"""Sign-in lock-outs: who is locked out now, lifting a lock-out, and their audit entries.

django-axes counts failed sign-ins per account and per client address (AXES_LOCKOUT_PARAMETERS)
in its database tables, so both stacks (SQLite, PostgreSQL) keep the same state for every process.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.conf import settings as axes_settings
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

ACTION_LOCKED_OUT = "hub.login_locked_out"
ACTION_LIFTED = "hub.lockout_lifted"


@dataclass(frozen=True)
class Lockout:
    pk: int
    username: str
    ip_address: str
    failures: int
    last_failure: datetime
    until: datetime | None


def active_lockouts() -> list[Lockout]:
    """Attempts at or over the failure limit whose cool-off has not passed."""
    cool_off = get_cool_off()
    now = timezone.now()
    rows = AccessAttempt.objects.filter(failures_since_start__gte=axes_settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )
    lockouts = []
    for row in rows:
        until = row.attempt_time + cool_off if cool_off else None
        if until is not None and until <= now:
            continue
        lockouts.append(
            Lockout(
                pk=row.pk,
                username=row.username or "",
                ip_address=row.ip_address or "",
                failures=row.failures_since_start,
                last_failure=row.attempt_time,
                until=until,
            )
        )
    return lockouts


def lockout_lift(*, pk: int, user) -> int:
    """Lifts one lock-out (its account and address) and records who did it; returns attempts removed."""
    row = AccessAttempt.objects.filter(pk=pk).first()
    if row is None:
        return 0
    removed = 0
    if row.username:
        removed += reset(username=row.username)
    if row.ip_address:
        removed += reset(ip=row.ip_address)
    audit(ACTION_LIFTED, username=row.username or "", ip_address=row.ip_address or "", user=user)
    return removed


def audit(action: str, *, username: str, ip_address: str, user=None, failures: int | None = None) -> None:
    """An entry in Wagtail's log: on the account when it exists, else on the user model."""
    data = {"username": username[:150], "ip": ip_address}
    if failures is not None:
        data["failures"] = failures
    User = get_user_model()
    account = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    if account is not None:
        log(account, action, user=user, data=data)
        return
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id="-",
        label=username[:150] or ip_address,
        action=action,
        user=user,
        timestamp=timezone.now(),
        data=data,
    )
