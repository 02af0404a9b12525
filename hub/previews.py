"""Channel previews of a story: the exact variants an approver signs off, as each channel shows them."""

import base64

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from channels import textlimits
from hub import limits
from media.led import render_frame

PREVIEW_MODES = [
    ("", _("Portal page")),
    ("facebook", _("Facebook post")),
    ("x", _("X post")),
    ("sms", _("SMS")),
    ("led", _("LED frame")),
    ("loudspeaker", _("Loudspeaker bulletin")),
    ("zalo", _("Zalo message")),
]
CHANNEL_MODES = {"facebook", "x", "sms", "led", "loudspeaker", "zalo"}
LED_SIZES = ((192, 96), (256, 128), (384, 192))


def preview_template(mode: str) -> str | None:
    return f"hub/previews/{mode}.html" if mode in CHANNEL_MODES else None


def led_frames(text: str, *, urgent: bool) -> list[dict]:
    """The LED frame at each board size, as data: URIs the preview can embed."""
    frames = []
    for width, height in LED_SIZES:
        png = render_frame(text, width=width, height=height, urgent=urgent)
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        frames.append({"width": width, "height": height, "src": uri})
    return frames


def preview_context(*, story, mode: str, request) -> dict:
    """Context of a channel preview; the variants are those frozen at publication."""
    context = {"story": story, "page": story, "request": request, "mode": mode}
    link = story.full_url or settings.WAGTAILADMIN_BASE_URL
    if mode == "sms":
        context["sms"] = textlimits.measure_sms(story.sms_variant)
        context["sms_ascii"] = textlimits.measure_sms(story.sms_variant_ascii)
        context["sms_max_segments"] = limits.variants.sms_max_segments()
        context["sms_error"] = limits.sms_limit_error(story.sms_variant)
    elif mode == "x":
        context["link"] = link
        context["x_weighted"] = textlimits.x_weighted_length(story.social_variant) + limits.X_LINK_WEIGHT
        context["x_max"] = textlimits.X_MAX_WEIGHTED
        context["x_error"] = limits.x_limit_error(story.social_variant)
    elif mode == "facebook":
        context["link"] = link
    elif mode == "led":
        context["frames"] = led_frames(story.led_variant, urgent=story.alert)
        context["led_error"] = limits.led_limit_error(story.led_variant)
    elif mode == "loudspeaker":
        context["reading"] = textlimits.measure_reading(story.loudspeaker_variant)
        context["loudspeaker_error"] = limits.loudspeaker_limit_error(story.loudspeaker_variant)
        context["loudspeaker_max"] = limits.variants.loudspeaker_max_seconds()
        recording = getattr(story, "loudspeaker_recording", None)
        context["recording"] = recording
        context["recording_error"] = limits.recording_error(recording) if recording else None
    elif mode == "zalo":
        context["link"] = link
        context["zalo_chars"] = len(textlimits.normalize(story.zalo_variant))
        context["zalo_max"] = limits.variants.ZALO_MAX_CHARS
        context["zalo_error"] = limits.zalo_limit_error(story.zalo_variant)
    return context
