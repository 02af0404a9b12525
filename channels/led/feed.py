"""Building a screen's playlist, and the cached state that makes unchanged polls cheap.

A "generation" in the shared cache changes whenever items, screens, tokens, regions or the
phase change. A cached playlist (and a cached token look-up) is used only while its
generation is current and the next validity boundary (an item starting or ending) has not
passed. Each process also keeps the latest states in memory, checked against the generation,
so an unchanged poll costs one cache read and no database query.
"""

import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from channels.led.models import PlaylistItem, Screen, hash_token

GENERATION_KEY = "led:gen"
STATE_TTL = 3600
NORMAL_DURATION_S = 10
URGENT_DURATION_S = 15
MIN_DURATION_S = 3
LOCAL_MAX = 4096

_local = threading.local()


def _memo(name: str) -> dict:
    """A small per-thread memo (states, tokens, last-seen writes); cleared when it grows."""
    memo = getattr(_local, name, None)
    if memo is None or len(memo) > LOCAL_MAX:
        memo = {}
        setattr(_local, name, memo)
    return memo


def reset_local() -> None:
    """Forgets what this thread remembers (tests call it between cases)."""
    for name in ("states", "tokens", "seen"):
        setattr(_local, name, {})


def _state_key(screen_id: int) -> str:
    return f"led:state:{screen_id}"


def _token_key(digest: str) -> str:
    return f"led:tok:{digest}"


def local_iso(moment: datetime) -> str:
    """ISO 8601 in the hub's time zone, to the second (e.g. 2026-11-22T07:00:00+07:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def bump_generation() -> None:
    """Invalidates every cached playlist and token look-up, now and again after commit."""

    def bump() -> None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def forget_token_hashes(digests: list[str]) -> None:
    """Drops shared cached token look-ups (after revocation or a screen change), now and on commit."""
    keys = [_token_key(d) for d in digests]

    def forget() -> None:
        cache.delete_many(keys)

    forget()
    transaction.on_commit(forget)


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY) or "none"
    return generation


# --- authentication ---------------------------------------------------------


@dataclass(frozen=True)
class ScreenRef:
    """What a poll needs to know about its screen, cheap to cache; valid for one generation."""

    id: int
    code: str
    width: int
    height: int
    lineage: tuple[str, ...]
    generation: str
    organisation_id: int | None = None  # a screen shows only its own organisation's items

    @classmethod
    def of(cls, screen: Screen, generation: str) -> "ScreenRef":
        lineage = tuple(screen.region.lineage_codes)
        return cls(
            screen.pk, screen.code, screen.width, screen.height, lineage, generation, screen.organisation_id
        )


def cached_screen_for_token(*, code: str, token: str, generation: str) -> ScreenRef | None:
    """The screen a token opens, from this process or the shared cache; None when not known."""
    digest = hash_token(token)
    memo = _memo("tokens")
    found = memo.get(digest)
    if found is None or found[1] < time.monotonic():
        ref = cache.get(_token_key(digest))
        if ref is None:
            return None
        found = (ref, time.monotonic() + getattr(settings, "LED_TOKEN_CACHE_SECONDS", 60))
        memo[digest] = found
    ref = found[0]
    if ref.code == code and ref.generation == generation:
        return ref
    return None


def remember_token(*, ref: ScreenRef, token: str) -> None:
    seconds = getattr(settings, "LED_TOKEN_CACHE_SECONDS", 60)
    if seconds:
        digest = hash_token(token)
        cache.set(_token_key(digest), ref, seconds)
        _memo("tokens")[digest] = (ref, time.monotonic() + seconds)


# --- the playlist -------------------------------------------------------------


@dataclass(frozen=True)
class PlaylistState:
    """The items of one screen's playlist, its ETag, and until when it holds."""

    generation: str
    etag: str
    phase: str
    items: tuple[dict, ...]
    items_json: str
    expires_at: datetime

    def fresh(self, *, generation: str, now: datetime) -> bool:
        return self.generation == generation and now < self.expires_at


def region_filter(lineage) -> Q:
    """Items for the whole province, or for the screen's region or a region above it."""
    return Q(everywhere=True) | Q(regions__code__in=list(lineage))


def screen_filter(ref: ScreenRef) -> Q:
    """Items a screen may show: its organisation's, for its region lineage."""
    return region_filter(ref.lineage) & Q(organisation_id=ref.organisation_id)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if timezone.is_naive(value) else value


def current_phase(organisation_id: int | None = None) -> str:
    """The campaign phase of the organisation's site, else of the default site (new normal until set)."""
    from wagtail.models import Site

    from hub.models import CampaignSettings, Organisation

    sql = (
        f"SELECT c.phase FROM {CampaignSettings._meta.db_table} c "
        f"JOIN {Site._meta.db_table} s ON s.id = c.site_id WHERE s.is_default_site"
    )
    params = []
    if organisation_id is not None:
        sql = (
            f"SELECT c.phase FROM {CampaignSettings._meta.db_table} c "
            f"JOIN {Organisation._meta.db_table} o ON o.site_id = c.site_id WHERE o.id = %s"
        )
        params = [organisation_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else "new_normal"


@dataclass(frozen=True)
class LiveItem:
    id: str
    text: str
    priority: str
    duration_s: int
    valid_from: datetime
    valid_until: datetime

    @property
    def is_urgent(self) -> bool:
        return self.priority == "urgent"


def visible_items(
    *, lineage, now: datetime, organisation_id: int | None = None
) -> tuple[list[LiveItem], datetime | None]:
    """Items valid now for the region lineage, newest first, and the next start or end.

    One hand-written query: this runs on every playlist change for every screen.
    """
    items, links = PlaylistItem._meta.db_table, PlaylistItem.regions.through._meta.db_table
    from hub.models import Region

    marks = ", ".join(["%s"] * len(lineage)) or "NULL"
    owner = "i.organisation_id IS NULL" if organisation_id is None else "i.organisation_id = %s"
    owner_params = [] if organisation_id is None else [organisation_id]
    sql = (
        f"SELECT i.id, i.digest, i.text, i.priority, i.duration_s, i.valid_from, i.valid_until FROM {items} i "
        f"WHERE i.retracted_at IS NULL AND i.valid_until > %s AND {owner} AND (i.everywhere OR i.id IN ("
        f"SELECT l.playlistitem_id FROM {links} l JOIN {Region._meta.db_table} r ON r.id = l.region_id "
        f"WHERE r.code IN ({marks}))) ORDER BY i.valid_from DESC, i.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *owner_params, *lineage])
        rows = cursor.fetchall()
    shown, boundary = [], None
    for pk, digest, text, priority, duration, valid_from, valid_until in rows:
        valid_from, valid_until = _aware(valid_from), _aware(valid_until)
        edge = valid_until if valid_from <= now else valid_from
        boundary = edge if boundary is None else min(boundary, edge)
        if valid_from <= now:
            shown.append(LiveItem(f"{pk}-{digest[:10]}", text, priority, duration, valid_from, valid_until))
    return shown, boundary


def arrange(items: list, *, phase: str) -> list[tuple[object, int]]:
    """Urgent first; in an outbreak urgent items also interrupt between the others, which are halved."""
    urgent = [item for item in items if item.is_urgent]
    normal = [item for item in items if not item.is_urgent]
    if phase != "outbreak" or not urgent:
        return [(item, item.duration_s) for item in urgent + normal]
    arranged = [(item, item.duration_s) for item in urgent]
    for index, item in enumerate(normal):
        arranged.append((item, max(MIN_DURATION_S, item.duration_s // 2)))
        if index < len(normal) - 1:
            arranged.extend((u, u.duration_s) for u in urgent)
    return arranged


def build_state(*, ref: ScreenRef, generation: str, now: datetime) -> PlaylistState:
    phase = current_phase(ref.organisation_id)
    items, boundary = visible_items(lineage=ref.lineage, now=now, organisation_id=ref.organisation_id)
    rows = tuple(
        {
            "id": item.id,
            "text": item.text,
            "priority": item.priority,
            "duration_s": duration,
            "frame": f"/api/led/v1/screens/{ref.code}/frames/{item.id}.png",
            "valid_from": local_iso(item.valid_from),
            "valid_until": local_iso(item.valid_until),
        }
        for item, duration in arrange(items, phase=phase)
    )
    items_json = json.dumps(rows, ensure_ascii=False)
    fingerprint = f"{ref.code}\x1f{ref.width}x{ref.height}\x1f{phase}\x1f{items_json}"
    etag = '"' + hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32] + '"'
    ceiling = now + timedelta(seconds=STATE_TTL)
    expires_at = min(boundary, ceiling) if boundary else ceiling
    return PlaylistState(generation, etag, phase, rows, items_json, expires_at)


def playlist_state(*, ref: ScreenRef, generation: str, now: datetime) -> PlaylistState:
    """The screen's playlist: from this process, the shared cache, or rebuilt."""
    use_cache = getattr(settings, "LED_PLAYLIST_CACHE", True)
    states = _memo("states")
    if use_cache:
        state = states.get(ref.id)
        if state is not None and state.fresh(generation=generation, now=now):
            return state
        state = cache.get(_state_key(ref.id))
        if state is not None and state.fresh(generation=generation, now=now):
            states[ref.id] = state
            return state
    state = build_state(ref=ref, generation=generation, now=now)
    if use_cache:
        cache.set(_state_key(ref.id), state, max(1, int((state.expires_at - now).total_seconds()) + 1))
        states[ref.id] = state
    return state


def record_seen(*, screen_id: int, now: datetime) -> None:
    """Marks the screen as seen; each process writes at most once per LED_SEEN_INTERVAL seconds."""
    seen = _memo("seen")
    tick = time.monotonic()
    if tick < seen.get(screen_id, 0):
        return
    seen[screen_id] = tick + getattr(settings, "LED_SEEN_INTERVAL", 60)
    Screen.objects.filter(pk=screen_id).update(last_seen_at=now)


def playlist_json(*, code: str, state: PlaylistState, now: datetime) -> bytes:
    head = json.dumps(
        {"screen": code, "phase": state.phase, "generated_at": local_iso(now)}, ensure_ascii=False
    )
    return (head[:-1] + ', "items": ' + state.items_json + "}").encode("utf-8")


def playlist_text(*, state: PlaylistState) -> bytes:
    lines = [" ".join(item["text"].split()) for item in state.items]
    return "".join(line + "\n" for line in lines).encode("utf-8")
