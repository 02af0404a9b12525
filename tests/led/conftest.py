"""LED fixtures: an isolated cache, a small region tree, and a screen with its token."""

import pytest

from hub.models import RegionLevel
from tests.factories import RegionFactory
from tests.factories.led import ScreenFactory


@pytest.fixture(autouse=True)
def led_cache(settings):
    """Each test starts with an empty cache: Redis (own db) is cleared, files are swapped for memory."""
    from django.core.cache import cache

    from channels.led import feed

    feed.reset_local()
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "led"}
        }
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    city = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    ward = RegionFactory(code="03127", name="Phường Him Lam", level=RegionLevel.COMMUNE, parent=city)
    other = RegionFactory(code="095", name="Thị xã Mường Lay", level=RegionLevel.DISTRICT, parent=province)
    return {"province": province, "city": city, "ward": ward, "other": other}


@pytest.fixture
def screen(regions):
    """A 192×96 screen at Him Lam market, and its token."""
    screen = ScreenFactory(code="cho-him-lam", name="Chợ Him Lam", region=regions["ward"])
    _token, secret = screen.issue_token()
    screen.secret = secret
    return screen
