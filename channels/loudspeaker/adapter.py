"""The loudspeaker channel: a pull feed. Sending a publication makes a bulletin per language for
the stations of its regions; the worker then makes its audio (see contracts/loudspeaker-feed.md)."""

import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from channels.base import ChannelAdapter, PermanentError, Receipt, Target
from channels.exercise import bulletin_script, is_exercise
from channels.textlimits import speech
from media import audio

if TYPE_CHECKING:
    from publishing.models import Publication

DEFAULT_LANGUAGE = "vi"


def max_seconds() -> int:
    return getattr(settings, "LOUDSPEAKER_MAX_SECONDS", 300)


class LoudspeakerFeedAdapter(ChannelAdapter):
    """Publishes bulletins to loudspeaker stations; their controllers pull them."""

    push = False
    supports_update = True
    supports_retract = True
    chooses_languages = True  # each station takes the languages it lists

    def targets(self, publication: "Publication") -> list[Target]:
        return [Target("feed", str(_("Loudspeaker stations")))]

    def render(self, publication: "Publication", target: Target) -> dict[str, Any]:
        language = getattr(publication, "language", "") or DEFAULT_LANGUAGE
        text = " ".join(unicodedata.normalize("NFC", publication.loudspeaker_text or "").split())
        if not text:
            text = " ".join(f"{publication.title}. {publication.summary}".split())
            # Numbers in words are Vietnamese words; other languages keep their figures.
            text = (
                speech.speakable(text) if language == DEFAULT_LANGUAGE else speech.without_urls(text).strip()
            )
        if not text:
            raise PermanentError("The publication has no loudspeaker script.")
        # A drill opens with the exercise notice, and is synthesised so the audio says it too.
        exercise = is_exercise(publication)
        text = bulletin_script(text, exercise=exercise)
        if speech.has_url(text):
            raise PermanentError("The loudspeaker script contains a web address; nobody can hear a link.")
        seconds = speech.measure_reading(text).seconds
        if seconds > max_seconds():
            raise PermanentError(
                f"The loudspeaker script takes {seconds} s to read; at most {max_seconds()} s."
            )
        if publication.valid_until <= publication.valid_from:
            raise PermanentError("The bulletin ends before it starts.")
        regions = sorted(_story_regions(publication), key=lambda region: region.path)
        return {
            "publication": publication.pk,
            "title": publication.title,
            "scripts": {language: text},
            "recording": None if exercise else getattr(publication, "loudspeaker_recording_id", None),
            "priority": "urgent" if publication.is_urgent else "normal",
            "regions": [region.code for region in regions],
            "valid_from": publication.valid_from.isoformat(),
            "valid_until": publication.valid_until.isoformat(),
            "published_at": publication.published_at.isoformat(),
        }

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        from channels.loudspeaker.models import Bulletin

        with transaction.atomic():
            bulletins = []
            for language in payload["scripts"]:
                bulletin = Bulletin.objects.filter(marker=f"{marker}:{language}").first()
                if bulletin is None:
                    bulletin = Bulletin(
                        marker=f"{marker}:{language}", publication_id=payload.get("publication")
                    )
                    _apply(bulletin, payload, language)
                bulletins.append(bulletin)
        return _receipt(marker, bulletins)

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        """A corrected story: the same bulletins with the new script (and new audio, hence a new id)."""
        from channels.loudspeaker.models import Bulletin

        with transaction.atomic():
            existing = {
                b.language: b
                for b in Bulletin.objects.select_for_update().filter(marker__startswith=f"{external_id}:")
            }
            bulletins = []
            for language in payload["scripts"]:
                bulletin = existing.pop(language, None) or Bulletin(marker=f"{external_id}:{language}")
                bulletin.publication_id = payload.get("publication") or bulletin.publication_id
                bulletin.retracted_at = None
                _apply(bulletin, payload, language)
                bulletins.append(bulletin)
            for gone in existing.values():  # a language no longer carried
                gone.retracted_at = timezone.now()
                gone.save(update_fields=["retracted_at"])
        return _receipt(external_id, bulletins)

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        """Takes the bulletins off every station's schedule."""
        from channels.loudspeaker.models import Bulletin

        for bulletin in Bulletin.objects.filter(
            marker__startswith=f"{external_id}:", retracted_at__isnull=True
        ):
            bulletin.retracted_at = timezone.now()
            bulletin.save(update_fields=["retracted_at"])

    def check(self) -> list[str]:
        return [f"{name} is not installed: bulletins get no audio." for name in audio.tools_missing()]


def _story_regions(publication) -> list:
    """The story's own regions as approved: the stations' languages, not the regions' language
    lists, choose who hears a translation. The publication's regions when the story names none."""
    revision = getattr(publication, "revision", None)
    if revision is not None:
        story = revision.as_object()
        regions = list(story.regions.all()) if hasattr(story, "regions") else []
        if regions:
            return regions
    return list(publication.regions.all())


def _when(value: str) -> datetime:
    moment = parse_datetime(value or "")
    if moment is None:
        raise PermanentError(f"Not a date and time: {value!r}.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _apply(bulletin, payload: dict[str, Any], language: str) -> None:
    """Copies the payload onto the bulletin, saves it with its regions and asks for new audio if needed."""
    from channels.loudspeaker.models import AudioStatus
    from channels.loudspeaker.services import bulletin_audio_enqueue
    from hub.models import Region
    from hub.tenancy import organisation_for_site

    codes = list(payload.get("regions") or [])
    regions = list(Region.objects.filter(code__in=codes))
    if len(regions) != len(set(codes)):
        missing = sorted(set(codes) - {region.code for region in regions})
        raise PermanentError(f"Unknown regions: {', '.join(missing)}.")
    script = payload["scripts"][language]
    recording = payload.get("recording")
    sound_changed = bulletin.pk is None or bulletin.script != script or bulletin.recording_id != recording
    bulletin.language = language
    bulletin.title = payload["title"]
    bulletin.script = script
    bulletin.recording_id = recording
    bulletin.priority = payload.get("priority", "normal")
    bulletin.valid_from = _when(payload["valid_from"])
    bulletin.valid_until = _when(payload["valid_until"])
    bulletin.published_at = _when(payload.get("published_at") or payload["valid_from"])
    bulletin.everywhere = not codes
    if bulletin.organisation_id is None and bulletin.publication_id:
        page = getattr(bulletin.publication, "page", None)
        site = page.get_site() if page is not None else None
        organisation = organisation_for_site(site)
        bulletin.organisation_id = organisation.pk if organisation else None
    if sound_changed:
        bulletin.audio_status = AudioStatus.PENDING
        bulletin.audio_sha256 = ""
    bulletin.save()
    bulletin.regions.set(regions)
    if sound_changed:
        bulletin_audio_enqueue(bulletin_id=bulletin.pk)


def _receipt(external_id: str, bulletins) -> Receipt:
    return Receipt(
        external_id=external_id,
        detail={"bulletins": [b.pk for b in bulletins], "languages": [b.language for b in bulletins]},
    )
