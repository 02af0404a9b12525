"""Exercise mode in headless Chromium: an approver starts a drill, the red banner appears on every
admin page, and goes when the drill ends."""

import os

import pytest
from wagtail.models import Locale, Page, Site

from hub import permissions
from hub.models import ExercisePeriod
from tests.factories import HomePageFactory, OrganisationFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
BANNER = "[data-exercise-banner-shown]"


@pytest.fixture
def organisation(transactional_db):
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=Locale.objects.first()
    )
    home = HomePageFactory(parent=root, slug="trang-chu-dien-tap")
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng"
    )
    groups = permissions.ensure_groups()
    organisation = OrganisationFactory(
        name="UBND tỉnh Điện Biên", slug="dienbien", site=site, groups=[groups[permissions.APPROVERS]]
    )
    UserFactory(username="pheduyet", groups=[permissions.APPROVERS], password=PASSWORD)
    return organisation


def test_the_banner_shows_on_every_admin_page_while_the_drill_runs(live_server, browser, organisation):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "pheduyet")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator(BANNER).count() == 0

    page.goto(f"{live_server.url}/admin/exercise/")
    page.fill(f"#note-{organisation.pk}", "Diễn tập ứng phó dịch")
    page.click("[data-exercise-start]")
    page.wait_for_url(f"{live_server.url}/admin/exercise/")
    page.goto(f"{live_server.url}/admin/pages/")

    banner = page.locator(BANNER)
    banner.wait_for()
    assert "ĐANG BẬT CHẾ ĐỘ DIỄN TẬP" in banner.inner_text() and organisation.name in banner.inner_text()
    assert ExercisePeriod.objects.get().note == "Diễn tập ứng phó dịch"

    banner.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/admin/exercise/")
    page.click("[data-exercise-end]")
    page.wait_for_url(f"{live_server.url}/admin/exercise/")
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")
    assert page.locator(BANNER).count() == 0
    assert ExercisePeriod.objects.get().ended_at is not None
    context.close()
