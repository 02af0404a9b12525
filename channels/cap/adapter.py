"""The CAP channel: a pull feed. Every approved urgent story becomes a CAP 1.2 alert.

An update of the story issues an `Update` that references the earlier messages; a retraction
(or a story that stops being an alert) issues a `Cancel`. The message is frozen as XML when
the delivery is made, and served as it is.
"""

import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channels.base import ChannelAdapter, PermanentError, Receipt, Target
from channels.cap.document import build_alert
from channels.cap.signing import SigningConfigError, sign_alert

if TYPE_CHECKING:
    from publishing.models import Publication

CANCEL_SHOWN_FOR = datetime.timedelta(days=1)
CAP_LANGUAGES = {"vi": "vi-VN", "en": "en-US"}


def story_key(page_id: int) -> str:
    return f"story-{page_id}"


class CapFeedAdapter(ChannelAdapter):
    """Publishes urgent stories as CAP alerts; alerting systems pull them (docs/cap.md)."""

    push = False
    automatic = True  # not chosen per story: every urgent story is an alert
    supports_update = True
    supports_retract = True

    def targets(self, publication: "Publication") -> list[Target]:
        if publication.page_id is None or publication.revision_id is None:
            return []
        if not publication.revision.content.get("alert") and not self._live(publication.page_id):
            return []  # not an alert now or before: nothing to say (one that was gets a cancel)
        return [Target("feed", str(_("Alerting systems (CAP)")))]

    @staticmethod
    def _live(page_id: int) -> bool:
        from channels.cap.models import CapMessage, MessageType

        latest = CapMessage.objects.filter(story_key=story_key(page_id)).order_by("-sequence").first()
        return latest is not None and latest.msg_type != MessageType.CANCEL

    def render(self, publication: "Publication", target: Target) -> dict[str, Any]:
        from hub.models import Region

        story = publication.revision.as_object()
        if not story.alert:
            return {"story": story_key(publication.page_id), "cancel": True}
        site = story.get_site()
        organisation = getattr(site, "organisation", None) if site else None
        hostname = urlsplit(publication.url).hostname or (site.hostname if site else "localhost")
        regions = sorted(publication.regions.all(), key=lambda region: region.path)
        if not regions:
            regions = list(Region.objects.filter(parent__isnull=True))
        stories = [story, *self._translations(story)]
        return {
            "story": story_key(publication.page_id),
            "organisation": organisation.pk if organisation else None,
            "sender": f"{organisation.slug if organisation else 'hub'}@{hostname}",
            "sender_name": organisation.name if organisation else (site.site_name if site else hostname),
            "status": "Actual",
            "expires": publication.valid_until.isoformat(),
            "areas": [{"desc": region.name, "geocodes": [region.code]} for region in regions],
            "infos": [self._info(each, source=story) for each in stories],
        }

    @staticmethod
    def _translations(story) -> list:
        """Live translations of the story, each an `<info>` in its language after Vietnamese."""
        if not hasattr(story, "get_translations"):
            return []
        return [
            page.specific for page in story.get_translations(inclusive=False).live().order_by("locale_id")
        ]

    @staticmethod
    def _info(story, *, source) -> dict[str, Any]:
        language = getattr(getattr(story, "locale", None), "language_code", None) or "vi"
        return {
            "language": CAP_LANGUAGES.get(language, language),
            "category": source.alert_category,
            "event": story.alert_event or source.alert_event or str(story._meta.verbose_name),
            "urgency": source.alert_urgency,
            "severity": source.alert_severity,
            "certainty": source.alert_certainty,
            "headline": story.title,
            "description": story.summary,
            "instruction": story.alert_instruction,
            "web": story.full_url or "",
        }

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        return self._issue(payload, marker=marker)

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        return self._issue(payload, marker=marker)

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        from channels.cap.models import CapMessage

        message = CapMessage.objects.filter(identifier=external_id).first()
        if message is None:
            return
        self._issue({"story": message.story_key, "cancel": True}, marker=f"{external_id}:cancel")

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        from channels.cap.models import CapMessage

        message = CapMessage.objects.filter(marker=marker).first()
        return _receipt(message) if message else None

    def _issue(self, payload: dict[str, Any], *, marker: str) -> Receipt:
        """The story's next message: an Alert, an Update of the live alert, or its Cancel."""
        from channels.cap.models import CapMessage, MessageType

        existing = CapMessage.objects.filter(marker=marker).first()
        if existing is not None:
            return _receipt(existing)
        now = timezone.now()
        with transaction.atomic():
            history = list(
                CapMessage.objects.select_for_update().filter(story_key=payload["story"]).order_by("sequence")
            )
            latest = history[-1] if history else None
            live = latest is not None and latest.msg_type != MessageType.CANCEL
            # The messages about the alert now in force: everything since the last cancel.
            chain = []
            for message in history:
                chain = [] if message.msg_type == MessageType.CANCEL else [*chain, message]
            cancel = bool(payload.get("cancel"))
            if cancel and not live:
                return _receipt(latest) if latest else Receipt(external_id="")
            if cancel:
                msg_type, header = MessageType.CANCEL, {"sender": latest.sender, "status": latest.status}
                headline, organisation_id = latest.headline, latest.organisation_id
                expires = now + CANCEL_SHOWN_FOR
            else:
                msg_type = MessageType.UPDATE if live else MessageType.ALERT
                header, headline = payload, payload["infos"][0]["headline"][:255]
                organisation_id, expires = payload.get("organisation"), _expires(payload)
            sequence = (latest.sequence if latest else 0) + 1
            identifier = f"{header['sender'].replace('@', '.')}.{payload['story']}.{sequence}"
            references = [message.reference for message in chain]
            note = str(_("The story was withdrawn; this alert no longer applies.")) if cancel else ""
            document = build_alert(
                header, identifier=identifier, msg_type=msg_type, sent=now, references=references, note=note
            )
            try:
                document = sign_alert(document)
            except SigningConfigError as exc:
                raise PermanentError(f"CAP signing: {exc}") from exc
            try:
                message = CapMessage.objects.create(
                    organisation_id=organisation_id,
                    story_key=payload["story"],
                    identifier=identifier,
                    sender=header["sender"],
                    sequence=sequence,
                    msg_type=msg_type,
                    status=header.get("status") or "Actual",
                    sent_at=now,
                    expires_at=expires,
                    headline=headline,
                    references=" ".join(references),
                    replaces=latest,
                    marker=marker,
                    xml=document,
                )
            except IntegrityError as exc:
                raise PermanentError(f"CAP message {identifier} exists already.") from exc
        return _receipt(message)


def _expires(payload: dict[str, Any]) -> datetime.datetime:
    return datetime.datetime.fromisoformat(payload["expires"])


def _receipt(message) -> Receipt:
    return Receipt(external_id=message.identifier, detail={"type": message.msg_type})
