"""A station's schedule (contracts/loudspeaker-feed.md) and the cached state behind it.

The state of a station is rebuilt when the generation changes (bulletins, stations, tokens,
regions, the phase) or when the next boundary passes: a slot time, a bulletin starting,
ending or coming within the 24-hour horizon. Unchanged polls cost one cache read.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from channels.devices.state import DeviceCache, DeviceRef, current_phase
from channels.loudspeaker.models import LISTED_STATUSES, AudioStatus, Bulletin, Station

HORIZON = datetime.timedelta(hours=24)
STATE_TTL = 3600
BASE = "/api/loudspeaker/v1/stations"
ITEM_ID = re.compile(r"^(?P<pk>[0-9]{1,18})-(?P<digest>[0-9a-f]{10})$")

devices = DeviceCache(
    "ls",
    token_seconds=getattr(settings, "LOUDSPEAKER_TOKEN_CACHE_SECONDS", 60),
    seen_interval=getattr(settings, "LOUDSPEAKER_SEEN_INTERVAL", 60),
)


def reset_local() -> None:
    devices.reset_local()


def local_iso(moment: datetime.datetime) -> str:
    """ISO 8601 in the hub's time zone, to the second (e.g. 2026-12-02T06:00:00+07:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def station_ref(station: Station, generation: str) -> DeviceRef:
    slots = tuple(t.strftime("%H:%M") for t in station.slot_times)
    return DeviceRef.of(
        station, generation, extra=(station.organisation_id, tuple(station.language_list), slots)
    )


@dataclass(frozen=True)
class ScheduleState:
    generation: str
    etag: str
    phase: str
    items: tuple[dict, ...]
    items_json: str
    files: dict  # item id → (storage name, bytes, sha256)
    expires_at: datetime.datetime

    def fresh(self, *, generation: str, now: datetime.datetime) -> bool:
        return self.generation == generation and now < self.expires_at


def slot_occurrences(slots, *, start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """Every slot time (local "HH:MM") in [start, end), in order."""
    zone = timezone.get_current_timezone()
    day = timezone.localtime(start).date()
    found = []
    for offset in range((end - start).days + 2):
        date = day + datetime.timedelta(days=offset)
        for slot in slots:
            hour, minute = map(int, slot.split(":"))
            moment = datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=zone)
            if start <= moment < end:
                found.append(moment)
    return sorted(found)


def candidates(ref: DeviceRef, *, now: datetime.datetime):
    """Bulletins with audio (or, in a language without a voice, a script), for the station's
    regions, organisation and languages, valid within 24 hours."""
    organisation_id, languages, _slots = ref.extra
    return (
        Bulletin.objects.filter(
            retracted_at__isnull=True,
            audio_status__in=LISTED_STATUSES,
            valid_until__gt=now,
            language__in=languages,
        )
        .filter(Q(everywhere=True) | Q(regions__code__in=list(ref.lineage)))
        .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .annotate(story_key=Cast("publication__page__translation_key", CharField()))
        .distinct()
    )


def _group(bulletin: Bulletin) -> str:
    """What keeps items together: the story (its translations share its translation key), else
    the delivery (its marker without the language)."""
    return getattr(bulletin, "story_key", None) or "marker:" + bulletin.marker.rsplit(":", 1)[0]


def play_times(bulletin: Bulletin, *, slots, phase: str, now: datetime.datetime) -> list[datetime.datetime]:
    start = max(now, bulletin.valid_from)
    end = min(now + HORIZON, bulletin.valid_until)
    times = slot_occurrences(slots, start=start, end=end) if start < end else []
    if bulletin.is_urgent and phase == "outbreak":
        times = [bulletin.published_at, *[t for t in times if t != bulletin.published_at]]
    return times


def build_state(*, ref: DeviceRef, generation: str, now: datetime.datetime) -> ScheduleState:
    organisation_id, languages, slots = ref.extra
    phase = current_phase(organisation_id)
    horizon = now + HORIZON
    boundary = now + datetime.timedelta(seconds=STATE_TTL)
    upcoming = slot_occurrences(slots, start=now + datetime.timedelta(microseconds=1), end=now + HORIZON)
    if upcoming:
        boundary = min(boundary, upcoming[0])
    chosen = []
    for bulletin in candidates(ref, now=now):
        if bulletin.valid_from > horizon:
            boundary = min(boundary, bulletin.valid_from - HORIZON)
            continue
        edge = bulletin.valid_until if bulletin.valid_from <= now else bulletin.valid_from
        boundary = min(boundary, edge)
        chosen.append(bulletin)
    rank = {language: index for index, language in enumerate(languages)}
    # Urgent first, newest first; one story's languages (its translations are publications of
    # their own, with the same translation key) stay together in the station's order.
    groups: dict = {}
    for bulletin in chosen:
        key = _group(bulletin)
        urgent, newest, newest_publication = groups.get(key, (False, bulletin.published_at, 0))
        groups[key] = (
            urgent or bulletin.is_urgent,
            max(newest, bulletin.published_at),
            max(newest_publication, bulletin.publication_id or 0),
        )

    def order(bulletin):
        key = _group(bulletin)
        urgent, newest, newest_publication = groups[key]
        return (
            not urgent,
            -newest.timestamp(),
            -newest_publication,
            key,
            rank.get(bulletin.language, len(rank)),
            bulletin.pk,
        )

    chosen.sort(key=order)
    rows, files = [], {}
    for bulletin in chosen:
        item_id = bulletin.feed_id
        rows.append(
            {
                "id": item_id,
                "title": bulletin.title,
                "language": bulletin.language,
                "priority": "urgent" if bulletin.is_urgent else "normal",
                "play_at": [local_iso(t) for t in play_times(bulletin, slots=slots, phase=phase, now=now)],
                "audio": _audio(ref, item_id, bulletin),
                "script": f"{BASE}/{ref.code}/scripts/{item_id}.txt",
                "valid_from": local_iso(bulletin.valid_from),
                "valid_until": local_iso(bulletin.valid_until),
            }
        )
        if bulletin.audio_status == AudioStatus.READY:
            files[item_id] = (bulletin.audio.name, bulletin.audio_bytes, bulletin.audio_sha256)
    items_json = json.dumps(rows, ensure_ascii=False)
    fingerprint = f"{ref.code}\x1f{phase}\x1f{items_json}"
    etag = '"' + hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32] + '"'
    return ScheduleState(generation, etag, phase, tuple(rows), items_json, files, max(boundary, now))


def _audio(ref: DeviceRef, item_id: str, bulletin: Bulletin) -> dict | None:
    """The item's audio, or None for a script-only bulletin (a language without a voice)."""
    if bulletin.audio_status != AudioStatus.READY:
        return None
    return {
        "url": f"{BASE}/{ref.code}/audio/{item_id}.mp3",
        "mime": "audio/mpeg",
        "duration_s": bulletin.audio_duration_s,
        "bytes": bulletin.audio_bytes,
        "sha256": bulletin.audio_sha256,
    }


def schedule_state(*, ref: DeviceRef, generation: str, now: datetime.datetime) -> ScheduleState:
    """The station's schedule: from this process, the shared cache, or rebuilt."""
    use_cache = getattr(settings, "LOUDSPEAKER_SCHEDULE_CACHE", True)
    states = devices.memo("states")
    key = devices.key("state", ref.id)
    if use_cache:
        state = states.get(ref.id)
        if state is not None and state.fresh(generation=generation, now=now):
            return state
        state = cache.get(key)
        if state is not None and state.fresh(generation=generation, now=now):
            states[ref.id] = state
            return state
    state = build_state(ref=ref, generation=generation, now=now)
    if use_cache:
        cache.set(key, state, max(1, int((state.expires_at - now).total_seconds()) + 1))
        states[ref.id] = state
    return state


def schedule_json(*, code: str, state: ScheduleState, now: datetime.datetime) -> bytes:
    head = json.dumps(
        {"station": code, "phase": state.phase, "generated_at": local_iso(now)}, ensure_ascii=False
    )
    return (head[:-1] + ', "items": ' + state.items_json + "}").encode("utf-8")


def record_seen(*, station_id: int, now: datetime.datetime) -> None:
    devices.record_seen(model=Station, device_id=station_id, now=now)


def known_bulletin(ref: DeviceRef, item_id: str, *, live_only: bool) -> Bulletin | None:
    """The bulletin behind an item id if it is (live_only) or was ever on this station's schedule."""
    match = ITEM_ID.match(item_id)
    if match is None:
        return None
    organisation_id, languages, _slots = ref.extra
    queryset = (
        Bulletin.objects.filter(
            pk=int(match["pk"]), digest__startswith=match["digest"], language__in=languages
        )
        .filter(Q(audio_sha256__gt="") | Q(audio_status=AudioStatus.SCRIPT_ONLY))
        .filter(Q(everywhere=True) | Q(regions__code__in=list(ref.lineage)))
        .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
    )
    if live_only:
        queryset = queryset.filter(retracted_at__isnull=True, audio_status__in=LISTED_STATUSES)
    return queryset.distinct().first()


@dataclass(frozen=True)
class RunSheetEntry:
    time: datetime.datetime
    bulletin: Bulletin


def run_sheet(station: Station, day: datetime.date) -> list[RunSheetEntry]:
    """What a station plays on one local day, slot by slot: for announcers without a controller."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    ref = station_ref(station, "run-sheet")
    organisation_id, languages, slots = ref.extra
    phase = current_phase(organisation_id)
    rank = {language: index for index, language in enumerate(languages)}
    entries = []
    for bulletin in candidates(ref, now=start).filter(valid_from__lt=end):
        times = slot_occurrences(
            slots, start=max(start, bulletin.valid_from), end=min(end, bulletin.valid_until)
        )
        if bulletin.is_urgent and phase == "outbreak" and start <= bulletin.published_at < end:
            times = sorted({bulletin.published_at, *times})
        entries += [RunSheetEntry(moment, bulletin) for moment in times]
    entries.sort(
        key=lambda e: (e.time, not e.bulletin.is_urgent, rank.get(e.bulletin.language, 99), e.bulletin.pk)
    )
    return entries
