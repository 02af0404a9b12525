"""The SMS channel: a pull feed. "Sending" appends to the feed inside the publish transaction."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from channels.base import ChannelAdapter, PermanentError, Receipt, Target
from channels.exercise import SMS_PREFIX, SMS_PREFIX_ASCII, is_exercise
from channels.sms import feed
from channels.sms.coverage import organisation_path
from channels.sms.models import EntryKind, FeedEntry
from channels.sms.timing import sendable_from
from channels.textlimits import measure_sms, normalize, to_ascii

if TYPE_CHECKING:
    from publishing.models import Publication

FEED_TARGET = Target("feed", "SMS partner feed")


class SmsFeedAdapter(ChannelAdapter):
    """Partners pull the feed (channels/sms/api.py); retractions and updates are feed entries."""

    push = False
    supports_update = True
    supports_retract = True

    def targets(self, publication: "Publication") -> list[Target]:
        return [FEED_TARGET]

    def render(self, publication: "Publication", target: Target) -> dict[str, Any]:
        """The message as partners will see it (without its id), checked against SMS_MAX_SEGMENTS."""
        payload = self.compose(publication, target)
        if not payload["text"]:
            raise PermanentError("The publication has no SMS text.")
        if payload["segments"] > settings.SMS_MAX_SEGMENTS:
            raise PermanentError(
                f"The SMS text needs {payload['segments']} segments; at most {settings.SMS_MAX_SEGMENTS} are allowed."
            )
        return payload

    def compose(self, publication: "Publication", target: Target | None) -> dict[str, Any]:
        """The message as it will be sent, not yet checked against the limit.

        An exercise is prefixed "DIỄN TẬP: " and carries `exercise: true` (docs/sms.md).
        """
        text = normalize(publication.sms_text).strip()
        text_ascii = normalize(publication.sms_text_ascii).strip() or to_ascii(text)
        exercise = is_exercise(publication)
        if exercise and text:
            text, text_ascii = SMS_PREFIX + text, SMS_PREFIX_ASCII + text_ascii
        measure, measure_ascii = measure_sms(text), measure_sms(text_ascii)
        regions = sorted(publication.regions.all(), key=lambda region: region.path)
        urgent = publication.priority == "urgent"
        payload = {
            "text": text,
            "text_ascii": text_ascii,
            "encoding": measure.encoding,
            "segments": measure.segments,
            "encoding_ascii": measure_ascii.encoding,
            "segments_ascii": measure_ascii.segments,
            "priority": "urgent" if urgent else "normal",
            "regions": [region.code for region in regions],
            "region_paths": [
                organisation_path(publication.organisation_id, region.path) for region in regions
            ]
            or [organisation_path(publication.organisation_id)],
            "valid_from": _local_iso(sendable_from(publication.valid_from, urgent=urgent)),
            "valid_until": _local_iso(publication.valid_until),
            "url": publication.url,
            "language": publication.language,
            "publication_id": publication.pk,
        }
        if exercise:
            payload["exercise"] = True
        return payload

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        entry = feed.append_message(payload=payload, marker=marker)
        return Receipt(external_id=entry.public_id, detail={"seq": entry.seq})

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        """Retracts the old message and appends the new one, in one transaction."""
        with transaction.atomic():
            if old := self._message(external_id):
                feed.append_retraction(message=old, reason="updated", marker=f"{marker}:retract")
            entry = feed.append_message(payload=payload, marker=marker)
        return Receipt(external_id=entry.public_id, detail={"seq": entry.seq, "replaces": external_id})

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        message = self._message(external_id)
        if message is None:
            raise PermanentError(f"No SMS feed message {external_id!r} to retract.")
        feed.append_retraction(message=message, reason=reason or "retracted")

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        entry = FeedEntry.objects.filter(marker=marker).first()
        return Receipt(external_id=entry.public_id, detail={"seq": entry.seq}) if entry else None

    @staticmethod
    def _message(external_id: str) -> FeedEntry | None:
        if not (external_id.isascii() and external_id.isdigit() and len(external_id) <= 18):
            return None
        return FeedEntry.objects.filter(seq=int(external_id), kind=EntryKind.MESSAGE).first()


def _local_iso(moment) -> str:
    """Partners read times in Vietnam's time zone, as the contract's examples show (+07:00)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")
