"""Admin views of the editorial workflows: live channel counters and the pending-review listing."""

from types import SimpleNamespace

from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from channels import textlimits
from channels.exercise import bulletin_script
from hub import limits, variants
from hub.deadlines import pending_reviews
from hub.permissions import APPROVERS, role_q

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


def measure(
    *, field: str, text: str, title: str = "", summary: str = "", url: str = "", exercise: bool = False
) -> dict:
    """Counters of one channel-variant field, measured on what the channel's adapter will send
    (the final link and, during a drill, the exercise mark included); an empty field is measured
    on its derived text."""
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
    if field == "loudspeaker_text":
        return _loudspeaker(story, derived=not text.strip(), exercise=exercise)
    if field == "zalo_text":
        zalo = variants.zalo_text(story)
        chars = len(textlimits.normalize(zalo))
        return {
            "field": field,
            "derived": not text.strip(),
            "sent": zalo,
            "text": zalo,
            "zalo": {"chars": chars, "max": variants.ZALO_MAX_CHARS, "over": chars > variants.ZALO_MAX_CHARS},
            "error": limits.zalo_limit_error(zalo),
        }
    fit = limits.field_fit(field, story, url=url or limits.PLACEHOLDER_URL, exercise=exercise)
    result: dict = {"field": field, "derived": not text.strip(), "sent": fit.text}
    if field == "sms_text":
        sms = fit.text
        ascii_text = fit.payload["text_ascii"]
        result |= {"text": sms, "sms": _sms(sms), "ascii_text": ascii_text, "sms_ascii": _sms(ascii_text)}
        result["error"] = fit.message or limits.sms_ascii_error(story)
    elif field == "social_text":
        result |= {
            "text": fit.payload["text"],
            "x": {
                "weighted": fit.used,
                "max": fit.limit,
                "remaining": fit.remaining,
                "link": fit.used - textlimits.x_weighted_length(fit.payload["text"]),
                "over": bool(fit.over),
            },
        }
        result["error"] = fit.message or None
    else:
        result |= {
            "text": fit.text,
            "led": {"chars": fit.used, "max": fit.limit, "over": bool(fit.over)},
        }
        result["error"] = fit.message or None
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
    values["url"] = _story_url(request, data.get("page", ""), data.get("parent", ""), data.get("slug", ""))
    if any(len(value) > MAX_TEXT for value in values.values()):
        return JsonResponse(
            {"error": _("Text too long to measure (over %d characters).") % MAX_TEXT}, status=400
        )
    exercise = _in_exercise(request, data.get("page", ""), data.get("parent", ""))
    return JsonResponse(measure(field=field, exercise=exercise, **values))


def _loudspeaker(story, *, derived: bool, exercise: bool = False) -> dict:
    """The bulletin script's reading time at a broadcast pace, against the longest allowed."""
    script = bulletin_script(variants.loudspeaker_text(story), exercise=exercise)
    reading = textlimits.measure_reading(script)
    maximum = variants.loudspeaker_max_seconds()
    return {
        "field": "loudspeaker_text",
        "derived": derived,
        "sent": script,
        "text": script,
        "loudspeaker": {
            "words": reading.words,
            "seconds": reading.seconds,
            "max": maximum,
            "over": reading.seconds > maximum,
        },
        "error": limits.loudspeaker_limit_error(script),
    }


def _story_url(request, page_id: str, parent_id: str, slug: str) -> str:
    """The address the story will have: from its edit view, or its section and slug while created."""
    from django.utils.text import slugify
    from wagtail.models import Page

    from publishing.services import story_url

    if page_id.isdigit():
        page = Page.objects.filter(pk=int(page_id)).first()
        if page is not None and page.permissions_for_user(request.user).can_edit():
            return story_url(page.specific)
    if parent_id.isdigit() and slugify(slug) == slug and slug:
        parent = Page.objects.filter(pk=int(parent_id)).first()
        if parent is not None and parent.permissions_for_user(request.user).can_add_subpage():
            url = parent.get_full_url()
            return f"{url}{slug}/" if url else ""
    return ""


def _in_exercise(request, page_id: str, parent_id: str) -> bool:
    """Whether the story's organisation runs a drill: its texts are then measured with the mark."""
    from wagtail.models import Page

    from hub.exercise import in_exercise
    from hub.tenancy import organisation_for_site

    for pk in (page_id, parent_id):
        if pk.isdigit() and (page := Page.objects.filter(pk=int(pk)).first()) is not None:
            if not page.permissions_for_user(request.user).can_edit() and pk == page_id:
                return False
            return in_exercise(organisation_for_site(page.get_site()))
    return False


def sees_all_reviews(user) -> bool:
    return user.is_superuser or user.groups.filter(role_q(APPROVERS)).exists()


def reviews_for(user):
    """Pending reviews a user should watch: all for approvers, else those they can act on."""
    from wagtail.models import TaskState

    from hub.tenancy import is_superuser, pages_for

    if is_superuser(user):
        return pending_reviews()
    if sees_all_reviews(user):
        states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    else:
        states = TaskState.objects.reviewable_by(user)
    page_ids = pages_for(user).annotate(key=Cast("pk", CharField())).values("key")
    return pending_reviews(task_states=states.filter(workflow_state__object_id__in=page_ids))


def pending_reviews_view(request):
    reviews = sorted(reviews_for(request.user), key=lambda r: (not r.overdue, -r.waited.total_seconds()))
    return render(
        request, "hub/admin/pending_reviews.html", {"reviews": reviews, "page_title": _("Pending reviews")}
    )
