"""Channel variants of a story: the editor's text, or one derived from title and summary.

Derived text is what the approver sees in the previews and what is frozen at publication,
so nothing goes out unseen.
"""

from django.conf import settings
from django.template.loader import render_to_string

from channels import textlimits
from channels.textlimits import speech
from hub.languages import DEFAULT_LANGUAGE

ELLIPSIS = "…"


def _derived(template: str, story) -> str:
    return " ".join(render_to_string(template, {"story": story}).split())


def _fit(text: str, fits) -> str:
    """Shortens text at a word boundary, adding an ellipsis, until `fits(text)` holds."""
    if fits(text):
        return text
    words = text.split()
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(" ,.;:-") + ELLIPSIS
        if fits(candidate):
            return candidate
    return ""


def sms_max_segments() -> int:
    return getattr(settings, "SMS_MAX_SEGMENTS", 3)


def sms_fits(text: str) -> bool:
    return textlimits.measure_sms(text).segments <= sms_max_segments()


def sms_text(story) -> str:
    if story.sms_text.strip():
        return textlimits.normalize(story.sms_text.strip())
    return _fit(textlimits.normalize(_derived("hub/variants/sms.txt", story)), sms_fits)


def ascii_text(text: str) -> str:
    return textlimits.to_ascii(text)


def social_text(story) -> str:
    if story.social_text.strip():
        return textlimits.normalize(story.social_text.strip())
    text = textlimits.normalize(_derived("hub/variants/social.txt", story))
    return _fit(text, _x_fits(story))


def _x_fits(story):
    """Whether a text fits X once the channel adds the story's link, as the X adapter composes it."""
    from types import SimpleNamespace

    from channels.registry import get_adapter

    if "x" not in settings.HUB_CHANNELS:
        # The link counts 23 plus a space.
        return lambda t: textlimits.x_weighted_length(t) <= textlimits.X_MAX_WEIGHTED - 24
    from hub.limits import PLACEHOLDER_URL

    url = PLACEHOLDER_URL
    if getattr(story, "pk", None):
        from publishing.services import story_url

        url = story_url(story) or PLACEHOLDER_URL
    adapter = get_adapter("x")

    def fits(text: str) -> bool:
        draft = SimpleNamespace(page_id=getattr(story, "pk", None), social_text=text, title="", url=url)
        return adapter.compose(draft, None)["weighted_length"] <= textlimits.X_MAX_WEIGHTED

    return fits


LED_MAX_CHARS = 120
ZALO_MAX_CHARS = 2000  # one Zalo OA text message (channels.zalo.adapter.TEXT_MAX)


def led_text(story) -> str:
    if story.led_text.strip():
        return textlimits.normalize(story.led_text.strip())
    text = textlimits.normalize(_derived("hub/variants/led.txt", story))
    return _fit(text, lambda t: len(t) <= LED_MAX_CHARS)


def loudspeaker_text(story) -> str:
    """The script read aloud: the editor's, or title and summary with numbers in words and no addresses."""
    if story.loudspeaker_text.strip():
        return textlimits.normalize(" ".join(story.loudspeaker_text.split()))
    derived = textlimits.normalize(_derived("hub/variants/loudspeaker.txt", story))
    if _language(story) != DEFAULT_LANGUAGE:  # numbers stay figures: the words are Vietnamese ones
        return " ".join(speech.without_urls(derived).split())
    return textlimits.speakable(derived)


def _language(story) -> str:
    from hub.translations import page_language

    return page_language(story)


def loudspeaker_max_seconds() -> int:
    return getattr(settings, "LOUDSPEAKER_MAX_SECONDS", 300)


def zalo_text(story) -> str:
    if story.zalo_text.strip():
        return textlimits.normalize(story.zalo_text.strip())
    text = textlimits.normalize(_derived("hub/variants/zalo.txt", story))
    return _fit(text, lambda t: len(t) <= ZALO_MAX_CHARS)
