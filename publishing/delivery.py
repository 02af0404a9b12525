"""Working one delivery: claim it with a lease, reconcile an uncertain past, send or retract, record.

The Delivery row is the truth; huey only carries ids. A duplicate task finds nothing to claim.
"""

import datetime
import os
import random
import socket
import threading
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.base import ChannelAdapter, PermanentError, Receipt, TransientError
from channels.registry import get_adapter
from publishing.models import Delivery, DeliveryAttempt, Publication
from publishing.models import DeliveryStatus as Status

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


# One statement, no ORM compile: this runs for every delivery. A claim of an abandoned row
# (status still "sending") marks its lease token with "!" so the worker knows to reconcile.
_CLAIM_SQL = """
UPDATE publishing_delivery
SET status = CASE WHEN status = 'retracting' THEN 'retracting' ELSE 'sending' END,
    lease_owner = CASE WHEN status = 'sending' THEN %(token)s || '!' ELSE %(token)s END,
    lease_expires_at = %(lease)s,
    attempts = attempts + 1
WHERE id = %(id)s AND (
    (status IN ('pending', 'retrying', 'retracting')
     AND (next_attempt_at IS NULL OR next_attempt_at <= %(now)s)
     AND (lease_expires_at IS NULL OR lease_expires_at < %(now)s))
    OR (status = 'sending' AND lease_expires_at < %(now)s)
)"""
_SKIP_LOCKED_SQL = " AND id IN (SELECT id FROM publishing_delivery WHERE id = %(id)s FOR UPDATE SKIP LOCKED)"
# The claim returns the row it took (PostgreSQL, SQLite ≥ 3.35): no second query to read it back.
_RETURNING_SQL = (
    " RETURNING {columns},"
    " (SELECT page_id FROM publishing_publication WHERE id = publication_id) AS claim_page_id,"
    " (SELECT previous_id FROM publishing_publication WHERE id = publication_id) AS claim_previous_id"
)


def _claim_sql() -> str:
    sql = _CLAIM_SQL
    if connection.features.has_select_for_update_skip_locked:
        sql += _SKIP_LOCKED_SQL
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Delivery._meta.concrete_fields)
    return sql + _RETURNING_SQL.format(columns=columns)


def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Takes the row for this worker with a lease, or returns None if it is not ours to take.

    PostgreSQL skips a row another worker has locked (SKIP LOCKED); SQLite's single UPDATE is
    atomic. Either way the WHERE clause decides, so a duplicate task claims nothing.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)
    adapt = connection.ops.adapt_datetimefield_value
    params = {"id": delivery_id, "now": adapt(now), "token": uuid.uuid4().hex, "lease": adapt(lease)}
    rows = list(Delivery.objects.raw(_claim_sql(), params))
    if len(rows) != 1:
        return None
    delivery = rows[0]
    # The publication's other fields load on first use (deferred); sending needs only these two.
    delivery.publication = Publication.from_db(
        connection.alias,
        ["id", "page_id", "previous_id"],
        [delivery.publication_id, delivery.claim_page_id, delivery.claim_previous_id],
    )
    if delivery.lease_owner.endswith("!"):  # its worker died during the call: the post may exist
        DeliveryAttempt.objects.create(
            delivery=delivery,
            action="send",
            started_at=now,
            finished_at=now,
            outcome="interrupted",
            error=_("The worker stopped during this try."),
        )
    return delivery


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

    attempt = _attempt_start(delivery, "update" if previous else "send")
    try:
        if previous:
            receipt = adapter.update(
                delivery.payload,
                target=delivery.target,
                external_id=previous.external_id,
                marker=delivery.marker,
            )
        else:
            receipt = adapter.send(delivery.payload, target=delivery.target, marker=delivery.marker)
    except TransientError as exc:
        return _record_transient(delivery, attempt, exc)
    except PermanentError as exc:
        return _record(delivery, attempt, "failed", error=str(exc), status=Status.FAILED)
    return _record_sent(delivery, attempt, receipt, adapter)


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
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=wait),
    )
    delivery_enqueue(delivery=delivery, delay=wait)
    return outcome


def _retract(delivery: Delivery, adapter: ChannelAdapter) -> str:
    attempt = _attempt_start(delivery, "retract")
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
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=wait),
        )
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
    """Logs the attempt, then updates the row if this worker still holds the lease.

    Two statements, no transaction: dying between them leaves the row leased and the attempt
    logged, so the next claim reconciles (the order matters).
    """
    fields.setdefault("last_error", error[:2000])
    fields.setdefault("next_attempt_at", None)
    _record_attempt(attempt, outcome, error)
    Delivery.objects.filter(pk=delivery.pk, lease_owner=delivery.lease_owner).update(
        lease_owner="", lease_expires_at=None, updated_at=timezone.now(), **fields
    )
    return outcome


def _record_transient(delivery: Delivery, attempt: DeliveryAttempt, exc: TransientError) -> str:
    outcome = "uncertain" if exc.uncertain else "retry"
    if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS:
        error = _("Gave up after %(count)d attempts: %(error)s") % {"count": delivery.attempts, "error": exc}
        _record(delivery, attempt, outcome, error=str(exc), status=Status.FAILED, last_error=error)
        return "failed"
    wait = backoff_seconds(attempts=delivery.attempts, retry_after=exc.retry_after)
    _record(
        delivery,
        attempt,
        outcome,
        error=str(exc),
        status=Status.RETRYING,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=wait),
    )
    delivery_enqueue(delivery=delivery, delay=wait)
    return outcome


def _record_sent(
    delivery: Delivery, attempt: DeliveryAttempt, receipt: Receipt, adapter: ChannelAdapter
) -> str:
    _record(
        delivery,
        attempt,
        "sent",
        status=Status.SENT,
        external_id=receipt.external_id[:255],
        external_url=receipt.url[:500],
        sent_at=timezone.now(),
        sandbox=adapter.sandbox,
        last_error="",
    )
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


def _retracted(publication_id: int) -> bool:
    """Whether the story was unpublished (read after the row says sent; plain SQL, it runs per delivery)."""
    with connection.cursor() as cursor:
        cursor.execute(_RETRACTED_SQL, [publication_id])
        return cursor.fetchone() is not None


_RETRACTED_SQL = "SELECT 1 FROM publishing_publication WHERE id = %s AND retracted_at IS NOT NULL"


def deliveries_dispatch(*, limit: int = 1000) -> int:
    """Re-enqueues due retries, forgotten pending rows and rows whose lease expired."""
    from publishing.tasks import delivery_process_task

    now = timezone.now()
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
    return count
