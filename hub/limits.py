"""Channel-variant limits, measured with the same code the channels use (channels.textlimits)."""

from django.utils.translation import gettext as _

from channels import textlimits
from hub import variants

X_LINK_WEIGHT = 24  # the channel appends the story link: 23 for the t.co URL plus a space


def sms_limit_error(text: str) -> str | None:
    """A message when the SMS (or its diacritic-free variant) needs more segments than allowed."""
    limit = variants.sms_max_segments()
    for label, candidate in (
        (_("The SMS text"), text),
        (_("Its diacritic-free variant"), variants.ascii_text(text)),
    ):
        measure = textlimits.measure_sms(candidate)
        if measure.segments > limit:
            return _(
                "%(what)s needs %(segments)d SMS segments (%(encoding)s, %(chars)d characters); "
                "at most %(limit)d are allowed. Shorten it."
            ) % {
                "what": label,
                "segments": measure.segments,
                "encoding": measure.encoding,
                "chars": measure.chars,
                "limit": limit,
            }
    return None


def x_limit_error(text: str) -> str | None:
    weighted = textlimits.x_weighted_length(text) + X_LINK_WEIGHT
    if weighted > textlimits.X_MAX_WEIGHTED:
        return _(
            "The post counts %(weighted)d of %(max)d on X, including 24 for the link. Shorten it by %(over)d."
        ) % {
            "weighted": weighted,
            "max": textlimits.X_MAX_WEIGHTED,
            "over": weighted - textlimits.X_MAX_WEIGHTED,
        }
    return None


def led_limit_error(text: str) -> str | None:
    length = len(textlimits.normalize(text))
    if length > variants.LED_MAX_CHARS:
        return _("The LED text has %(length)d characters; at most %(max)d fit a board.") % {
            "length": length,
            "max": variants.LED_MAX_CHARS,
        }
    return None


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
    """Errors keyed by field for the variants that would go out over their channel's limit."""
    errors = {}
    checks = (
        ("sms_text", variants.sms_text, sms_limit_error),
        ("social_text", variants.social_text, x_limit_error),
        ("led_text", variants.led_text, led_limit_error),
        ("loudspeaker_text", variants.loudspeaker_text, loudspeaker_limit_error),
        ("zalo_text", variants.zalo_text, zalo_limit_error),
    )
    for field, variant, check in checks:
        if getattr(story, field, "").strip():
            message = check(variant(story))
            if message:
                errors[field] = message
    recording = getattr(story, "loudspeaker_recording", None)
    if recording is not None:
        message = recording_error(recording)
        if message:
            errors["loudspeaker_recording"] = message
    return errors


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
