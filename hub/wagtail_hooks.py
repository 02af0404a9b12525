"""Admin registrations of the editorial domain."""

from django.contrib import messages
from django.forms import Media
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet

from hub import (
    admin_views,
    exercise_admin,  # noqa: F401 (its hooks: the exercise switch and banner)
    gate,
    organisation_admin,  # noqa: F401  (tenancy: organisations, syndication, scoped regions)
)
from hub.models import CampaignSettings, Region
from hub.organisation_admin import ScopedRegionViewSet
from hub.services import phase_change_record


class RegionViewSet(ScopedRegionViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    ordering = ["path"]


register_snippet(RegionViewSet)


# --- Editorial workflows: counters, previews, deadlines, sign-off rules, phase audit ---


@hooks.register("register_admin_urls")
def register_workflow_admin_urls():
    return [
        path("hub/counters/", admin_views.counters_view, name="hub_counters"),
        path("hub/reviews/", admin_views.pending_reviews_view, name="hub_pending_reviews"),
    ]


@hooks.register("insert_editor_js")
def channel_counters_js():
    labels = {
        key: str(value)
        for key, value in {
            "SMS": _("SMS"),
            "characters": _("characters"),
            "segments": _("segments"),
            "remaining": _("remaining"),
            "Without diacritics": _("Without diacritics"),
            "X": _("X"),
            "weighted, link included": _("weighted, link included"),
            "Post as it will be sent": _("Post as it will be sent"),
            "LED": _("LED"),
            "Loudspeaker": _("Loudspeaker"),
            "words": _("words"),
            "about": _("about"),
            "read aloud": _("read aloud"),
            "at most": _("at most"),
            "Zalo": _("Zalo"),
            "Derived text that will be sent": _("Derived text that will be sent"),
            "Diacritic-free variant": _("Diacritic-free variant"),
        }.items()
    }
    return format_html(
        '<link rel="stylesheet" href="{}"><div id="hub-counter-config" hidden data-url="{}"></div>'
        "{}<script>window.hubCounterLabels = JSON.parse("
        'document.getElementById("hub-counter-labels").textContent);</script>'
        '<script src="{}" defer></script>',
        static("hub/css/channel-counters.css"),
        reverse("hub_counters"),
        json_script(labels, "hub-counter-labels"),
        static("hub/js/channel-counters.js"),
    )


class ReviewsMenuItem(MenuItem):
    def is_shown(self, request):
        return (
            admin_views.sees_all_reviews(request.user)
            or TaskState.objects.reviewable_by(request.user).exists()
        )


@hooks.register("register_admin_menu_item")
def register_reviews_menu_item():
    return ReviewsMenuItem(_("Pending reviews"), reverse("hub_pending_reviews"), icon_name="time", order=150)


class OverdueReviewsPanel(Component):
    name = "hub_overdue_reviews"
    template_name = "hub/admin/overdue_panel.html"
    order = 205

    def __init__(self, reviews):
        self.reviews = reviews

    def get_context_data(self, parent_context):
        reviews = sorted(self.reviews, key=lambda r: (not r.overdue, -r.waited.total_seconds()))
        overdue = [review for review in reviews if review.overdue]
        return {
            "request": parent_context["request"],
            "reviews": reviews[:10],
            "overdue_count": len(overdue),
            "heading": _("Overdue reviews") if overdue else _("Reviews waiting"),
        }

    @property
    def media(self):
        return Media(css={"all": [static("hub/css/channel-counters.css")]})


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request, panels):
    reviews = admin_views.reviews_for(request.user)
    if reviews:
        panels.append(OverdueReviewsPanel(reviews))


def _is_story(page) -> bool:
    return gate.is_story(page)


def _refuse(request, page):
    messages.error(request, gate.refusal_message())
    return redirect("wagtailadmin_pages:edit", page.pk) if _is_story(page) else redirect("wagtailadmin_home")


@hooks.register("construct_page_action_menu")
def stories_publish_through_workflow(menu_items, request, context):
    """Stories are published by the last approval, never directly (site administrators excepted)."""
    page = context.get("page")
    if page is None or request.user.is_superuser or not _is_story(page):
        return
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]


@hooks.register("before_publish_page")
def refuse_direct_story_publish(request, page):
    if request.user.is_superuser or not _is_story(page):
        return None
    return _refuse(request, page)


@hooks.register("after_publish_page")
def record_direct_story_publish(request, page):
    """The edit view publishes without the model's publish(): log an administrator's bypass here."""
    if _is_story(page) and request.user.is_superuser:
        gate.record_bypass_once(page, user=request.user, revision=page.get_latest_revision())


@hooks.register("before_copy_page")
def refuse_live_story_copy(request, page):
    """Copying with "publish" or as an alias makes stories live without sign-off."""
    if request.method != "POST" or request.user.is_superuser:
        return None
    publishing = request.POST.get("publish_copies") or request.POST.get("alias")
    if publishing and gate.subtree_has_stories(page):
        return _refuse(request, page)
    return None


@hooks.register("after_copy_page")
def record_live_story_copy(request, page, new_page):
    if new_page.live and gate.subtree_has_stories(new_page, live_only=True):
        gate.record_bypass(new_page, user=request.user, what="copy")


@hooks.register("before_move_page")
def refuse_live_story_move(request, page, destination):
    """Moving live stories changes the link every channel carries: administrators only."""
    if request.user.is_superuser or not gate.subtree_has_stories(page, live_only=True):
        return None
    return _refuse(request, page)


@hooks.register("after_move_page")
def record_live_story_move(request, page):
    if gate.subtree_has_stories(page, live_only=True):
        gate.record_bypass(page, user=request.user, what="move")


@hooks.register("before_bulk_action")
def refuse_bulk_story_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish" or request.user.is_superuser:
        return None
    if any(_is_story(page) for page in objects):
        messages.error(request, gate.refusal_message())
        return redirect("wagtailadmin_home")
    return None


@hooks.register("register_log_actions")
def register_phase_log_action(actions):
    actions.register_action("hub.phase_change", _("Change campaign phase"), _("Campaign phase changed"))
    actions.register_action(
        gate.BYPASS_ACTION,
        _("Publish without sign-off"),
        _("Published without the workflow's sign-off (site administrator or system)"),
    )


@hooks.register("after_edit_setting")
def record_phase_change(request, instance):
    if isinstance(instance, CampaignSettings):
        phase_change_record(site=instance.site, user=request.user)
