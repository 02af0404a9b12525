"""Admin views: the list of reports with a form to build one, a report's page, and its files."""

import datetime

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.models import Region
from hub.tenancy import organisations_for, scope, user_may_see
from publishing.reports import exports
from publishing.reports.models import Report
from publishing.reports.periods import Period, monthly_period
from publishing.reports.permissions import can_build_reports, can_view_reports
from publishing.reports.present import kind_labels, present
from publishing.reports.services import report_build

MAX_PERIOD_DAYS = 366
BUILDS_PER_MINUTE = 6  # per user: building counts over a whole month, so floods are refused
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class BuildForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    first_day = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    kind = forms.ChoiceField(label=_("Story kind"), required=False)
    force = forms.BooleanField(label=_("Count again if it exists"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(user)
        self.fields["kind"].choices = [("", _("All kinds")), *sorted(kind_labels().items())]
        period = monthly_period()
        self.fields["first_day"].initial = period.first_day
        self.fields["last_day"].initial = period.last_day

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (last - first).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(
                    _("A report covers at most a year; use the command for longer periods.")
                )
        return data


class ReportIndexView(WagtailAdminTemplateMixin, View):
    template_name = "reports/index.html"
    page_title = _("Monthly reports")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": _("Monthly reports")}]

    def reports(self):
        return scope(Report.objects.select_related("organisation", "region"), self.request.user)

    def render_page(self, form):
        page = Paginator(self.reports(), 25).get_page(self.request.GET.get("p"))
        context = self.get_context_data(reports=page, form=form)
        return self.render_to_response(context)

    def get(self, request):
        form = BuildForm(user=request.user) if can_build_reports(request.user) else None
        return self.render_page(form)

    def post(self, request):
        if not can_build_reports(request.user):
            raise PermissionDenied
        form = BuildForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("The report could not be built: check the form."))
            return self.render_page(form)
        if not _allow_build(request.user):
            messages.error(request, _("Too many reports built in the last minute: wait a moment."))
            return self.render_page(form)
        data = form.cleaned_data
        try:
            report = report_build(
                organisation=data["organisation"],
                period=Period.from_dates(data["first_day"], data["last_day"]),
                region=data["region"],
                kind=data["kind"],
                force=data["force"],
                requested_by=request.user,
            )
        except Exception:  # noqa: BLE001 - logged by the service; the page says so instead of a 500
            messages.error(request, _("The report could not be built. The error has been logged."))
            return self.render_page(form)
        messages.success(request, _("Report ready."))
        return redirect("reports_report", pk=report.pk)


def _allow_build(user) -> bool:
    key = f"reports:builds:{user.pk}"
    cache.add(key, 0, timeout=60)  # a window that opens with the first build
    try:
        return cache.incr(key) <= BUILDS_PER_MINUTE
    except ValueError:  # the entry expired between add and incr
        return True


def _report_for(request, pk) -> Report:
    if not can_view_reports(request.user):
        raise PermissionDenied
    report = get_object_or_404(Report.objects.select_related("organisation", "region"), pk=pk)
    if not user_may_see(request.user, report):
        raise Http404
    return report


class ReportView(WagtailAdminTemplateMixin, View):
    """One report: its figures as text, tables and the same charts as in the document."""

    template_name = "reports/report.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return str(_("Report")) + " " + str(self.report)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("reports_index"), "label": _("Monthly reports")},
            {"url": "", "label": str(self.report)},
        ]

    def get(self, request, pk):
        self.report = _report_for(request, pk)
        figures = self.report.figures
        period = figures.get("period", {})
        context = self.get_context_data(
            report=self.report,
            sections=present(figures) if figures else [],
            title=exports.report_title(figures) if period else "",
            first_day=datetime.date.fromisoformat(period["first_day"]) if period else None,
            last_day=datetime.date.fromisoformat(period["last_day"]) if period else None,
            downloads=[
                (name, name.upper()) for name in ("docx", "xlsx", "pdf") if getattr(self.report, name)
            ],
        )
        return self.render_to_response(context)


def report_download_view(request, pk, file_format):
    report = _report_for(request, pk)
    field = getattr(report, file_format, None) if file_format in CONTENT_TYPES else None
    if not field:
        raise Http404
    start = report.figures.get("period", {}).get("first_day", "")
    name = f"bao-cao-{report.organisation.slug}-{start}.{file_format}"
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[file_format]
    )
