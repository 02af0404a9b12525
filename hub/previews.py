"""Channel previews of a story: the exact variants an approver signs off, as each channel shows them."""

import base64

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from channels import textlimits
from channels.exercise import bulletin_script, split_mark
from hub import limits
from hub.translations import page_language
from media.audio import voice_for
from media.led import render_frame

PREVIEW_MODES = [
    ("", _("Portal page")),
    ("facebook", _("Facebook post")),
    ("x", _("X post")),
    ("sms", _("SMS")),
    ("led", _("LED frame")),
    ("loudspeaker", _("Loudspeaker bulletin")),
    ("zalo", _("Zalo message")),
    ("translation", _("Source and translation")),
]
CHANNEL_MODES = {"facebook", "x", "sms", "led", "loudspeaker", "zalo"}
LED_SIZES = ((192, 96), (256, 128), (384, 192))


def preview_template(mode: str) -> str | None:
    if mode == "translation":
        return "hub/previews/translation.html"
    return f"hub/previews/{mode}.html" if mode in CHANNEL_MODES else None


def led_frames(text: str, *, urgent: bool) -> list[dict]:
    """The LED frame at each board size, as data: URIs the preview can embed."""
    frames = []
    band, text = split_mark(text)
    for width, height in LED_SIZES:
        png = render_frame(text, width=width, height=height, urgent=urgent, band=band)
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        frames.append({"width": width, "height": height, "src": uri})
    return frames


def preview_context(*, story, mode: str, request) -> dict:
    """Context of a channel preview: the payload the channel's adapter composes for the story's
    would-be Publication, i.e. exactly what the pipeline will freeze and send."""
    context = {"story": story, "page": story, "request": request, "mode": mode}
    if mode == "loudspeaker":  # read aloud at the station: measured by reading time, not by an adapter
        from hub.exercise import in_exercise
        from hub.tenancy import organisation_for_site

        exercise = bool(story.pk) and in_exercise(organisation_for_site(story.get_site()))
        script = bulletin_script(story.loudspeaker_variant, exercise=exercise)
        recording = None if exercise else getattr(story, "loudspeaker_recording", None)
        context["exercise"] = exercise
        context["script"] = script
        context["reading"] = textlimits.measure_reading(script)
        context["loudspeaker_error"] = limits.loudspeaker_limit_error(script)
        context["loudspeaker_max"] = limits.variants.loudspeaker_max_seconds()
        context["recording"] = recording
        context["recording_error"] = limits.recording_error(recording) if recording else None
        context["voice_language"] = page_language(story)
        context["voice"] = voice_for(context["voice_language"])
        return context
    if mode == "zalo":  # the Zalo OA article and message, measured on its own limit
        context["link"] = story.full_url or settings.WAGTAILADMIN_BASE_URL
        context["zalo_chars"] = len(textlimits.normalize(story.zalo_variant))
        context["zalo_max"] = limits.variants.ZALO_MAX_CHARS
        context["zalo_error"] = limits.zalo_limit_error(story.zalo_variant)
        return context
    if mode == "translation":  # the approver of a translation compares it with its source
        from hub.translations import side_by_side

        context.update(side_by_side(story))
        return context
    channel = {"facebook": "facebook", "x": "x", "sms": "sms", "led": "led"}[mode]
    fit = limits.channel_fits(story, channels={channel})
    fit = fit[0] if fit else None
    context["fit"] = fit
    context["targeted"] = channel in (story.channels or [])
    if fit is None:
        return context
    if mode == "sms":
        context["sms_text"] = fit.payload["text"]
        context["sms_text_ascii"] = fit.payload["text_ascii"]
        context["sms"] = textlimits.measure_sms(fit.payload["text"])
        context["sms_ascii"] = textlimits.measure_sms(fit.payload["text_ascii"])
        context["sms_max_segments"] = fit.limit
        context["sms_error"] = fit.message or limits.sms_ascii_error(story)
    elif mode == "x":
        context["link"] = fit.payload["url"]
        context["x_post"] = fit.text
        context["x_weighted"] = fit.used
        context["x_max"] = fit.limit
        context["x_error"] = fit.message
    elif mode == "facebook":
        context["link"] = fit.payload["link"]
        context["facebook_message"] = fit.text
    elif mode == "led":
        context["led_text"] = fit.text
        context["frames"] = led_frames(fit.text, urgent=story.alert)
        context["led_error"] = fit.message
    return context
