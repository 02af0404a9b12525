"""Figures of the intake for the dashboard and the monthly report."""

import datetime
import statistics

from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from hub.intake.models import Claim, ClaimStatus, Tip, TipKind


def intake_figures(*, organisation, start: datetime.datetime, end: datetime.datetime) -> dict:
    """What came in between `start` (inclusive) and `end` (exclusive), for one organisation.

    Returns a dict:
      reports: int — reports received;
      reports_per_day: list of (date, count), local dates, days without reports left out;
      claims_by_status: {status: count} for claims first reported in the period (every status present);
      questions: int — questions among the reports;
      median_hours_to_rebuttal: float | None — first report → rebuttal published (or answer
        published, for questions), over claims answered in the period;
      answered: int — claims answered in the period;
      by_region: list of {"region": name or None, "reports": int, "claims": int}, most reports first.
    """
    tips = Tip.objects.filter(organisation=organisation, received_at__gte=start, received_at__lt=end)
    per_day = (
        tips.annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    claims = Claim.objects.filter(
        organisation=organisation, first_reported_at__gte=start, first_reported_at__lt=end
    )
    by_status = dict.fromkeys(ClaimStatus.values, 0)
    for row in claims.values("status").annotate(count=Count("pk")):
        by_status[row["status"]] = row["count"]

    answered = Claim.objects.filter(
        organisation=organisation,
        answered_at__gte=start,
        answered_at__lt=end,
        first_reported_at__isnull=False,
    ).values_list("first_reported_at", "answered_at")
    hours = [(done - first).total_seconds() / 3600 for first, done in answered]

    by_region = (
        tips.values("region__name")
        .annotate(reports=Count("pk"), claims=Count("claim", distinct=True))
        .order_by("-reports", F("region__name").asc(nulls_last=True))
    )
    return {
        "reports": tips.count(),
        "reports_per_day": [(row["day"], row["count"]) for row in per_day],
        "claims_by_status": by_status,
        "questions": tips.filter(kind=TipKind.QUESTION).count(),
        "median_hours_to_rebuttal": round(statistics.median(hours), 2) if hours else None,
        "answered": len(hours),
        "by_region": [
            {"region": row["region__name"], "reports": row["reports"], "claims": row["claims"]}
            for row in by_region
        ],
    }
