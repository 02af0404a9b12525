"""The feed: appending entries in commit order, reading a partner's page, recording acks."""

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from channels.sms.coverage import coverage_like_patterns, coverage_q, entry_region_paths
from channels.sms.models import EntryKind, FeedCounter, FeedEntry, SmsAck

DEFAULT_LANGUAGE = "vi"  # payloads frozen before entries carried a language were all Vietnamese
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_ACKS = 500


class InvalidCursor(ValueError):
    """An `after` value this API never handed out."""


# --- Cursors ---------------------------------------------------------------------------


CURSOR_PATTERN = r"^1[0-9a-z]{1,12}$"  # version 1, then the sequence number in base 36


def encode_cursor(seq: int) -> str:
    digits = ""
    while True:
        seq, rest = divmod(seq, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
        if not seq:
            return "1" + digits


def decode_cursor(cursor: str) -> int:
    """The sequence number behind an opaque cursor; raises InvalidCursor."""
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise InvalidCursor(cursor)
    return int(cursor[1:], 36)


# --- Appending -------------------------------------------------------------------------


def _next_seq() -> int:
    """Takes the next sequence number, holding the counter's row lock until the transaction ends.

    Writers queue on that lock, so a number is never visible before a smaller one: a reader
    that has seen entry N will never later find an entry below N (no skipped entries).
    """
    counter = FeedCounter.objects.select_for_update().filter(pk=1).first()
    if counter is None:
        counter, _created = FeedCounter.objects.get_or_create(pk=1)
        counter = FeedCounter.objects.select_for_update().get(pk=1)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def append_message(*, payload: dict[str, Any], marker: str | None = None) -> FeedEntry:
    """Appends a message rendered by the adapter; a second call with the same marker returns the first."""
    with transaction.atomic():
        if marker and (existing := FeedEntry.objects.filter(marker=marker).first()):
            return existing
        seq = _next_seq()
        body = {"id": str(seq), "type": EntryKind.MESSAGE.value}
        body |= {key: payload[key] for key in MESSAGE_FIELDS}
        body["language"] = payload.get("language") or DEFAULT_LANGUAGE  # added to v1, see docs/sms.md
        exercise = bool(payload.get("exercise"))
        if exercise:  # additive to contract v1: absent on real messages
            body["exercise"] = True
        return FeedEntry.objects.create(
            seq=seq,
            kind=EntryKind.MESSAGE,
            publication_id=payload.get("publication_id"),
            region_paths=entry_region_paths(payload.get("region_paths", [])),
            body=_dumps(body),
            text=payload["text"],
            priority=payload["priority"],
            visible_until=datetime.datetime.fromisoformat(payload["valid_until"]),
            marker=marker or None,
            exercise=exercise,
        )


MESSAGE_FIELDS = (
    "text",
    "text_ascii",
    "encoding",
    "segments",
    "encoding_ascii",
    "segments_ascii",
    "priority",
    "regions",
    "valid_from",
    "valid_until",
    "url",
)


def append_retraction(*, message: FeedEntry, reason: str = "", marker: str | None = None) -> FeedEntry:
    """Appends the retraction of `message` (once), seen by the same partners for a retention period."""
    with transaction.atomic():
        if marker and (existing := FeedEntry.objects.filter(marker=marker).first()):
            return existing
        if existing := message.retractions.first():
            return existing
        seq = _next_seq()
        retention = timezone.now() + datetime.timedelta(hours=settings.SMS_RETRACTION_RETENTION_HOURS)
        body = {
            "id": str(seq),
            "type": EntryKind.RETRACTION.value,
            "retracts": message.public_id,
            "reason": reason,
        }
        return FeedEntry.objects.create(
            seq=seq,
            kind=EntryKind.RETRACTION,
            retracts=message,
            publication_id=message.publication_id,
            region_paths=message.region_paths,
            body=_dumps(body),
            visible_until=max(message.visible_until, retention),
            marker=marker or None,
            exercise=message.exercise,
        )


# --- Reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    body: bytes
    etag: str


@functools.cache
def _page_sql(conditions: int, *, with_exercises: bool = True) -> str:
    """The page query, hand-written (it is the hot path): an index range on seq plus coverage."""
    table = FeedEntry._meta.db_table
    coverage = " OR ".join(["region_paths LIKE %s ESCAPE '\\'"] * conditions)
    exercises = "" if with_exercises else "AND NOT exercise "
    return (
        f"SELECT seq, body FROM {table} WHERE seq > %s AND visible_until >= %s {exercises}AND ({coverage}) "
        "ORDER BY seq LIMIT %s"
    )


def read_page(
    *, partner_id: int, coverage_paths: list[str], after: int | None, limit: int, with_exercises: bool = True
) -> Page:
    """One page of a partner's feed as ready-to-send JSON, in one query (same rule as visible_entries).

    A partner that excludes exercises (Partner.exercise_entries) never sees their entries.
    """
    patterns = coverage_like_patterns(coverage_paths)
    if not patterns:
        rows = []
    else:
        with connection.cursor() as cursor:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            sql = _page_sql(len(patterns), with_exercises=with_exercises)
            cursor.execute(sql, [after or 0, now, *patterns, limit + 1])
            rows = cursor.fetchall()
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1][0] if rows else (after or 0)
    body = (
        '{"messages":['
        + ",".join(row[1] for row in rows)
        + f'],"next_cursor":"{encode_cursor(last)}","has_more":{"true" if has_more else "false"}}}'
    ).encode()
    digest = hashlib.blake2b(body, digest_size=16, person=str(partner_id).encode()[:16]).hexdigest()
    return Page(body=body, etag=f'"{digest}"')


def visible_entries(*, coverage_paths: list[str], with_exercises: bool = True):
    """Every entry a partner with this coverage may see (or acknowledge), expired ones included."""
    entries = FeedEntry.objects.filter(coverage_q(coverage_paths))
    return entries if with_exercises else entries.filter(exercise=False)


# --- Acks ------------------------------------------------------------------------------


def _is_seq(value: str) -> bool:
    return re.fullmatch(r"[0-9]{1,18}", value) is not None


@dataclass(frozen=True)
class AckResult:
    accepted: int
    unknown: list[str]


def record_acks(
    *,
    partner_id: int,
    coverage_paths: list[str],
    acks: Iterable[dict[str, Any]],
    with_exercises: bool = True,
) -> AckResult:
    """Stores validated acks: one row per (partner, message), a later ack replacing the earlier.

    `accepted` counts distinct messages; ids outside this partner's feed are listed as unknown.
    """
    acks = list(acks)
    wanted = {ack["id"] for ack in acks if _is_seq(ack["id"])}
    known = set(
        visible_entries(coverage_paths=coverage_paths, with_exercises=with_exercises)
        .filter(seq__in=[int(value) for value in wanted], kind=EntryKind.MESSAGE)
        .values_list("seq", flat=True)
    )
    latest: dict[int, SmsAck] = {}
    unknown: list[str] = []
    for ack in acks:
        if not (_is_seq(ack["id"]) and int(ack["id"]) in known):
            if ack["id"] not in unknown:
                unknown.append(ack["id"])
            continue
        latest[int(ack["id"])] = SmsAck(
            partner_id=partner_id,
            entry_id=int(ack["id"]),
            status=ack["status"],
            recipients=ack["recipients"],
            at=ack["at"],
            reason=ack.get("reason") or "",
            received_at=timezone.now(),
        )
    SmsAck.objects.bulk_create(
        latest.values(),
        update_conflicts=True,
        unique_fields=["partner", "entry"],
        update_fields=["status", "recipients", "at", "reason", "received_at"],
    )
    return AckResult(accepted=len(latest), unknown=unknown)
