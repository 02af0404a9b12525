"""The exercise switch in the admin: start and end a drill, its history, and the banner while it runs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub.exercise import (
    END_ACTION,
    START_ACTION,
    ExerciseError,
    exercise_end,
    exercise_start,
    may_run_exercise,
)
from hub.models import ExercisePeriod, Organisation
from hub.permissions import RUN_EXERCISE
from hub.tenancy import organisations_for

HISTORY_ROWS = 50


def _runnable(user) -> list[Organisation]:
    return [org for org in organisations_for(user).order_by("name") if may_run_exercise(user, org)]


@require_safe
def exercise_index_view(request):
    organisations = _runnable(request.user)
    if not organisations:
        raise PermissionDenied
    open_periods = {
        period.organisation_id: period
        for period in ExercisePeriod.objects.open()
        .filter(organisation__in=organisations)
        .select_related("started_by")
    }
    history = (
        ExercisePeriod.objects.filter(organisation__in=organisations)
        .select_related("organisation", "started_by", "ended_by")
        .order_by("-started_at", "-pk")[:HISTORY_ROWS]
    )
    rows = [(organisation, open_periods.get(organisation.pk)) for organisation in organisations]
    return render(
        request,
        "hub/admin/exercise.html",
        {"rows": rows, "history": history, "page_title": _("Exercise mode")},
    )


@require_POST
def exercise_switch_view(request, pk: int, action: str):
    organisation = get_object_or_404(organisations_for(request.user), pk=pk)
    if not may_run_exercise(request.user, organisation):
        raise PermissionDenied
    try:
        if action == "start":
            exercise_start(organisation=organisation, user=request.user, note=request.POST.get("note", ""))
            messages.warning(
                request,
                _("%(name)s is in exercise mode: everything it publishes now is a drill.")
                % {"name": organisation},
            )
        else:
            period = exercise_end(organisation=organisation, user=request.user)
            messages.success(
                request,
                _(
                    "Exercise mode ended for %(name)s; %(count)d exercise stories withdrawn from every channel."
                )
                % {"name": organisation, "count": period.retracted},
            )
    except ExerciseError as error:
        messages.error(request, str(error))
    return redirect("hub_exercise")


@require_safe
def exercise_banner_view(request):
    """The user's organisations running a drill, for the banner on every admin page."""
    running = (
        ExercisePeriod.objects.open()
        .filter(organisation__in=organisations_for(request.user))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    items = [
        _("%(name)s since %(since)s")
        % {
            "name": period.organisation.name,
            "since": timezone.localtime(period.started_at).strftime("%d/%m/%Y %H:%M"),
        }
        for period in running
    ]
    if not items:
        return JsonResponse({"on": False})
    return JsonResponse(
        {
            "on": True,
            "text": _("EXERCISE MODE IS ON: everything published is a drill (%(list)s).")
            % {"list": "; ".join(items)},
            "url": reverse("hub_exercise"),
        }
    )


class ExerciseMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.has_perm(RUN_EXERCISE)


@hooks.register("register_admin_urls")
def register_exercise_urls():
    return [
        path("exercise/", exercise_index_view, name="hub_exercise"),
        path("exercise/banner/", exercise_banner_view, name="hub_exercise_banner"),
        path(
            "exercise/<int:pk>/start/", exercise_switch_view, {"action": "start"}, name="hub_exercise_start"
        ),
        path("exercise/<int:pk>/end/", exercise_switch_view, {"action": "end"}, name="hub_exercise_end"),
    ]


@hooks.register("register_settings_menu_item")
def register_exercise_menu_item():
    return ExerciseMenuItem(
        gettext_lazy("Exercise mode"), reverse("hub_exercise"), icon_name="warning", order=250
    )


@hooks.register("register_log_actions")
def register_exercise_log_actions(actions):
    actions.register_action(
        START_ACTION, gettext_lazy("Start exercise mode"), gettext_lazy("Exercise mode started")
    )
    actions.register_action(
        END_ACTION, gettext_lazy("End exercise mode"), gettext_lazy("Exercise mode ended")
    )


@hooks.register("insert_global_admin_js")
def exercise_banner_js():
    return format_html(
        '<script src="{}" data-exercise-banner="{}" defer></script>',
        static("hub/js/exercise-banner.js"),
        reverse("hub_exercise_banner"),
    )
