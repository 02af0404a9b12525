"""Building a screen's playlist, and the cached state that makes unchanged polls cheap.

A global "generation" in the cache changes whenever items, screens, regions or the phase
change; a screen's cached state is used only while its generation is current and the next
validity boundary (an item starting or expiring) has not passed.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from channels.led.models import PlaylistItem, Screen, hash_token

GENERATION_KEY = "led:gen"
STATE_TTL = 3600
NORMAL_DURATION_S = 10
URGENT_DURATION_S = 15
MIN_DURATION_S = 3


def _state_key(screen_id: int) -> str:
    return f"led:state:{screen_id}"


def _token_key(digest: str) -> str:
    return f"led:tok:{digest}"


def local_iso(moment: datetime) -> str:
    """ISO 8601 in the hub's time zone, to the second (e.g. 2026-11-22T07:00:00+07:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def bump_generation() -> None:
    """Invalidates every screen's cached playlist, now and again after the transaction commits."""

    def bump() -> None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def forget_token_hashes(digests: list[str]) -> None:
    """Drops cached token look-ups (after revocation or a screen change), now and on commit."""
    keys = [_token_key(d) for d in digests]

    def forget() -> None:
        cache.delete_many(keys)

    forget()
    transaction.on_commit(forget)


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


# --- authentication ---------------------------------------------------------


@dataclass(frozen=True)
class ScreenRef:
    """What a poll needs to know about its screen, cheap to cache."""

    id: int
    code: str
    width: int
    height: int


def cached_screen_for_token(*, code: str, token: str) -> ScreenRef | None:
    """The screen a token opens, from the short-lived cache; None when not cached."""
    ref = cache.get(_token_key(hash_token(token)))
    if ref is not None and ref.code == code:
        return ref
    return None


def remember_token(*, screen: Screen, token: str) -> None:
    seconds = getattr(settings, "LED_TOKEN_CACHE_SECONDS", 60)
    if seconds:
        cache.set(
            _token_key(hash_token(token)),
            ScreenRef(screen.pk, screen.code, screen.width, screen.height),
            seconds,
        )


# --- the playlist -------------------------------------------------------------


@dataclass(frozen=True)
class PlaylistState:
    """The items of one screen's playlist, its ETag, and until when it holds."""

    generation: str
    etag: str
    phase: str
    items: tuple[dict, ...]
    expires_at: datetime

    def fresh(self, *, generation: str, now: datetime) -> bool:
        return self.generation == generation and now < self.expires_at


def current_phase() -> str:
    """The campaign phase of the default site (new normal until one is set)."""
    from hub.models import CampaignSettings, Phase

    phase = (
        CampaignSettings.objects.filter(site__is_default_site=True).values_list("phase", flat=True).first()
    )
    return phase or Phase.NEW_NORMAL.value


def region_filter(screen: Screen) -> Q:
    """Items for the whole province, or for the screen's region or a region above it."""
    return Q(everywhere=True) | Q(regions__code__in=screen.region.lineage_codes)


def visible_items(*, screen: Screen, now: datetime) -> tuple[list[PlaylistItem], datetime | None]:
    """Items valid now for the screen's region (or a region above it), and the next boundary."""
    candidates = (
        PlaylistItem.objects.filter(retracted_at__isnull=True, valid_until__gt=now)
        .filter(region_filter(screen))
        .distinct()
        .order_by("-valid_from", "-pk")
    )
    shown, boundary = [], None
    for item in candidates:
        edge = item.valid_until if item.valid_from <= now else item.valid_from
        boundary = edge if boundary is None else min(boundary, edge)
        if item.valid_from <= now:
            shown.append(item)
    return shown, boundary


def arrange(items: list[PlaylistItem], *, phase: str) -> list[tuple[PlaylistItem, int]]:
    """Urgent first; in an outbreak urgent items also interrupt between the others, which are halved."""
    urgent = [item for item in items if item.is_urgent]
    normal = [item for item in items if not item.is_urgent]
    if phase != "outbreak" or not urgent:
        return [(item, item.duration_s) for item in urgent + normal]
    arranged = [(item, item.duration_s) for item in urgent]
    for item in normal:
        arranged.append((item, max(MIN_DURATION_S, item.duration_s // 2)))
        arranged.extend((u, u.duration_s) for u in urgent)
    if normal:
        arranged = arranged[: len(arranged) - len(urgent)]  # no repeat right after the last one
    return arranged


def build_state(*, screen: Screen, generation: str, now: datetime) -> PlaylistState:
    phase = current_phase()
    items, boundary = visible_items(screen=screen, now=now)
    rows = tuple(
        {
            "id": item.feed_id,
            "text": item.text,
            "priority": item.priority,
            "duration_s": duration,
            "frame": f"/api/led/v1/screens/{screen.code}/frames/{item.feed_id}.png",
            "valid_from": local_iso(item.valid_from),
            "valid_until": local_iso(item.valid_until),
        }
        for item, duration in arrange(items, phase=phase)
    )
    fingerprint = json.dumps([screen.code, screen.width, screen.height, phase, rows], ensure_ascii=False)
    etag = '"' + hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32] + '"'
    ceiling = now + timedelta(seconds=STATE_TTL)
    expires_at = min(boundary, ceiling) if boundary else ceiling
    return PlaylistState(generation, etag, phase, rows, expires_at)


def playlist_state(
    *, screen_id: int, code: str, now: datetime, screen: Screen | None = None
) -> PlaylistState | None:
    """The screen's playlist: cached when still fresh, else rebuilt (None if the screen is gone)."""
    key = _state_key(screen_id)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or current_generation()
    state = found.get(key)
    use_cache = getattr(settings, "LED_PLAYLIST_CACHE", True)
    if use_cache and state is not None and state.fresh(generation=generation, now=now):
        return state
    if screen is None:
        screen = Screen.objects.select_related("region").filter(pk=screen_id, code=code, active=True).first()
        if screen is None:
            return None
    state = build_state(screen=screen, generation=generation, now=now)
    if use_cache:
        cache.set(key, state, max(1, int((state.expires_at - now).total_seconds()) + 1))
    return state


def record_seen(*, screen_id: int, now: datetime) -> None:
    """Marks the screen as seen, writing at most once per LED_SEEN_INTERVAL seconds."""
    interval = getattr(settings, "LED_SEEN_INTERVAL", 60)
    if cache.add(f"led:seen:{screen_id}", 1, interval):
        Screen.objects.filter(pk=screen_id).update(last_seen_at=now)


def playlist_json(*, code: str, state: PlaylistState, now: datetime) -> bytes:
    body = {"screen": code, "phase": state.phase, "generated_at": local_iso(now), "items": list(state.items)}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def playlist_text(*, state: PlaylistState) -> bytes:
    lines = [" ".join(item["text"].split()) for item in state.items]
    return "".join(line + "\n" for line in lines).encode("utf-8")
