import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from publishing.reports.periods import Period
from tests.factories import HomePageFactory, OrganisationFactory, RegionFactory, StoryIndexPageFactory


def at(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    """An aware moment in the hub's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute, second))


# The monthly period 23/10/2026 – 22/11/2026: [23/10 00:00, 23/11 00:00) local time.
PERIOD = Period.from_dates(datetime.date(2026, 10, 23), datetime.date(2026, 11, 22))


@pytest.fixture
def regions(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level="province")
    return {
        "province": province,
        "a": RegionFactory(code="094", name="Thành phố Điện Biên Phủ", level="district", parent=province),
        "b": RegionFactory(code="095", name="Huyện Mường Chà", level="district", parent=province),
        "other": RegionFactory(code="12", name="Tỉnh Lai Châu", level="province"),
    }


@pytest.fixture
def organisation(story_index, regions):
    site = Site.objects.get(root_page=story_index.get_parent())
    return OrganisationFactory(
        name="Sở Thông tin và Truyền thông", slug="stttt", site=site, region=regions["province"]
    )


@pytest.fixture
def story_page(story_index):
    return story_index


@pytest.fixture
def other_page(db):
    """A page of another organisation's portal."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="lai-chau", title="Lai Châu")
    site = Site.objects.create(hostname="laichau.example", port=80, root_page=home, site_name="Lai Châu")
    OrganisationFactory(name="Sở TT&TT Lai Châu", slug="lai-chau", site=site)
    return StoryIndexPageFactory(parent=home, title="Tin", slug="tin")
