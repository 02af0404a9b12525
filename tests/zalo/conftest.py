"""Zalo fixtures: a credentialled account with stored tokens, a sandbox one, a publication, strict HTTP."""

import pytest

from channels.zalo.adapter import ZaloAdapter
from hub.models import RegionLevel
from tests.factories import RegionFactory
from tests.factories.social import SocialPublicationFactory
from tests.factories.zalo import ZaloAccountFactory, with_tokens
from tests.social.recorded import strict_http

APP_SECRET = "zaloAPPsecretSECRET42"


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
    return {"province": province, "city": city}


@pytest.fixture
def account(regions, monkeypatch):
    monkeypatch.setenv("ZALO_TEST_APP_SECRET", APP_SECRET)
    account = ZaloAccountFactory(
        name="Sở Y tế Điện Biên (Zalo)",
        app_secret_env="ZALO_TEST_APP_SECRET",
        broadcast_cities="11",
        regions=[regions["province"]],
    )
    return with_tokens(account)


@pytest.fixture
def sandbox_account(regions):
    return ZaloAccountFactory(name="UBND tỉnh (Zalo, sandbox)", regions=[regions["province"]])


@pytest.fixture
def publication(regions):
    return SocialPublicationFactory(
        url="https://dienbien.example.gov.vn/tin-tuc/ket-qua-tiem-chung/",
        zalo_text="Điện Biên: 95% người từ 18 tuổi đã tiêm đủ liều. Bà con xem lịch tiêm tại trạm y tế xã.",
        regions=[regions["city"]],
    )


@pytest.fixture
def adapter():
    return ZaloAdapter("zalo", {"TIMEOUT": 2})
