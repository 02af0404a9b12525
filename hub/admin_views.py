"""Admin views of the editorial workflows: live channel counters and the pending-review listing."""

from types import SimpleNamespace

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from channels import textlimits
from hub import limits, variants
from hub.deadlines import pending_reviews
from hub.permissions import APPROVERS

MAX_TEXT = 5000


def _sms(text: str) -> dict:
    measure = textlimits.measure_sms(text)
    maximum = variants.sms_max_segments()
    return {
        "chars": measure.chars,
        "encoding": measure.encoding,
        "units": measure.units,
        "segments": measure.segments,
        "per_segment": measure.per_segment,
        "remaining": measure.remaining,
        "max_segments": maximum,
        "over": measure.segments > maximum,
    }


def measure(*, field: str, text: str, title: str = "", summary: str = "") -> dict:
    """Counters of one channel-variant field; an empty field is measured on its derived text."""
    story = SimpleNamespace(
        title=title,
        summary=summary,
        sms_text="",
        social_text="",
        led_text="",
        loudspeaker_text="",
        zalo_text="",
    )
    setattr(story, field, text)
    result: dict = {"field": field, "derived": not text.strip()}
    if field == "sms_text":
        sms = variants.sms_text(story)
        ascii_text = variants.ascii_text(sms)
        result |= {"text": sms, "sms": _sms(sms), "ascii_text": ascii_text, "sms_ascii": _sms(ascii_text)}
        result["error"] = limits.sms_limit_error(sms)
    elif field == "social_text":
        social = variants.social_text(story)
        weighted = textlimits.x_weighted_length(social) + limits.X_LINK_WEIGHT
        result |= {
            "text": social,
            "x": {
                "weighted": weighted,
                "max": textlimits.X_MAX_WEIGHTED,
                "remaining": textlimits.X_MAX_WEIGHTED - weighted,
                "link": limits.X_LINK_WEIGHT,
                "over": weighted > textlimits.X_MAX_WEIGHTED,
            },
        }
        result["error"] = limits.x_limit_error(social)
    elif field == "loudspeaker_text":
        script = variants.loudspeaker_text(story)
        reading = textlimits.measure_reading(script)
        maximum = variants.loudspeaker_max_seconds()
        result |= {
            "text": script,
            "loudspeaker": {
                "words": reading.words,
                "seconds": reading.seconds,
                "max": maximum,
                "over": reading.seconds > maximum,
            },
        }
        result["error"] = limits.loudspeaker_limit_error(script)
    elif field == "zalo_text":
        zalo = variants.zalo_text(story)
        chars = len(textlimits.normalize(zalo))
        result |= {
            "text": zalo,
            "zalo": {"chars": chars, "max": variants.ZALO_MAX_CHARS, "over": chars > variants.ZALO_MAX_CHARS},
        }
        result["error"] = limits.zalo_limit_error(zalo)
    else:
        led = variants.led_text(story)
        chars = len(textlimits.normalize(led))
        result |= {
            "text": led,
            "led": {"chars": chars, "max": variants.LED_MAX_CHARS, "over": chars > variants.LED_MAX_CHARS},
        }
        result["error"] = limits.led_limit_error(led)
    return result


FIELDS = ("sms_text", "social_text", "led_text", "loudspeaker_text", "zalo_text")


@require_http_methods(["GET", "POST"])
def counters_view(request):
    """JSON counters for the channel-variant fields, computed by channels.textlimits."""
    data = request.POST if request.method == "POST" else request.GET
    field = data.get("field", "")
    if field not in FIELDS:
        return JsonResponse(
            {"error": _("Unknown field; expected one of %s.") % ", ".join(FIELDS)}, status=400
        )
    values = {name: data.get(name, "") for name in ("text", "title", "summary")}
    if any(len(value) > MAX_TEXT for value in values.values()):
        return JsonResponse(
            {"error": _("Text too long to measure (over %d characters).") % MAX_TEXT}, status=400
        )
    return JsonResponse(measure(field=field, **values))


def sees_all_reviews(user) -> bool:
    return user.is_superuser or user.groups.filter(name=APPROVERS).exists()


def reviews_for(user):
    """Pending reviews a user should watch: all for approvers, else those they can act on."""
    from wagtail.models import TaskState

    if sees_all_reviews(user):
        return pending_reviews()
    return pending_reviews(task_states=TaskState.objects.reviewable_by(user))


def pending_reviews_view(request):
    reviews = sorted(reviews_for(request.user), key=lambda r: (not r.overdue, -r.waited.total_seconds()))
    return render(
        request, "hub/admin/pending_reviews.html", {"reviews": reviews, "page_title": _("Pending reviews")}
    )
