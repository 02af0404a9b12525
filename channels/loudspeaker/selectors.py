"""Read-only figures of the loudspeaker channel, for the dashboard and the monthly report."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from channels.loudspeaker.models import PlayStatus, Station


@dataclass(frozen=True)
class StationFigures:
    station_id: int
    code: str
    name: str
    played: int
    skipped: int
    failed: int
    delivered: int  # bulletins first played at the station in the period


def station_figures(
    *, start: datetime.datetime, end: datetime.datetime, organisation=None
) -> list[StationFigures]:
    """Per station: plays by status and bulletins delivered (first played) in [start, end).

    A drill's bulletins (docs/exercise.md) are not counted.
    """
    in_period = Q(plays__played_at__gte=start, plays__played_at__lt=end) & (
        Q(plays__bulletin__publication__isnull=True) | Q(plays__bulletin__publication__is_exercise=False)
    )
    stations = Station.objects.order_by("region__path", "name")
    if organisation is not None:
        stations = stations.filter(organisation=organisation)
    plays = stations.annotate(
        played=Count("plays", filter=in_period & Q(plays__status=PlayStatus.PLAYED)),
        skipped=Count("plays", filter=in_period & Q(plays__status=PlayStatus.SKIPPED)),
        failed=Count("plays", filter=in_period & Q(plays__status=PlayStatus.FAILED)),
    ).values_list("pk", "code", "name", "played", "skipped", "failed")
    delivered = dict(
        stations.annotate(
            delivered=Count(
                "receptions",
                filter=Q(receptions__delivered_at__gte=start, receptions__delivered_at__lt=end)
                & (
                    Q(receptions__bulletin__publication__isnull=True)
                    | Q(receptions__bulletin__publication__is_exercise=False)
                ),
            )
        ).values_list("pk", "delivered")
    )
    return [StationFigures(*row, delivered.get(row[0], 0)) for row in plays]
