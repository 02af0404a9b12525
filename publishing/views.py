"""Admin views: the deliveries report (with CSV/XLSX export) and retrying failed deliveries."""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from publishing.models import Delivery, DeliveryStatus, OrphanPost
from publishing.permissions import can_manage_deliveries, can_view_deliveries
from publishing.selectors import deliveries_for
from publishing.services import deliveries_retry_failed, delivery_retry


def channel_choices(request=None) -> list[tuple[str, str]]:
    aliases = set(settings.HUB_CHANNELS) | set(Delivery.objects.values_list("channel", flat=True).distinct())
    return [(alias, alias) for alias in sorted(aliases)]


class DeliveryFilterSet(WagtailFilterSet):
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=channel_choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DeliveryStatus.choices, empty_label=_("All")
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Created"), widget=DateRangePickerWidget)
    story = django_filters.CharFilter(
        label=_("Story"), field_name="publication__title", lookup_expr="icontains"
    )
    page = django_filters.NumberFilter(field_name="publication__page", widget=forms.HiddenInput)

    class Meta:
        model = Delivery
        fields = ["channel", "status", "created_at", "story", "page"]


def _story_url(delivery: Delivery) -> str | None:
    page_id = delivery.publication.page_id
    return reverse("wagtailadmin_pages:edit", args=[page_id]) if page_id else None


class RetryColumn(Column):
    cell_template_name = "publishing/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_retry"] = (
            instance.status == DeliveryStatus.FAILED
            and request is not None
            and can_manage_deliveries(request.user)
        )
        context["next"] = request.get_full_path() if request else ""
        return context


class DeliveryReportView(ReportView):
    page_title = _("Deliveries")
    header_icon = "mail"
    model = Delivery
    filterset_class = DeliveryFilterSet
    index_url_name = "publishing_deliveries"
    index_results_url_name = "publishing_deliveries_results"
    template_name = "publishing/delivery_report.html"
    columns = [
        TitleColumn("story", label=_("Story"), accessor="publication.title", get_url=_story_url),
        Column("channel", label=_("Channel")),
        Column("target_label", label=_("Target")),
        StatusTagColumn("status", label=_("Status"), accessor="get_status_display"),
        Column("attempts", label=_("Attempts")),
        DateColumn("created_at", label=_("Created")),
        DateColumn("sent_at", label=_("Sent")),
        Column("delivered_count", label=_("Delivered to")),
        DateColumn("next_attempt_at", label=_("Next attempt")),
        Column("last_error", label=_("Last error")),
        RetryColumn("retry", label=""),
    ]
    list_export = [
        "publication.title",
        "channel",
        "target",
        "status",
        "priority",
        "attempts",
        "created_at",
        "sent_at",
        "delivered_at",
        "delivered_count",
        "next_attempt_at",
        "external_id",
        "external_url",
        "last_error",
    ]
    export_headings = {
        "publication.title": _("Story"),
        "channel": _("Channel"),
        "target": _("Target"),
        "status": _("Status"),
        "priority": _("Priority"),
        "attempts": _("Attempts"),
        "created_at": _("Created"),
        "sent_at": _("Sent"),
        "delivered_at": _("First delivered"),
        "delivered_count": _("Delivered to"),
        "next_attempt_at": _("Next attempt"),
        "external_id": _("External id"),
        "external_url": _("External address"),
        "last_error": _("Last error"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_deliveries(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return deliveries_for(self.request.user).select_related("publication").order_by("-created_at", "-pk")

    def get_filename(self):
        return f"deliveries-{datetime.date.today():%Y-%m-%d}"

    def get_context_data(self, **kwargs):
        from publishing.selectors import failed_channels

        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_deliveries(self.request.user)
        deliveries = deliveries_for(self.request.user)
        context["failed_channels"] = failed_channels(deliveries=deliveries)
        context["orphans"] = (
            OrphanPost.objects.filter(
                delivery__in=deliveries, status__in=[OrphanPost.Status.FLAGGED, OrphanPost.Status.PENDING]
            )
            .select_related("delivery__publication")
            .order_by("-found_at")[:50]
        )
        return context


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("publishing_deliveries")


@require_POST
def delivery_retry_view(request, pk: int):
    if not can_manage_deliveries(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(deliveries_for(request.user), pk=pk)
    if delivery_retry(delivery=delivery):
        messages.success(request, _("The delivery is queued again."))
    else:
        messages.warning(request, _("Only a failed delivery can be retried."))
    return _back(request)


@require_POST
def deliveries_retry_channel_view(request):
    if not can_manage_deliveries(request.user):
        raise PermissionDenied
    channel = request.POST.get("channel", "")
    count = deliveries_retry_failed(channel=channel, deliveries=deliveries_for(request.user))
    messages.success(
        request,
        ngettext(
            "%(count)d failed delivery on %(channel)s is queued again.",
            "%(count)d failed deliveries on %(channel)s are queued again.",
            count,
        )
        % {"count": count, "channel": channel},
    )
    return _back(request)
