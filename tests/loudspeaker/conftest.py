"""Loudspeaker fixtures: an isolated cache, a small region tree, an organisation and a station."""

import pytest

from hub.models import RegionLevel
from tests.factories import RegionFactory
from tests.factories.loudspeaker import StationFactory
from tests.factories.organisations import default_organisation


@pytest.fixture(autouse=True)
def loudspeaker_cache(settings):
    """Each test starts with an empty cache: Redis (own db) is cleared, files are swapped for memory."""
    from django.core.cache import cache

    from channels.loudspeaker import feed

    feed.reset_local()
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "loudspeaker"}
        }
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    district = RegionFactory(code="099", name="Huyện Điện Biên", level=RegionLevel.DISTRICT, parent=province)
    commune = RegionFactory(code="03193", name="Xã Thanh Xương", level=RegionLevel.COMMUNE, parent=district)
    other = RegionFactory(code="095", name="Thị xã Mường Lay", level=RegionLevel.DISTRICT, parent=province)
    return {"province": province, "district": district, "commune": commune, "other": other}


@pytest.fixture
def organisation(db):
    organisation = default_organisation()  # the test site's: its stories reach its stations
    organisation.name = "Sở Thông tin và Truyền thông Điện Biên"
    organisation.save(update_fields=["name"])
    return organisation


@pytest.fixture
def station(regions, organisation):
    """An IP loudspeaker cluster in Thanh Xương commune, slots 06:00 and 17:30, and its token."""
    station = StationFactory(
        code="xa-thanh-xuong",
        name="Truyền thanh xã Thanh Xương",
        region=regions["commune"],
        organisation=organisation,
    )
    _token, secret = station.issue_token()
    station.secret = secret
    return station
