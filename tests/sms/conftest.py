"""Fixtures of the SMS feed tests: a small region tree, two partners with keys, a clean cache."""

import pytest
from django.core.cache import cache

from channels.sms import keys
from hub.models import Region, RegionLevel
from tests.factories.organisations import default_organisation
from tests.factories.sms import PartnerFactory, partner_key


@pytest.fixture(autouse=True)
def sms_cache(settings):
    """Rate-limit counters and cached identities must not leak between tests."""
    if not settings.REDIS_URL:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sms-tests"}
        }
    cache.clear()
    keys._touched.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    """Điện Biên (11) → Điện Biên Phủ (094) → Thanh Minh (03127); Mường Lay (095)."""
    province = Region.objects.create(code="11", name="Điện Biên", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        code="094", name="Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    commune = Region.objects.create(code="03127", name="Thanh Minh", level=RegionLevel.COMMUNE, parent=city)
    town = Region.objects.create(code="095", name="Mường Lay", level=RegionLevel.DISTRICT, parent=province)
    default_organisation()  # its region tree is this one
    return {"province": province, "city": city, "commune": commune, "town": town}


@pytest.fixture
def partner_a(regions):
    return PartnerFactory(name="Viettel thử", coverage=[regions["city"]])


@pytest.fixture
def partner_b(regions):
    return PartnerFactory(name="VNPT thử", coverage=[regions["town"]])


@pytest.fixture
def key_a(partner_a):
    return partner_key(partner_a)


@pytest.fixture
def key_b(partner_b):
    return partner_key(partner_b)


@pytest.fixture
def auth_a(key_a):
    return {"HTTP_AUTHORIZATION": f"Bearer {key_a}"}


@pytest.fixture
def auth_b(key_b):
    return {"HTTP_AUTHORIZATION": f"Bearer {key_b}"}
