"""E-mail fixtures: regions, an organisation's lists and recipients, a real SMTP server on 127.0.0.1."""

import pytest

from channels.email.adapter import EmailAdapter
from channels.email.models import ListKind
from channels.email.testsmtp import SmtpSink
from hub.models import RegionLevel
from tests.factories import RegionFactory
from tests.factories.email import RecipientFactory, RecipientListFactory
from tests.factories.organisations import default_organisation
from tests.factories.social import SocialPublicationFactory


@pytest.fixture
def regions(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    city = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    muong_cha = RegionFactory(code="096", name="Huyện Mường Chà", level=RegionLevel.DISTRICT, parent=province)
    return {"province": province, "city": city, "muong_cha": muong_cha}


@pytest.fixture
def organisation(regions):
    """The organisation of the test site (its portal takes the sign-ups)."""
    organisation = default_organisation()
    organisation.name, organisation.region = "UBND tỉnh Điện Biên", regions["province"]
    organisation.save(update_fields=["name", "region"])
    return organisation


@pytest.fixture
def departments(organisation, regions):
    """Three departments of the province, one in English, and a district office elsewhere."""
    departments = RecipientListFactory(organisation=organisation, name="Các sở, ngành tỉnh")
    for address, language in (
        ("vanthu@soyte.dienbien.gov.vn", "vi"),
        ("vanthu@sotttt.dienbien.gov.vn", "vi"),
        ("office@who-liaison.example.org", "en"),
    ):
        RecipientFactory(recipient_list=departments, email=address, language=language)
    RecipientFactory(
        recipient_list=departments, email="vanthu@muongcha.dienbien.gov.vn", region=regions["muong_cha"]
    )
    return departments


@pytest.fixture
def citizens(organisation):
    citizens = RecipientListFactory(organisation=organisation, name="Người dân đăng ký", kind=ListKind.PUBLIC)
    RecipientFactory(recipient_list=citizens, email="nguoidan@example.com")
    RecipientFactory(recipient_list=citizens, email="chua-xac-nhan@example.com", confirmed_at=None)
    return citizens


@pytest.fixture
def publication(regions):
    return SocialPublicationFactory(
        kind="directive",
        url="https://dienbien.example.gov.vn/tin-tuc/chi-thi-so-15/",
        title="Chỉ thị số 15/CT-UBND về tăng cường phòng, chống dịch",
        summary="UBND tỉnh yêu cầu các sở, ngành và địa phương triển khai ngay các biện pháp phòng dịch.",
        regions=[regions["city"]],
        channels=["email"],
    )


@pytest.fixture
def smtp(settings):
    sink = SmtpSink().start()
    settings.EMAIL_CHANNEL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_CHANNEL_FROM = "Văn phòng UBND tỉnh <thongtin@dienbien.gov.vn>"
    yield sink
    sink.stop()


@pytest.fixture
def adapter():
    return EmailAdapter("email", {})
