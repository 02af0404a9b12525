"""Admin views of the loudspeaker channel: a station's tokens and its printable run sheet."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from channels.devices.admin import DeviceTokensView
from channels.loudspeaker import feed
from channels.loudspeaker.models import Station
from hub.tenancy import scope


class StationTokensView(DeviceTokensView):
    model = Station
    permission = "loudspeaker.change_station"
    index_url_name = "loudspeaker_stations:index"
    edit_url_name = "loudspeaker_stations:edit"
    url_name = "loudspeaker_station_tokens"
    feed_path = "/api/loudspeaker/v1/stations/{code}/schedule.json"
    section_label = _("Loudspeaker stations")

    def get_device_queryset(self):
        return scope(Station.objects.all(), self.request.user)


def run_sheet_view(request, pk: int):
    """The day's bulletins of one station with times and scripts, styled for printing on paper."""
    if not request.user.has_perm("loudspeaker.view_station"):
        raise PermissionDenied
    station = get_object_or_404(scope(Station.objects.select_related("region"), request.user), pk=pk)
    day = parse_date(request.GET.get("date", "") or "") if len(request.GET.get("date", "")) == 10 else None
    day = day or timezone.localdate()
    entries = feed.run_sheet(station, day)
    return render(
        request,
        "loudspeaker/run_sheet.html",
        {
            "station": station,
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "entries": entries,
            "printed_at": timezone.localtime(),
        },
    )
