"""Admin pieces for any device kind: status label, region/offline filters, token page, offline panel."""

import re

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.models import Region
from hub.tenancy import regions_for


def seen_label(device, *, minutes: int) -> str:
    if not device.active:
        return str(_("Inactive"))
    if device.last_seen_at is None:
        return str(_("Never seen"))
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    when = timezone.localtime(device.last_seen_at).strftime("%d/%m/%Y %H:%M")
    if device.last_seen_at < cutoff:
        return str(_("Offline since %(when)s")) % {"when": when}
    return str(_("Online, seen %(when)s")) % {"when": when}


class DeviceFilterSet(WagtailFilterSet):
    """Groups of devices: every device in a region and below it; and the offline ones.

    Subclasses set Meta.model and `offline_minutes()`.
    """

    region = django_filters.ModelChoiceFilter(
        label=_("Region (and below)"),
        queryset=lambda request: regions_for(request.user) if request else Region.objects.none(),
        method="filter_region",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("offline", _("Offline")), ("online", _("Online"))],
        method="filter_status",
    )

    def offline_minutes(self) -> int:
        raise NotImplementedError

    def filter_region(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def filter_status(self, queryset, name, value):
        offline = self._meta.model.objects.offline(minutes=self.offline_minutes()).values("pk")
        if value == "offline":
            return queryset.filter(pk__in=offline)
        if value == "online":
            return queryset.filter(active=True).exclude(pk__in=offline)
        return queryset


class LinkColumn(Column):
    """A column with the same link text on every row (e.g. "Manage tokens"), to a per-row view."""

    cell_template_name = "devices/tables/link_cell.html"

    def __init__(self, name, *, url_name, text, **kwargs):
        super().__init__(name, accessor=lambda instance: text, **kwargs)
        self.url_name, self.text = url_name, text

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(url=reverse(self.url_name, args=[instance.pk]), text=self.text)
        return context


class DeviceTokensView(WagtailAdminTemplateMixin, View):
    """Lists a device's tokens; POST `create` shows a new secret once, POST `revoke` ends one.

    Subclasses set model, permission, index_url_name, edit_url_name, url_name, feed_path
    (with `{code}`) and section_label; `get_device_queryset` scopes what the user may open.
    """

    template_name = "devices/device_tokens.html"
    header_icon = "key"
    model = None
    permission = ""
    index_url_name = edit_url_name = url_name = ""
    feed_path = ""
    section_label = ""

    def get_device_queryset(self):
        return self.model.objects.all()

    def dispatch(self, request, pk):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.device = get_object_or_404(self.get_device_queryset(), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Tokens of %(device)s") % {"device": self.device}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse(self.index_url_name), "label": self.section_label},
            {"url": reverse(self.edit_url_name, args=[self.device.pk]), "label": str(self.device)},
            {"url": "", "label": _("Tokens")},
        ]

    def get_context_data(self, **kwargs):
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        context.update(
            device=self.device,
            tokens=self.device.tokens.all(),
            feed_url=base + self.feed_path.format(code=self.device.code),
        )
        return context

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        action = request.POST.get("action")
        if action == "create":
            _token, secret = self.device.issue_token()
            messages.success(request, _("New token created. Copy it now: it will not be shown again."))
            response = self.render_to_response(self.get_context_data(new_secret=secret))
            response["Cache-Control"] = "no-store"
            return response
        if action == "revoke":
            token_pk = request.POST.get("token", "")
            if not re.fullmatch(r"[0-9]{1,18}", token_pk):
                raise Http404
            with transaction.atomic():
                token = get_object_or_404(self.device.tokens.select_for_update(), pk=int(token_pk))
                if token.revoked_at is None:
                    token.revoked_at = timezone.now()
                    token.save(update_fields=["revoked_at"])
            messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
            return redirect(self.url_name, pk=self.device.pk)
        messages.error(request, _("Unknown action."))
        return redirect(self.url_name, pk=self.device.pk)


class OfflineDevicesPanel(Component):
    """A dashboard warning listing devices that stopped polling."""

    template_name = "devices/offline_panel.html"
    order = 160

    def __init__(self, *, heading, message, devices, list_url, link_text):
        self.heading, self.message, self.devices = heading, message, devices
        self.list_url, self.link_text = list_url, link_text

    def get_context_data(self, parent_context=None):
        return {
            "heading": self.heading,
            "message": self.message,
            "devices": self.devices,
            "list_url": self.list_url,
            "link_text": self.link_text,
        }
