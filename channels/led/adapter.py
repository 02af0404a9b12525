"""The LED channel: a pull feed. Sending a publication adds an item to the screens' playlists."""

import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from channels.base import ChannelAdapter, PermanentError, Receipt, Target
from channels.exercise import SMS_PREFIX, is_exercise
from channels.led import feed

if TYPE_CHECKING:
    from publishing.models import Publication

MAX_TEXT = 255


class LedFeedAdapter(ChannelAdapter):
    """Publishes to the LED playlists; screens pull them (see contracts/led-feed.md)."""

    push = False
    supports_update = True
    supports_retract = True

    def targets(self, publication: "Publication") -> list[Target]:
        return [Target("feed", str(_("LED screens")))]

    def render(self, publication: "Publication", target: Target) -> dict[str, Any]:
        payload = self.compose(publication, target)
        text = payload["text"]
        if not text:
            raise PermanentError("The publication has no LED text.")
        if len(text) > MAX_TEXT:
            raise PermanentError(f"The LED text is {len(text)} characters long; at most {MAX_TEXT} fit.")
        if publication.valid_until <= publication.valid_from:
            raise PermanentError("The LED message ends before it starts.")
        return payload

    def compose(self, publication: "Publication", target: Target | None) -> dict[str, Any]:
        """The playlist item as it will be sent, not yet checked against the limits.

        An exercise's text opens with "DIỄN TẬP: " (text-only controllers show it; frames draw it
        as a band across the top).
        """
        text = " ".join(unicodedata.normalize("NFC", publication.led_text or publication.title or "").split())
        if text and is_exercise(publication):
            text = SMS_PREFIX + text
        urgent = publication.priority == "urgent"
        regions = sorted(publication.regions.all(), key=lambda region: region.path)
        return {
            "publication": publication.pk,
            "organisation": publication.organisation_id,
            "text": text,
            "priority": "urgent" if urgent else "normal",
            "regions": [region.code for region in regions],
            "region_paths": [region.path for region in regions],
            "valid_from": publication.valid_from.isoformat(),
            "valid_until": publication.valid_until.isoformat(),
            "duration_s": feed.URGENT_DURATION_S if urgent else feed.NORMAL_DURATION_S,
        }

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        from channels.led.models import PlaylistItem

        with transaction.atomic():
            item = PlaylistItem.objects.filter(marker=marker).first()
            if item is None:
                item = PlaylistItem(
                    marker=marker,
                    publication_id=payload.get("publication"),
                    organisation_id=payload.get("organisation"),
                )
                _apply(item, payload)
        return _receipt(item)

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        with transaction.atomic():
            item = _item(external_id)
            item.publication_id = payload.get("publication") or item.publication_id
            item.organisation_id = payload.get("organisation", item.organisation_id)
            item.retracted_at = None
            _apply(item, payload)
        return _receipt(item)

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        from channels.led.models import PlaylistItem

        item = PlaylistItem.objects.filter(pk=_pk(external_id)).first()
        if item is not None and item.retracted_at is None:
            item.retracted_at = timezone.now()
            item.save(update_fields=["retracted_at"])


def _when(value: str) -> datetime:
    moment = parse_datetime(value or "")
    if moment is None:
        raise PermanentError(f"Not a date and time: {value!r}.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _apply(item, payload: dict[str, Any]) -> None:
    """Copies the payload onto the item and saves it with its regions."""
    from hub.models import Region

    codes = list(payload.get("regions") or [])
    regions = list(Region.objects.filter(code__in=codes))
    if len(regions) != len(set(codes)):
        missing = sorted(set(codes) - {region.code for region in regions})
        raise PermanentError(f"Unknown regions: {', '.join(missing)}.")
    item.text = payload["text"]
    item.priority = payload.get("priority", "normal")
    item.duration_s = int(payload.get("duration_s") or feed.NORMAL_DURATION_S)
    item.valid_from = _when(payload["valid_from"])
    item.valid_until = _when(payload["valid_until"])
    item.everywhere = not codes
    item.save()
    item.regions.set(regions)


def _pk(external_id: str) -> int:
    head = str(external_id).partition("-")[0]
    if not head.isdigit():
        raise PermanentError(f"Not an LED item id: {external_id!r}.")
    return int(head)


def _item(external_id: str):
    from channels.led.models import PlaylistItem

    item = PlaylistItem.objects.select_for_update().filter(pk=_pk(external_id)).first()
    if item is None:
        raise PermanentError(f"LED item {external_id} no longer exists.")
    return item


def _receipt(item) -> Receipt:
    return Receipt(
        external_id=str(item.pk), detail={"id": item.feed_id, "regions": [r.code for r in item.regions.all()]}
    )
