"""Double opt-in in headless Chromium with JavaScript off: subscribe, confirm from the e-mail, receive."""

import os
import re

import pytest
from django.core import mail
from wagtail.models import Locale, Page, Site

from channels.email.models import ListKind, Recipient
from hub.models import RegionLevel
from tests.factories import HomePageFactory, RegionFactory
from tests.factories.email import RecipientListFactory
from tests.factories.organisations import default_organisation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(transactional_db):
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=Locale.objects.first()
    )
    home = HomePageFactory(parent=root, slug="trang-chu-email")
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng thử"
    )
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    RegionFactory(code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province)
    organisation = default_organisation()
    organisation.site, organisation.region = site, province
    organisation.save(update_fields=["site", "region"])
    return RecipientListFactory(organisation=organisation, name="Người dân đăng ký", kind=ListKind.PUBLIC)


def test_a_citizen_subscribes_and_confirms_without_javascript(
    portal, browser, live_server, mailoutbox, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()

    page.goto(f"{live_server.url}/nhan-tin-email/dang-ky/")
    page.fill("input[name=email]", "nguoidan@example.com")
    page.select_option("select[name=region]", label="Thành phố Điện Biên Phủ")
    page.select_option("select[name=language]", "vi")
    page.click("form.subscribe-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/nhan-tin-email/da-gui/$"))
    assert page.locator("[role=status]").is_visible()

    recipient = Recipient.objects.get(email="nguoidan@example.com")
    assert recipient.confirmed_at is None and recipient.region.code == "094"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/nhan-tin-email/xac-nhan/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[role=status]")

    recipient.refresh_from_db()
    assert recipient.confirmed_at is not None and recipient.unsubscribed_at is None
    context.close()
