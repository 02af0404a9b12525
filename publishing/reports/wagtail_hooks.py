"""Admin wiring: the reports pages in the Reports menu, and the recipients of each organisation."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub.tenancy import OrganisationScopedViewSet
from publishing.reports import views
from publishing.reports.models import ReportRecipient
from publishing.reports.permissions import can_view_reports


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("reports/monthly/", views.ReportIndexView.as_view(), name="reports_index"),
        path("reports/monthly/<int:pk>/", views.ReportView.as_view(), name="reports_report"),
        path(
            "reports/monthly/<int:pk>/<str:file_format>/",
            views.report_download_view,
            name="reports_download",
        ),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(_("Monthly reports"), reverse("reports_index"), icon_name="doc-full", order=40)


class ReportRecipientViewSet(OrganisationScopedViewSet):
    model = ReportRecipient
    icon = "mail"
    menu_label = _("Report recipients")
    menu_name = "report_recipients"
    add_to_settings_menu = True
    list_display = ["email", "name", "organisation", "active"]
    form_fields = ["organisation", "name", "email", "active"]


@hooks.register("register_admin_viewset")
def register_report_recipients():
    return ReportRecipientViewSet("report_recipients")
