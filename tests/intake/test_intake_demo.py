"""The demo reports: filed once, grouped like any others."""

import io

from hub.intake import demo
from hub.intake.models import Claim, Tip


def test_the_demo_files_its_reports_once_and_groups_them(organisation):
    demo.populate(stdout=io.StringIO())
    demo.populate(stdout=io.StringIO())

    assert Tip.objects.filter(organisation=organisation).count() == len(demo.DEMO_TIPS)
    lemon = Claim.objects.get(tips__text__startswith="Nghe nói uống nước chanh")
    assert lemon.tip_count == 3
    assert Claim.objects.count() == 4
