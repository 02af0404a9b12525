"""Channel limits, measured on what each channel will send.

The text is the one the channel's adapter composes for the story's would-be Publication
(`publishing.services.publication_draft`): the same adapter, the same fields, the final link
and marker included. The editor's counters, the approver's previews, the approval check and
the frozen delivery payloads all come from there, so what is signed off is what is sent.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels import textlimits
from channels.exercise import bulletin_script
from hub import variants

X_LINK_WEIGHT = 24  # the link X counts (23) and the space before it
# The link measured while a new story has no address yet: X counts every link as 23.
PLACEHOLDER_URL = "https://example.org/"  # the same as publishing.services.PLACEHOLDER_URL
FACEBOOK_MAX_CHARS = 63_206
# Channel alias → the variant field the editor shortens when it does not fit.
CHANNEL_FIELDS = {"sms": "sms_text", "x": "social_text", "facebook": "social_text", "led": "led_text"}
CHANNEL_LABELS = {
    "sms": gettext_lazy("SMS"),
    "x": gettext_lazy("X"),
    "facebook": gettext_lazy("Facebook"),
    "led": gettext_lazy("LED"),
}
UNITS = {
    "segments": gettext_lazy("SMS segments"),
    "weighted": gettext_lazy("weighted characters"),
    "characters": gettext_lazy("characters"),
}


@dataclass(frozen=True)
class ChannelFit:
    """One channel's text as it will be sent, and how it measures against the channel's limit."""

    channel: str
    text: str
    used: int
    limit: int
    unit: str
    payload: dict

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))

    @property
    def over(self) -> int:
        return max(0, self.used - self.limit)

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    @property
    def message(self) -> str:
        if not self.over:
            return ""
        return _(
            "%(channel)s: %(used)d of %(limit)d %(unit)s, %(over)d too many. Shorten it before it is approved."
        ) % {
            "channel": self.label,
            "used": self.used,
            "limit": self.limit,
            "unit": UNITS[self.unit],
            "over": self.over,
        }


def _first_target(adapter, draft):
    from channels.base import Target

    try:
        targets = adapter.targets(draft)
    except Exception:  # noqa: BLE001 — a preview never fails on a channel's account set-up
        targets = []
    return targets[0] if targets else Target(key="", label="")


def measure_payload(channel: str, payload: dict) -> ChannelFit:
    """How a channel's payload measures; the numbers the pipeline's adapter checks."""
    if channel == "sms":
        text = payload["text"]
        return ChannelFit(
            "sms", text, textlimits.measure_sms(text).segments, settings.SMS_MAX_SEGMENTS, "segments", payload
        )
    if channel == "x":
        # The adapter's weight: the text, a space and the link as X's t.co link (23).
        return ChannelFit(
            "x", payload["post"], payload["weighted_length"], textlimits.X_MAX_WEIGHTED, "weighted", payload
        )
    if channel == "facebook":
        text = payload["message"]
        return ChannelFit("facebook", text, len(text), FACEBOOK_MAX_CHARS, "characters", payload)
    text = payload["text"]
    return ChannelFit("led", text, len(text), variants.LED_MAX_CHARS, "characters", payload)


def compose(adapter, draft, target) -> dict:
    """The adapter's payload before its limit check (render() refuses what does not fit)."""
    if hasattr(adapter, "compose"):
        return adapter.compose(draft, target)
    return adapter.render(draft, target)


def channel_fits(story, *, channels=None) -> list[ChannelFit]:
    """Each text channel's rendering of the story (its target channels unless `channels` is given)."""
    from channels.registry import get_adapter
    from publishing.services import publication_draft

    draft = publication_draft(page=story)
    wanted = channels if channels is not None else draft.channels
    fits = []
    for channel in CHANNEL_FIELDS:
        if channel not in wanted or channel not in settings.HUB_CHANNELS:
            continue
        adapter = get_adapter(channel)
        fits.append(measure_payload(channel, compose(adapter, draft, _first_target(adapter, draft))))
    return fits


def signoff_errors(story) -> list[str]:
    """Why the story cannot be approved as it stands: each targeted channel it does not fit."""
    return [fit.message for fit in channel_fits(story) if fit.over]


def loudspeaker_limit_error(text: str) -> str | None:
    from channels.textlimits.speech import has_url

    if has_url(text):
        return _("The loudspeaker script contains a web address; nobody can hear a link. Take it out.")
    seconds = textlimits.measure_reading(text).seconds
    if seconds > variants.loudspeaker_max_seconds():
        return _("The loudspeaker script takes about %(seconds)d s to read; at most %(max)d s.") % {
            "seconds": seconds,
            "max": variants.loudspeaker_max_seconds(),
        }
    return None


def zalo_limit_error(text: str) -> str | None:
    length = len(textlimits.normalize(text))
    if length > variants.ZALO_MAX_CHARS:
        return _("The Zalo text has %(length)d characters; a Zalo message takes at most %(max)d.") % {
            "length": length,
            "max": variants.ZALO_MAX_CHARS,
        }
    return None


def variant_limit_errors(story) -> dict[str, str]:
    """Errors keyed by variant field for the channels the story would go out over the limit on
    (the channels it targets, and those whose text the editor wrote)."""
    written = [channel for channel, field in CHANNEL_FIELDS.items() if getattr(story, field, "").strip()]
    targeted = list(getattr(story, "channels", None) or [])
    errors: dict[str, str] = {}
    for fit in channel_fits(story, channels=set(written) | set(targeted)):
        if fit.over:
            errors.setdefault(CHANNEL_FIELDS[fit.channel], fit.message)
    ascii_error = sms_ascii_error(story)
    if ascii_error and "sms_text" not in errors and getattr(story, "sms_text", "").strip():
        errors["sms_text"] = ascii_error
    if getattr(story, "loudspeaker_text", "").strip():
        message = loudspeaker_limit_error(
            bulletin_script(variants.loudspeaker_text(story), exercise=_exercise(story))
        )
        if message:
            errors["loudspeaker_text"] = message
    if getattr(story, "zalo_text", "").strip():
        message = zalo_limit_error(variants.zalo_text(story))
        if message:
            errors["zalo_text"] = message
    recording = getattr(story, "loudspeaker_recording", None)
    if recording is not None:
        message = recording_error(recording)
        if message:
            errors["loudspeaker_recording"] = message
    return errors


def _exercise(story) -> bool:
    """Whether the story's organisation runs a drill (its texts then carry the exercise mark)."""
    from hub.exercise import in_exercise
    from hub.tenancy import organisation_for_site

    return bool(getattr(story, "pk", None)) and in_exercise(organisation_for_site(story.get_site()))


def recording_error(document) -> str | None:
    """Whether an attached recording is real audio within the length and size limits (ffprobe)."""
    import os
    import tempfile

    from media import audio

    try:
        try:
            path = document.file.path
        except NotImplementedError:
            path = ""
        if path and os.path.exists(path):
            audio.check_recording(path)
        else:  # remote or in-memory storage: probe a local copy
            with tempfile.NamedTemporaryFile() as copy, document.open_file() as handle:
                for chunk in handle.chunks():
                    copy.write(chunk)
                copy.flush()
                audio.check_recording(copy.name)
    except audio.AudioError as error:
        return _("The recording cannot be used: %(reason)s") % {"reason": error}
    except OSError:
        return _("The recording's file cannot be read.")
    return None


def sms_ascii_error(story) -> str | None:
    """The diacritic-free variant some partners send must fit the same number of segments."""
    measure = textlimits.measure_sms(variants.ascii_text(variants.sms_text(story)))
    limit = variants.sms_max_segments()
    if measure.segments <= limit:
        return None
    return _(
        "%(channel)s: its diacritic-free variant needs %(used)d of %(limit)d %(unit)s, %(over)d too many."
    ) % {
        "channel": CHANNEL_LABELS["sms"],
        "used": measure.segments,
        "limit": limit,
        "unit": UNITS["segments"],
        "over": measure.segments - limit,
    }


def field_fit(field: str, story, *, url: str, exercise: bool = False) -> ChannelFit:
    """The editor's live counter of one variant field: the channel's composed text for it."""
    from channels.registry import get_adapter
    from hub.translations import page_language
    from publishing.services import PublicationDraft

    channel = {"sms_text": "sms", "social_text": "x", "led_text": "led"}[field]
    now = timezone.now()
    values = {
        "page_id": getattr(story, "pk", None),
        "language": page_language(story),
        "title": story.title,
        "url": url,
        "sms_text": variants.sms_text(story),
        "sms_text_ascii": variants.ascii_text(variants.sms_text(story)),
        "social_text": variants.social_text(story),
        "led_text": variants.led_text(story)[:255],
        "priority": "normal",
        "valid_from": now,
        "valid_until": now + datetime.timedelta(days=3),
        "is_exercise": exercise,
    }
    draft = PublicationDraft(values, [])
    adapter = get_adapter(channel)
    return measure_payload(channel, compose(adapter, draft, _first_target(adapter, draft)))
