"""Figures for the dashboard and the monthly report."""

import datetime

from django.utils import timezone

from hub.intake.models import Claim, ClaimStatus, TipKind
from hub.intake.selectors import intake_figures
from tests.factories import OrganisationFactory


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


def test_intake_figures_count_reports_claims_regions_and_time_to_answer(report, organisation, regions):
    lemon = report("Uống nước chanh nóng chữa khỏi Covid", received_at=_at(3), region_id=regions["city"].pk)
    report("nuoc chanh nong chua khoi covid", received_at=_at(4), region_id=regions["town"].pk)
    report("Phong tỏa thành phố từ tối nay", received_at=_at(4, 23), region_id=regions["city"].pk)
    report("Tiêm ở đâu?", kind=TipKind.QUESTION, received_at=_at(5))
    report("Tin đồn của tháng trước", received_at=_at(1) - datetime.timedelta(days=5))
    report("Uống nước chanh nóng chữa khỏi Covid", organisation=OrganisationFactory(), received_at=_at(4))
    Claim.objects.filter(pk=lemon.claim_id).update(status=ClaimStatus.ANSWERED, answered_at=_at(3, 21))

    figures = intake_figures(organisation=organisation, start=_at(1, 0), end=_at(30, 0))

    assert figures["reports"] == 4
    assert figures["questions"] == 1
    assert figures["reports_per_day"] == [
        (datetime.date(2026, 11, 3), 1),
        (datetime.date(2026, 11, 4), 2),
        (datetime.date(2026, 11, 5), 1),
    ]
    assert figures["claims_by_status"]["answered"] == 1
    assert figures["claims_by_status"]["new"] == 2
    assert figures["median_hours_to_rebuttal"] == 12.0
    assert figures["answered"] == 1
    assert figures["by_region"] == [
        {"region": "Điện Biên Phủ", "reports": 2, "claims": 2},
        {"region": "Mường Lay", "reports": 1, "claims": 1},
        {"region": None, "reports": 1, "claims": 1},
    ]
