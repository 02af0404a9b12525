"""Fixtures of the intake tests: an organisation with its portal and regions, a clean cache."""

import pytest
from django.core.cache import cache

from hub.intake import services
from hub.intake.models import TipKind, TipSource
from hub.intake.services import IncomingReport, tip_intake
from hub.models import Region, RegionLevel
from hub.permissions import ensure_groups
from tests.factories.organisations import default_organisation


@pytest.fixture(autouse=True)
def intake_cache(settings):
    """Rate-limit counters and grouping candidates must not leak between tests.

    Always a local memory cache: clearing a shared Redis would flush every other user of it.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "intake-tests"}
    }
    cache.clear()
    services._candidates.clear()
    yield
    cache.clear()
    services._candidates.clear()


@pytest.fixture
def regions(db):
    province = Region.objects.create(code="11", name="Điện Biên", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        code="094", name="Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    town = Region.objects.create(code="095", name="Mường Lay", level=RegionLevel.DISTRICT, parent=province)
    return {"province": province, "city": city, "town": town}


@pytest.fixture
def groups(db):
    return ensure_groups()


@pytest.fixture
def organisation(home, regions, groups):
    """The province, whose portal is the test site; every hub group works for it."""
    organisation = default_organisation()
    organisation.name, organisation.region = "UBND tỉnh Điện Biên", regions["province"]
    organisation.save(update_fields=["name", "region"])
    organisation.groups.add(*groups.values())
    return organisation


@pytest.fixture
def report(organisation):
    """`report("text", **fields)` files a portal report for the organisation; returns the Tip."""

    def file(text, *, organisation=organisation, kind=TipKind.RUMOUR, source=TipSource.PORTAL, **fields):
        return tip_intake(
            organisation=organisation, report=IncomingReport(kind=kind, source=source, text=text, **fields)
        )

    return file
