"""State changes of the loudspeaker channel: making a bulletin's audio, recording proof of play."""

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from channels.devices.state import DeviceRef
from channels.loudspeaker import feed
from channels.loudspeaker.models import AudioSource, AudioStatus, Bulletin, Play, PlayStatus, Reception
from channels.textlimits import speech
from media import audio

logger = logging.getLogger(__name__)
MAX_PLAYS = 500


@contextlib.contextmanager
def _local_copy(field_file):
    """A path to the stored file: its own on local storage, else a temporary copy."""
    try:
        path = field_file.path
    except NotImplementedError:
        path = ""
    if path and os.path.exists(path):
        yield path
        return
    suffix = os.path.splitext(field_file.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle, field_file.open("rb") as source:
        for chunk in source.chunks():
            handle.write(chunk)
        handle.flush()
        yield handle.name


def bulletin_make_audio(*, bulletin_id: int) -> str:
    """Encodes the office's recording, or synthesises the script; stores the MP3. Runs in the worker."""
    bulletin = Bulletin.objects.select_related("recording").filter(pk=bulletin_id).first()
    if bulletin is None or bulletin.retracted_at is not None:
        return "gone"
    if bulletin.audio_status in (AudioStatus.READY, AudioStatus.SCRIPT_ONLY):
        return bulletin.audio_status
    recorded = bulletin.recording is not None and bool(bulletin.recording.file)
    voice = audio.voice_for(bulletin.language)
    if not recorded and voice is None:
        return _script_only(bulletin)
    try:
        if recorded:
            with _local_copy(bulletin.recording.file) as path:
                encoded = audio.encode_recording(path)
            source = AudioSource.RECORDING
        else:
            encoded = audio.synthesise_mp3(bulletin.script, speed_wpm=speech.SYNTH_SPEED_WPM, voice=voice)
            source = AudioSource.SYNTHESIS
    except (audio.AudioError, OSError) as error:
        Bulletin.objects.filter(pk=bulletin.pk).update(
            audio_status=AudioStatus.FAILED, audio_error=str(error)
        )
        feed.devices.bump_generation()
        logger.warning("Audio for loudspeaker bulletin %s failed: %s", bulletin.pk, error)
        return "failed"
    old_name = bulletin.audio.name
    bulletin.audio.save(f"{bulletin.pk}-{encoded.sha256[:12]}.mp3", ContentFile(encoded.data), save=False)
    bulletin.audio_source = source
    bulletin.audio_bytes = encoded.size
    bulletin.audio_sha256 = encoded.sha256
    bulletin.audio_duration_s = round(encoded.duration_s)
    bulletin.audio_status = AudioStatus.READY
    bulletin.audio_error = ""
    bulletin.save()
    if old_name and old_name != bulletin.audio.name:
        bulletin.audio.storage.delete(old_name)
    return "ready"


def _script_only(bulletin: Bulletin) -> str:
    """No recording and no voice for the language: the stations get the script to read aloud,
    never the text spoken with another language's voice."""
    old_name = bulletin.audio.name
    Bulletin.objects.filter(pk=bulletin.pk).update(
        audio="", audio_bytes=0, audio_duration_s=0, audio_source=""
    )
    bulletin.refresh_from_db()
    bulletin.audio_status = AudioStatus.SCRIPT_ONLY
    bulletin.audio_sha256 = ""
    bulletin.audio_error = ""
    bulletin.save()
    if old_name:
        bulletin.audio.storage.delete(old_name)
    return AudioStatus.SCRIPT_ONLY


def bulletin_audio_enqueue(*, bulletin_id: int) -> None:
    """Hands the audio to the worker once the bulletin is committed."""
    from channels.loudspeaker.tasks import bulletin_audio_task

    transaction.on_commit(lambda: bulletin_audio_task(bulletin_id))


@dataclass(frozen=True)
class PlaysResult:
    accepted: int
    duplicates: int
    unknown: int


def plays_record(*, ref: DeviceRef, plays: list[dict]) -> PlaysResult:
    """Stores proof-of-play receipts once per (item, played_at); items never scheduled here are unknown.

    The first `played` report of a bulletin marks it delivered to the station (a Reception).
    """
    station_id = ref.id
    known: dict[str, Bulletin | None] = {}
    seen: set[tuple[str, object]] = set()
    accepted = duplicates = unknown = 0
    for play in plays:
        item = play["item"]
        if item not in known:
            known[item] = feed.known_bulletin(ref, item, live_only=False)
        bulletin = known[item]
        if bulletin is None:
            unknown += 1
            continue
        key = (item, play["played_at"])
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        try:
            with transaction.atomic():
                Play.objects.create(
                    station_id=station_id,
                    bulletin=bulletin,
                    item=item,
                    played_at=play["played_at"],
                    status=play["status"],
                )
        except IntegrityError:
            duplicates += 1
            continue
        accepted += 1
        if play["status"] == PlayStatus.PLAYED:
            _mark_delivered(station_id=station_id, bulletin=bulletin, at=play["played_at"])
    return PlaysResult(accepted, duplicates, unknown)


def _mark_delivered(*, station_id: int, bulletin: Bulletin, at) -> None:
    """The bulletin's first play at the station: a Reception, and one receipt on its publishing Delivery.

    Both in one transaction; the Reception's unique (station, bulletin) row decides "first", so a
    repeated or concurrent report never counts twice. A later report of an earlier play only moves
    the times back.
    """
    from publishing.services import delivery_receipt_record

    delivery = {
        "publication_id": bulletin.publication_id,
        "external_id": bulletin.marker.rpartition(":")[0],  # the adapter's receipt: the delivery's marker
    }
    try:
        with transaction.atomic():
            reception, created = Reception.objects.get_or_create(
                station_id=station_id, bulletin=bulletin, defaults={"delivered_at": at}
            )
            if created:
                delivery_receipt_record(**delivery, at=at, new=True)
    except IntegrityError:  # another request recorded it first
        reception, created = Reception.objects.get(station_id=station_id, bulletin=bulletin), False
    if not created and at < reception.delivered_at:
        with transaction.atomic():
            if Reception.objects.filter(pk=reception.pk, delivered_at__gt=at).update(delivered_at=at):
                delivery_receipt_record(**delivery, at=at, new=False)
