"""Admin of the intake: claims (rumours), the FAQ queue, reports, replies; triage and a dashboard panel."""

import datetime

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.base import ViewSetGroup

from hub.intake import admin_views
from hub.intake.models import Claim, ClaimStatus, Notification, Tip, TipKind
from hub.intake.selectors import intake_figures
from hub.tenancy import OrganisationScopedViewMixin, OrganisationScopedViewSet, organisations_for

DASHBOARD_DAYS = 30


class ScopedHistoryView(OrganisationScopedViewMixin, HistoryView):
    """The claim is scoped (get_object); its log entries are its own, listed as Wagtail lists them."""

    def get_base_queryset(self):
        return HistoryView.get_base_queryset(self)


def _triage_column():
    return TitleColumn("title", label=_("Title"), get_url=admin_views.triage_url, sort_key="title")


class ClaimViewSet(OrganisationScopedViewSet):
    """Rumours and false information, highest priority first."""

    model = Claim
    kind = TipKind.RUMOUR
    icon = "warning"
    menu_label = _("Claims")
    url_prefix = "intake/claims"
    url_namespace = "intake_claims"
    list_display = [
        _triage_column(),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("topic", label=_("Topic"), accessor="get_topic_display"),
        Column("assigned_group", label=_("Assigned group")),
        Column("priority", label=_("Priority"), sort_key="priority"),
        Column("tip_count", label=_("Reports"), sort_key="tip_count"),
        Column("region_count", label=_("Regions")),
        DateColumn("last_reported_at", label=_("Last reported"), sort_key="last_reported_at"),
    ]
    list_filter = ["status", "topic", "assigned_group"]
    search_fields = ["title", "text"]
    form_fields = ["title", "text", "status", "topic", "assigned_group", "assignee", "notes"]
    add_to_reference_index = False

    history_view_class = ScopedHistoryView

    def get_index_view_kwargs(self, **kwargs):
        queryset = Claim.objects.filter(kind=self.kind).select_related("assigned_group")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)

    def get_urlpatterns(self):
        # The triage routes are registered once (see register_intake_admin_urls); these stay generic.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


class QuestionViewSet(ClaimViewSet):
    """Citizens' questions waiting for an answer on the portal's Q&A page (the FAQ queue)."""

    kind = TipKind.QUESTION
    icon = "help"
    menu_label = _("Questions (FAQ)")
    url_prefix = "intake/questions"
    url_namespace = "intake_questions_admin"
    form_fields = ["title", "text", "status", "assignee", "notes", "answer"]
    list_filter = ["status"]


class TipViewSet(OrganisationScopedViewSet):
    """Every report as it came in; the reporter's contact is not shown here."""

    model = Tip
    icon = "comment"
    menu_label = _("Reports")
    url_prefix = "intake/reports"
    url_namespace = "intake_tips"
    list_display = [
        TitleColumn(
            "text",
            label=_("Report"),
            get_url=lambda tip: admin_views.triage_url(tip.claim) if tip.claim_id else None,
        ),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("source", label=_("Received through"), accessor="get_source_display"),
        Column("region", label=_("Region")),
        Column("claim", label=_("Claim")),
        DateColumn("received_at", label=_("Received"), sort_key="received_at"),
    ]
    list_filter = ["kind", "source"]
    search_fields = ["text"]
    form_fields = ["text", "seen_where", "seen_on", "region"]
    add_to_reference_index = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=Tip.objects.select_related("region", "claim"), **kwargs)

    def get_urlpatterns(self):
        # Reports are filed through the intake (grouping, contact apart), never through a bare form.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


class NotificationViewSet(OrganisationScopedViewSet):
    """The replies owed and sent to reporters: a record, never edited by hand."""

    model = Notification
    icon = "mail"
    menu_label = _("Replies to reporters")
    url_prefix = "intake/replies"
    url_namespace = "intake_notifications"
    list_display = [
        Column("claim", label=_("Claim")),
        Column("channel", label=_("Channel"), accessor="get_channel_display"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Created")),
        DateColumn("sent_at", label=_("Sent")),
    ]
    list_filter = ["channel", "status"]
    form_fields = ["status"]
    add_to_reference_index = False

    def get_urlpatterns(self):
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name in ("index", "index_results")
        ]


class IntakeViewSetGroup(ViewSetGroup):
    menu_label = _("Rumours & questions")
    menu_icon = "warning"
    menu_order = 160
    items = (ClaimViewSet, QuestionViewSet, TipViewSet, NotificationViewSet)


@hooks.register("register_admin_viewset")
def register_intake_viewsets():
    return IntakeViewSetGroup()


@hooks.register("register_admin_urls")
def register_intake_admin_urls():
    return [
        path("intake/triage/<int:pk>/", admin_views.claim_triage, name="intake_claim_triage"),
        path("intake/triage/<int:pk>/merge/", admin_views.claim_merge, name="intake_claim_merge"),
        path("intake/triage/<int:pk>/split/", admin_views.claim_split_view, name="intake_claim_split"),
        path("intake/triage/<int:pk>/rebuttal/", admin_views.claim_rebuttal, name="intake_claim_rebuttal"),
        path("intake/triage/<int:pk>/answer/", admin_views.question_answer, name="intake_question_answer"),
        path(
            "intake/triage/<int:pk>/erase/<int:tip_id>/",
            admin_views.contact_erase,
            name="intake_contact_erase",
        ),
        path("intake/file-report/", admin_views.staff_report, name="intake_staff_report"),
        path("intake/screenshot/<int:tip_id>/", admin_views.tip_screenshot, name="intake_tip_screenshot"),
    ]


@hooks.register("register_log_actions")
def register_intake_log_actions(actions):
    from hub.intake import services

    for action, label, message in (
        (services.ACTION_CREATED, _("Claim created"), _("Claim created")),
        (services.ACTION_MERGED, _("Claims merged"), _("Another claim was merged into this one")),
        (services.ACTION_SPLIT, _("Claim split"), _("Reports were split off into a new claim")),
        (services.ACTION_STATUS, _("Status changed"), _("Status changed")),
        (services.ACTION_REBUTTAL, _("Rebuttal created"), _("A rebuttal draft was created")),
        (services.ACTION_ANSWERED, _("Answer published"), _("The answer was published")),
        (services.ACTION_CONTACT_ERASED, _("Contact erased"), _("A reporter's contact was erased")),
    ):
        actions.register_action(action, label, message)


class IntakePanel(Component):
    name = "intake_figures"
    template_name = "intake/admin/dashboard_panel.html"
    order = 210

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        rows = [
            (
                organisation,
                figures,
                [(ClaimStatus(key).label, count) for key, count in figures["claims_by_status"].items()],
            )
            for organisation, figures in self.rows
        ]
        return {
            "rows": rows,
            "days": DASHBOARD_DAYS,
            "claims_url": reverse("intake_claims:index"),
            "questions_url": reverse("intake_questions_admin:index"),
            "file_url": reverse("intake_staff_report"),
        }


@hooks.register("construct_homepage_panels")
def add_intake_panel(request, panels):
    if not request.user.has_perm(admin_views.VIEW):
        return
    end = timezone.now()
    start = end - datetime.timedelta(days=DASHBOARD_DAYS)
    rows = [
        (organisation, intake_figures(organisation=organisation, start=start, end=end))
        for organisation in organisations_for(request.user)[:3]
    ]
    if rows:
        panels.append(IntakePanel(rows))
