"""Building a screen's playlist, and the cached state that makes unchanged polls cheap.

A "generation" in the shared cache changes whenever items, screens, tokens, regions or the
phase change. A cached playlist (and a cached token look-up) is used only while its
generation is current and the next validity boundary (an item starting or ending) has not
passed. Each process also keeps the latest states in memory, checked against the generation,
so an unchanged poll costs one cache read and no database query.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from channels.devices.state import DeviceCache, current_phase
from channels.led.models import PlaylistItem, Screen

STATE_TTL = 3600
NORMAL_DURATION_S = 10
URGENT_DURATION_S = 15
MIN_DURATION_S = 3

# Generation "led:gen", token look-ups "led:tok:<digest>", per-process memos, last-seen writes.
devices = DeviceCache(
    "led",
    token_seconds=getattr(settings, "LED_TOKEN_CACHE_SECONDS", 60),
    seen_interval=getattr(settings, "LED_SEEN_INTERVAL", 60),
)
bump_generation = devices.bump_generation
forget_token_hashes = devices.forget_token_hashes
current_generation = devices.current_generation


def reset_local() -> None:
    """Forgets what this thread remembers (tests call it between cases)."""
    devices.reset_local()


def local_iso(moment: datetime) -> str:
    """ISO 8601 in the hub's time zone, to the second (e.g. 2026-11-22T07:00:00+07:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


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
    states = devices.memo("states")
    if use_cache:
        state = states.get(ref.id)
        if state is not None and state.fresh(generation=generation, now=now):
            return state
        state = cache.get(devices.key("state", ref.id))
        if state is not None and state.fresh(generation=generation, now=now):
            states[ref.id] = state
            return state
    state = build_state(ref=ref, generation=generation, now=now)
    if use_cache:
        cache.set(
            devices.key("state", ref.id), state, max(1, int((state.expires_at - now).total_seconds()) + 1)
        )
        states[ref.id] = state
    return state


def record_seen(*, screen_id: int, now: datetime) -> None:
    """Marks the screen as seen; each process writes at most once per LED_SEEN_INTERVAL seconds."""
    devices.record_seen(model=Screen, device_id=screen_id, now=now)


def playlist_json(*, code: str, state: PlaylistState, now: datetime) -> bytes:
    head = json.dumps(
        {"screen": code, "phase": state.phase, "generated_at": local_iso(now)}, ensure_ascii=False
    )
    return (head[:-1] + ', "items": ' + state.items_json + "}").encode("utf-8")


def playlist_text(*, state: PlaylistState) -> bytes:
    lines = [" ".join(item["text"].split()) for item in state.items]
    return "".join(line + "\n" for line in lines).encode("utf-8")
