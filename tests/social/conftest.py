"""Social fixtures: regions, credentialled and sandbox accounts, strict HTTP replay."""

import pytest

from channels.social.facebook import FacebookAdapter
from channels.social.models import Network
from channels.social.x import XAdapter
from hub.models import RegionLevel
from tests.factories import RegionFactory
from tests.factories.social import ChannelAccountFactory, SocialPublicationFactory
from tests.social.recorded import strict_http

FB_TOKEN = "EAAGtestPAGEtokenSECRET0123456789"
X_SECRETS = {
    "X_TEST_API_KEY": "xapikeySECRET111",
    "X_TEST_API_SECRET": "xapisecretSECRET222",
    "X_TEST_ACCESS_TOKEN": "1700000000000000011-accesstokenSECRET333",
    "X_TEST_ACCESS_SECRET": "xaccesssecretSECRET444",
}


@pytest.fixture(autouse=True)
def social_cache(settings):
    """Wagtail caches renditions; each test starts empty (own Redis db, or memory instead of files)."""
    from django.core.cache import caches

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "social"}
        }
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def http():
    with strict_http() as rsps:
        yield rsps


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
def secrets(monkeypatch):
    monkeypatch.setenv("FB_PAGE_TOKEN_TEST", FB_TOKEN)
    for name, value in X_SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def fb_account(db, secrets):
    return ChannelAccountFactory(
        network=Network.FACEBOOK,
        name="Sở Y tế Điện Biên",
        account_id="100000000000011",
        token_env="FB_PAGE_TOKEN_TEST",
    )


@pytest.fixture
def x_account(db, secrets):
    return ChannelAccountFactory(
        network=Network.X,
        name="Điện Biên (X)",
        handle="@dienbien_gov",
        account_id="1700000000000000011",
        consumer_key_env="X_TEST_API_KEY",
        consumer_secret_env="X_TEST_API_SECRET",
        token_env="X_TEST_ACCESS_TOKEN",
        token_secret_env="X_TEST_ACCESS_SECRET",
    )


@pytest.fixture
def facebook():
    return FacebookAdapter("facebook", {})


@pytest.fixture
def x():
    return XAdapter("x", {})


@pytest.fixture
def publication(db):
    return SocialPublicationFactory(url="https://dienbien.example.gov.vn/tin-tuc/ket-qua-tiem-chung/")
