"""Working one delivery: claim it with a lease, reconcile an uncertain past, send or retract, record.

The Delivery row is the truth; huey only carries ids. A duplicate task finds nothing to claim.

Leases are fenced: each claim writes a fresh token (`lease_owner`) and a lease end taken from the
database's clock, never the worker's. The adapter is called only while the lease is held (checked
right before the request, with a timeout shorter than what is left of it), and a result is
recorded only under the token. A worker whose token went stale while it was sending reports its
post as an orphan, which the pipeline takes down (or flags where the channel cannot).
"""

import datetime
import inspect
import logging
import os
import random
import socket
import threading
import time
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from channels.base import ChannelAdapter, PermanentError, Receipt, TransientError
from channels.registry import get_adapter
from publishing.models import ACTIVE_STATUSES, Delivery, DeliveryAttempt, OrphanPost, Publication
from publishing.models import DeliveryStatus as Status

logger = logging.getLogger(__name__)

# Outcomes of earlier attempts after which the post may exist at the channel.
MAYBE_DELIVERED = ("interrupted", "uncertain", "sent")
URGENT_PRIORITY = 10


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:120]


def backoff_seconds(*, attempts: int, retry_after: float | None = None) -> float:
    """Capped exponential wait with jitter; never shorter than the server asked for."""
    base = settings.PUBLISHING_BACKOFF_BASE_MS / 1000
    cap = settings.PUBLISHING_BACKOFF_MAX_MS / 1000
    delay = min(cap, base * 2 ** max(attempts - 1, 0)) * random.uniform(0.75, 1.0)
    return max(delay, retry_after or 0)


def claimable(now: datetime.datetime) -> Q:
    """Rows a worker may take now: due and unleased, or leased by a worker that has gone."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    waiting = Q(status__in=[Status.PENDING, Status.RETRYING, Status.RETRACTING]) & due & free
    abandoned = Q(status=Status.SENDING, lease_expires_at__lt=now)
    return waiting | abandoned


def log_event(event: str, delivery: Delivery, outcome: str, **fields) -> None:
    """One structured line per pipeline event: delivery id, channel, outcome (never a payload or secret)."""
    data = {"event": event, "delivery_id": delivery.pk, "channel": delivery.channel, "outcome": outcome}
    data.update(fields)
    text = " ".join(f"{key}={value}" for key, value in data.items() if key != "event")
    level = logging.WARNING if event in ("orphan", "stale") else logging.INFO
    logger.log(level, "%s %s", event, text, extra={"fields": data})


# The database's clock, as SQL (PostgreSQL's clock_timestamp() moves within a transaction, unlike
# now(); SQLite's 'now' to the millisecond, as the last microsecond of it in the text Django stores, so
# that the two compare as text). Other databases: the worker's clock.
_NOW_SQL = {
    "postgresql": "clock_timestamp()",
    "sqlite": "(strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now') || '999')",
}
_LEASE_SQL = {
    "postgresql": "clock_timestamp() + make_interval(secs => %(lease_seconds)s)",
    "sqlite": "(strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', %(lease_modifier)s) || '999')",
}
# Seconds left of a lease, or no row when the token is no longer the holder's.
_REMAINING_SQL = {
    "postgresql": "EXTRACT(EPOCH FROM lease_expires_at - clock_timestamp())",
    "sqlite": "(julianday(lease_expires_at) - julianday('now')) * 86400.0",
}


def db_now() -> datetime.datetime:
    """The database server's current time (the one clock all workers share)."""
    sql = _NOW_SQL.get(connection.vendor)
    if sql is None:
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + sql.replace("%%", "%"))
        return _aware(cursor.fetchone()[0])


def _aware(value) -> datetime.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


# One statement, no ORM compile: this runs for every delivery. A claim of an abandoned row
# (status still "sending") marks its lease token with "!" so the worker knows to reconcile.
_CLAIM_SQL = """
UPDATE publishing_delivery
SET status = CASE WHEN status = 'retracting' THEN 'retracting' ELSE 'sending' END,
    lease_owner = CASE WHEN status = 'sending' THEN %(token)s || '!' ELSE %(token)s END,
    lease_expires_at = {lease},
    attempts = attempts + 1
WHERE id = %(id)s AND (
    (status IN ('pending', 'retrying', 'retracting')
     AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
     AND (lease_expires_at IS NULL OR lease_expires_at < {now}))
    OR (status = 'sending' AND lease_expires_at < {now})
)"""
_SKIP_LOCKED_SQL = " AND id IN (SELECT id FROM publishing_delivery WHERE id = %(id)s FOR UPDATE SKIP LOCKED)"
# The claim returns the row it took (PostgreSQL, SQLite ≥ 3.35): no second query to read it back.
_RETURNING_SQL = (
    " RETURNING {columns}, {now} AS claim_now,"
    " (SELECT page_id FROM publishing_publication WHERE id = publication_id) AS claim_page_id,"
    " (SELECT previous_id FROM publishing_publication WHERE id = publication_id) AS claim_previous_id"
)


def _claim_sql() -> str:
    now = _NOW_SQL.get(connection.vendor, "%(now)s")
    lease = _LEASE_SQL.get(connection.vendor, "%(lease)s")
    sql = _CLAIM_SQL.format(now=now, lease=lease)
    if connection.features.has_select_for_update_skip_locked:
        sql += _SKIP_LOCKED_SQL
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Delivery._meta.concrete_fields)
    return sql + _RETURNING_SQL.format(columns=columns, now=now)


def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Takes the row for this worker with a fresh token and a lease, or returns None if it is not ours.

    PostgreSQL skips a row another worker has locked (SKIP LOCKED); SQLite's single UPDATE is
    atomic. Either way the WHERE clause decides, so a duplicate task claims nothing. The lease
    end and the comparisons use the database's clock.
    """
    seconds = float(settings.PUBLISHING_LEASE_SECONDS)
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "id": delivery_id,
        "token": uuid.uuid4().hex,
        "lease_seconds": seconds,
        "lease_modifier": f"+{seconds:.3f} seconds",
        "now": adapt(now),
        "lease": adapt(now + datetime.timedelta(seconds=seconds)),
    }
    rows = list(Delivery.objects.raw(_claim_sql(), params))
    if len(rows) != 1:
        return None
    delivery = rows[0]
    # Where the worker's clock stands against the database's: later times derive from this pair.
    delivery.claim_now = _aware(delivery.claim_now)
    delivery.claim_clock = time.monotonic()
    if isinstance(delivery.lease_expires_at, str):
        delivery.lease_expires_at = _aware(delivery.lease_expires_at)
    # The publication's other fields load on first use (deferred); sending needs only these two.
    delivery.publication = Publication.from_db(
        connection.alias,
        ["id", "page_id", "previous_id"],
        [delivery.publication_id, delivery.claim_page_id, delivery.claim_previous_id],
    )
    reclaimed = delivery.lease_owner.endswith("!")
    log_event("reclaim" if reclaimed else "claim", delivery, "claimed", attempts=delivery.attempts)
    if reclaimed:  # its worker died or stalled during the call: the post may exist
        DeliveryAttempt.objects.create(
            delivery=delivery,
            action="send",
            started_at=now,
            finished_at=now,
            outcome="interrupted",
            error=_("The worker stopped during this try."),
        )
    return delivery


def _clock(delivery: Delivery) -> datetime.datetime:
    """The database's time now, from the claim's reading and this worker's monotonic clock."""
    claim_now = getattr(delivery, "claim_now", None)
    if claim_now is None:
        return timezone.now()
    return claim_now + datetime.timedelta(seconds=time.monotonic() - delivery.claim_clock)


def lease_remaining(delivery: Delivery) -> float | None:
    """Seconds left of this worker's lease by the database's clock; None when the token is stale."""
    sql = _REMAINING_SQL.get(connection.vendor)
    if sql is None:
        row = Delivery.objects.filter(pk=delivery.pk, lease_owner=delivery.lease_owner).values_list(
            "lease_expires_at", flat=True
        )
        expires = row.first()
        return None if expires is None else (expires - timezone.now()).total_seconds()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql} FROM publishing_delivery WHERE id = %s AND lease_owner = %s",
            [delivery.pk, delivery.lease_owner],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else float(row[0])


def _fence(delivery: Delivery, attempt: DeliveryAttempt) -> float | None:
    """The timeout for the next request if the lease is still held long enough, else None."""
    remaining = lease_remaining(delivery)
    margin = settings.PUBLISHING_FENCE_MARGIN_MS / 1000
    if remaining is None or remaining <= 2 * margin:
        log_event("stale", delivery, "not sent", action=attempt.action, remaining=remaining)
        return None
    return remaining - margin


_TIMEOUT_AWARE: dict[tuple[type, str], bool] = {}


def _call(adapter: ChannelAdapter, method: str, timeout: float, **kwargs):
    """Calls an adapter method, passing `timeout` when its signature takes one (older adapters don't)."""
    key = (type(adapter), method)
    function = getattr(adapter, method)
    if key not in _TIMEOUT_AWARE:
        parameters = inspect.signature(function).parameters
        _TIMEOUT_AWARE[key] = "timeout" in parameters or any(
            p.kind is p.VAR_KEYWORD for p in parameters.values()
        )
    if _TIMEOUT_AWARE[key]:
        kwargs["timeout"] = timeout
    return function(**kwargs)


def delivery_enqueue(*, delivery: Delivery, delay: float | None = None) -> None:
    """Hands the row to huey once the current transaction commits (urgent ones first)."""
    from publishing.tasks import delivery_process_task

    def enqueue() -> None:
        delivery_process_task.schedule(
            args=(delivery.pk,), delay=delay or 0, priority=delivery.priority or None
        )

    transaction.on_commit(enqueue)


def delivery_process(*, delivery_id: int) -> str:
    """Claims and works one delivery; returns what happened, for logs and tests."""
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return "skipped"
    try:
        adapter = get_adapter(delivery.channel)
    except ImproperlyConfigured as exc:
        attempt = _attempt_start(delivery, "send")
        return _record(delivery, attempt, "failed", error=str(exc), status=Status.FAILED)
    if adapter.push and delivery.payload.get("exercise") and not adapter.exercise_sandbox:
        attempt = _attempt_start(delivery, "send")
        error = _("%(channel)s has no sandbox: an exercise is not sent there.") % {
            "channel": delivery.channel
        }
        status = Status.RETRACTED if delivery.status == Status.RETRACTING else Status.CANCELLED
        return _record(delivery, attempt, "cancelled", error=error, status=status)
    if delivery.status == Status.RETRACTING:
        return _retract(delivery, adapter)
    return _send(delivery, adapter)


def _send(delivery: Delivery, adapter: ChannelAdapter) -> str:
    previous = None
    if delivery.publication.page_id is not None and delivery.publication.previous_id is not None:
        # Not a first publication: an earlier revision may be on its way or already posted.
        earlier = Delivery.objects.filter(
            publication__page_id=delivery.publication.page_id,
            publication_id__lt=delivery.publication_id,
            channel=delivery.channel,
            target=delivery.target,
        )
        if earlier.filter(status=Status.SENDING).exists():
            return _wait_for_earlier(delivery)
        previous = (
            earlier.filter(status=Status.SENT).exclude(external_id="").order_by("-publication_id").first()
        )
    if previous and not adapter.supports_update:
        attempt = _attempt_start(delivery, "update")
        error = _("%(channel)s does not allow editing a post; the earlier post stays as it was.") % {
            "channel": delivery.channel
        }
        return _record(delivery, attempt, "cancelled", error=error, status=Status.CANCELLED)

    if previous is None and settings.PUBLISHING_RECONCILE and _maybe_delivered(delivery):
        attempt = _attempt_start(delivery, "reconcile")
        try:
            receipt = adapter.reconcile(delivery.payload, target=delivery.target, marker=delivery.marker)
        except TransientError as exc:
            return _record_transient(delivery, attempt, exc)
        except PermanentError as exc:
            return _record(delivery, attempt, "failed", error=str(exc), status=Status.FAILED)
        if receipt is not None:
            return _record_sent(delivery, attempt, receipt, adapter)
        _record_attempt(attempt, "absent")
        log_event("attempt", delivery, "absent", action="reconcile")

    attempt = _attempt_start(delivery, "update" if previous else "send")
    timeout = _fence(delivery, attempt)
    if timeout is None:
        return "stale"
    try:
        if previous:
            receipt = _call(
                adapter,
                "update",
                timeout,
                payload=delivery.payload,
                target=delivery.target,
                external_id=previous.external_id,
                marker=delivery.marker,
            )
        else:
            receipt = _call(
                adapter,
                "send",
                timeout,
                payload=delivery.payload,
                target=delivery.target,
                marker=delivery.marker,
            )
    except TransientError as exc:
        outcome = _record_transient(delivery, attempt, exc)
        if outcome == "stale" and exc.uncertain and not previous:
            _orphan_found(delivery, adapter, external_id="", error=str(exc))
        return outcome
    except PermanentError as exc:
        return _record(delivery, attempt, "failed", error=str(exc), status=Status.FAILED)
    outcome = _record_sent(delivery, attempt, receipt, adapter)
    if outcome == "stale" and not previous:
        _orphan_found(delivery, adapter, external_id=receipt.external_id, url=receipt.url)
    return outcome


def _wait_for_earlier(delivery: Delivery) -> str:
    """An earlier revision is on its way to this target: wait for it, then update it."""
    attempt = _attempt_start(delivery, "wait")
    wait = backoff_seconds(attempts=1)
    outcome = _record(
        delivery,
        attempt,
        "waiting",
        error=_("Waiting for the earlier revision's delivery to finish."),
        status=Status.RETRYING,
        attempts=F("attempts") - 1,
        next_attempt_at=_clock(delivery) + datetime.timedelta(seconds=wait),
    )
    if outcome != "stale":
        delivery_enqueue(delivery=delivery, delay=wait)
    return outcome


def _retract(delivery: Delivery, adapter: ChannelAdapter) -> str:
    attempt = _attempt_start(delivery, "retract")
    if _fence(delivery, attempt) is None:
        return "stale"
    try:
        adapter.retract(target=delivery.target, external_id=delivery.external_id, reason="unpublished")
    except TransientError as exc:
        tries = delivery.attempt_log.filter(action="retract").count()
        if tries >= settings.PUBLISHING_MAX_ATTEMPTS:
            error = _("Could not take the post down after %(count)d tries: %(error)s") % {
                "count": tries,
                "error": exc,
            }
            return _record(delivery, attempt, "failed", error=error, status=Status.SENT)
        wait = backoff_seconds(attempts=tries, retry_after=exc.retry_after)
        outcome = _record(
            delivery,
            attempt,
            "retry",
            error=str(exc),
            status=Status.RETRACTING,
            next_attempt_at=_clock(delivery) + datetime.timedelta(seconds=wait),
        )
        if outcome != "stale":
            delivery_enqueue(delivery=delivery, delay=wait)
        return outcome
    except PermanentError as exc:
        error = _("The channel refused to take the post down: %(error)s") % {"error": exc}
        return _record(delivery, attempt, "failed", error=error, status=Status.SENT)
    return _record(delivery, attempt, "retracted", status=Status.RETRACTED, last_error="")


def _maybe_delivered(delivery: Delivery) -> bool:
    if delivery.attempts <= 1:
        return False
    return delivery.attempt_log.filter(action="send", outcome__in=MAYBE_DELIVERED).exists()


def _attempt_start(delivery: Delivery, action: str) -> DeliveryAttempt:
    """The try's record; saved with its outcome (a try cut short is logged by the next claim)."""
    return DeliveryAttempt(delivery=delivery, action=action, started_at=timezone.now(), worker=worker_name())


def _record_attempt(attempt: DeliveryAttempt, outcome: str, error: str = "") -> None:
    attempt.outcome = outcome
    attempt.error = error[:2000]
    attempt.finished_at = timezone.now()
    attempt.save()


def _record(delivery: Delivery, attempt: DeliveryAttempt, outcome: str, *, error: str = "", **fields) -> str:
    """Logs the attempt, then updates the row under this worker's token; "stale" if it lost the lease.

    Two statements, no transaction: dying between them leaves the row leased and the attempt
    logged, so the next claim reconciles (the order matters).
    """
    fields.setdefault("last_error", error[:2000])
    fields.setdefault("next_attempt_at", None)
    _record_attempt(attempt, outcome, error)
    held = Delivery.objects.filter(pk=delivery.pk, lease_owner=delivery.lease_owner).update(
        lease_owner="", lease_expires_at=None, updated_at=timezone.now(), **fields
    )
    if not held:
        log_event("stale", delivery, outcome, action=attempt.action)
        return "stale"
    log_event("attempt", delivery, outcome, action=attempt.action, attempts=delivery.attempts)
    return outcome


def _record_transient(delivery: Delivery, attempt: DeliveryAttempt, exc: TransientError) -> str:
    outcome = "uncertain" if exc.uncertain else "retry"
    if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS:
        error = _("Gave up after %(count)d attempts: %(error)s") % {"count": delivery.attempts, "error": exc}
        recorded = _record(delivery, attempt, outcome, error=str(exc), status=Status.FAILED, last_error=error)
        return "stale" if recorded == "stale" else "failed"
    wait = backoff_seconds(attempts=delivery.attempts, retry_after=exc.retry_after)
    recorded = _record(
        delivery,
        attempt,
        outcome,
        error=str(exc),
        status=Status.RETRYING,
        next_attempt_at=_clock(delivery) + datetime.timedelta(seconds=wait),
    )
    if recorded == "stale":
        return recorded
    delivery_enqueue(delivery=delivery, delay=wait)
    return outcome


def _record_sent(
    delivery: Delivery, attempt: DeliveryAttempt, receipt: Receipt, adapter: ChannelAdapter
) -> str:
    recorded = _record(
        delivery,
        attempt,
        "sent",
        status=Status.SENT,
        external_id=receipt.external_id[:255],
        external_url=receipt.url[:500],
        sent_at=timezone.now(),
        sandbox=adapter.sandbox or bool(adapter.push and delivery.payload.get("exercise")),
        last_error="",
    )
    if recorded == "stale":
        return recorded
    # Unpublished while this was on its way: take it down again.
    if (
        adapter.supports_retract
        and _retracted(delivery.publication_id)
        and Delivery.objects.filter(pk=delivery.pk, status=Status.SENT).update(status=Status.RETRACTING)
    ):
        if adapter.push:
            delivery_enqueue(delivery=delivery)
        else:
            delivery_process(delivery_id=delivery.pk)
    return "sent"


def _orphan_found(
    delivery: Delivery, adapter: ChannelAdapter, *, external_id: str, url: str = "", error: str = ""
) -> OrphanPost:
    """Records a post made under a stale token, then resolves it (take down, keep or flag)."""
    if external_id:
        note = ""
    else:
        note = _("The channel did not answer clearly, so a second post may exist: %(error)s") % {
            "error": error
        }
    orphan = OrphanPost.objects.create(
        delivery=delivery,
        external_id=external_id[:255],
        external_url=url[:500],
        worker=worker_name(),
        note=note[:2000],
    )
    log_event("orphan", delivery, "found", orphan_id=orphan.pk, external_id=external_id)
    orphan_resolve(orphan_id=orphan.pk, adapter=adapter)
    return orphan


def orphan_resolve(*, orphan_id: int, adapter: ChannelAdapter | None = None) -> str:
    """Takes an orphan post down once its delivery has settled (a reconcile may yet adopt it)."""
    orphan = OrphanPost.objects.select_related("delivery").filter(pk=orphan_id).first()
    if orphan is None or orphan.status != OrphanPost.Status.PENDING:
        return "skipped"
    delivery = orphan.delivery
    if delivery.status in ACTIVE_STATUSES:
        _orphan_later(orphan)
        return "deferred"
    if orphan.external_id and orphan.external_id == delivery.external_id:
        return _orphan_settle(orphan, OrphanPost.Status.ADOPTED, "adopted")
    try:
        adapter = adapter or get_adapter(delivery.channel)
    except ImproperlyConfigured as exc:
        return _orphan_settle(orphan, OrphanPost.Status.FLAGGED, "flagged", note=str(exc))
    if not orphan.external_id or not adapter.supports_retract:
        note = orphan.note or _("%(channel)s cannot take posts down: remove the duplicate by hand.") % {
            "channel": delivery.channel
        }
        return _orphan_settle(orphan, OrphanPost.Status.FLAGGED, "flagged", note=note)
    try:
        adapter.retract(target=delivery.target, external_id=orphan.external_id, reason="duplicate")
    except TransientError as exc:
        log_event("retraction", delivery, "retry", orphan_id=orphan.pk, error=str(exc)[:200])
        _orphan_later(orphan, delay=backoff_seconds(attempts=1, retry_after=exc.retry_after))
        return "retry"
    except PermanentError as exc:
        note = _("The channel refused to take the duplicate down: %(error)s") % {"error": exc}
        return _orphan_settle(orphan, OrphanPost.Status.FLAGGED, "flagged", note=note)
    return _orphan_settle(orphan, OrphanPost.Status.RETRACTED, "retracted")


def _orphan_settle(orphan: OrphanPost, status: str, outcome: str, note: str = "") -> str:
    fields = {"status": status, "resolved_at": timezone.now()}
    if note:
        fields["note"] = note[:2000]
    OrphanPost.objects.filter(pk=orphan.pk, status=OrphanPost.Status.PENDING).update(**fields)
    log_event("retraction", orphan.delivery, outcome, orphan_id=orphan.pk, external_id=orphan.external_id)
    return outcome


def _orphan_later(orphan: OrphanPost, delay: float | None = None) -> None:
    from publishing.tasks import orphan_resolve_task

    wait = delay if delay is not None else float(settings.PUBLISHING_LEASE_SECONDS)
    transaction.on_commit(lambda: orphan_resolve_task.schedule(args=(orphan.pk,), delay=wait))


def _retracted(publication_id: int) -> bool:
    """Whether the story was unpublished (read after the row says sent; plain SQL, it runs per delivery)."""
    with connection.cursor() as cursor:
        cursor.execute(_RETRACTED_SQL, [publication_id])
        return cursor.fetchone() is not None


_RETRACTED_SQL = "SELECT 1 FROM publishing_publication WHERE id = %s AND retracted_at IS NOT NULL"


def deliveries_dispatch(*, limit: int = 1000) -> int:
    """Re-enqueues due retries, forgotten pending rows, rows whose lease expired and unsettled orphans."""
    from publishing.tasks import delivery_process_task, orphan_resolve_task

    now = db_now()
    recent = Q(status=Status.PENDING, created_at__gt=now - datetime.timedelta(seconds=10))
    rows = (
        Delivery.objects.filter(claimable(now))
        .exclude(recent)
        .order_by("-priority", "next_attempt_at", "pk")
        .values_list("pk", "priority")[:limit]
    )
    count = 0
    for pk, priority in rows:
        delivery_process_task.schedule(args=(pk,), delay=0, priority=priority or None)
        count += 1
    orphans = (
        OrphanPost.objects.filter(status=OrphanPost.Status.PENDING)
        .exclude(delivery__status__in=ACTIVE_STATUSES)
        .values_list("pk", flat=True)[:limit]
    )
    for pk in orphans:
        orphan_resolve_task.schedule(args=(pk,), delay=0)
        count += 1
    return count
