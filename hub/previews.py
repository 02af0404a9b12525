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
    ("translation", _("Source and translation")),
]
CHANNEL_MODES = {"facebook", "x", "sms", "led"}
LED_SIZES = ((192, 96), (256, 128), (384, 192))


def preview_template(mode: str) -> str | None:
    if mode == "translation":
        return "hub/previews/translation.html"
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
    elif mode == "translation":
        from hub.translations import side_by_side

        context.update(side_by_side(story))
    elif mode == "led":
        context["frames"] = led_frames(story.led_variant, urgent=story.alert)
        context["led_error"] = limits.led_limit_error(story.led_variant)
    return context
