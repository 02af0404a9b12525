"""From rumour to rebuttal in headless Chromium: a citizen reports on a 360 px phone, the police
reviewer verifies, the office makes the rebuttal, it is approved, and the reporter's reply is recorded.

Screenshots of every step go to test-artifacts/intake/ (gitignored).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from wagtail.models import Page, Site

from hub import permissions
from hub.intake import services
from hub.intake.models import Claim, ClaimStatus, Notification, NotificationStatus, Tip
from hub.models import RebuttalPage, Region, RegionLevel
from hub.translations import ensure_locales
from hub.workflows import ensure_workflow
from tests.factories import HomePageFactory, OrganisationFactory, StoryIndexPageFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "intake"
PASSWORD = "correct horse battery staple"
RUMOUR = "Nghe nói thành phố Điện Biên Phủ bị phong tỏa toàn bộ từ tối nay, mọi người đi mua gạo ngay"
REPORTER = "nguoi.dan@example.org"


@pytest.fixture
def portal(transactional_db):
    """A portal with a rebuttal section, run by one organisation whose groups are the hub's."""
    # Every content language exists, as after the migrations (an earlier browser test may have
    # flushed them); the tree is Vietnamese, the source language.
    vietnamese = ensure_locales()["vi"]
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=vietnamese)
    home = HomePageFactory(parent=root, slug="trang-chu-intake")
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng thử"
    )
    ensure_workflow()
    province = Region.objects.create(code="11", name="Điện Biên", level=RegionLevel.PROVINCE)
    Region.objects.create(code="094", name="Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province)
    groups = permissions.ensure_groups()
    OrganisationFactory(site=site, region=province, groups=list(groups.values()))
    services._candidates.clear()
    return StoryIndexPageFactory(parent=home, title="Cải chính", slug="cai-chinh")


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _staff(browser, base_url, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return context, page


def _approve(page):
    """The editor's workflow action 'approve' (opening the action menu if it is folded)."""
    selector = 'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.click()
    page.wait_for_url(lambda current: "/edit/" not in current)


def test_a_rumour_goes_from_a_phone_to_a_published_rebuttal(live_server, browser, portal):
    UserFactory(username="congan", groups=[permissions.POLICE_REVIEWERS], password=PASSWORD)
    UserFactory(username="bientap", groups=[permissions.EDITORS], password=PASSWORD)
    UserFactory(username="syte", groups=[permissions.HEALTH_REVIEWERS], password=PASSWORD)
    UserFactory(username="lanhdao", groups=[permissions.APPROVERS], password=PASSWORD)
    url = live_server.url

    # A citizen reports the rumour from a basic phone: 360 px wide, no horizontal scrolling.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True)
    phone.set_default_timeout(20_000)
    citizen = phone.new_page()
    citizen.goto(f"{url}/bao-tin/")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    citizen.fill('[name="text"]', RUMOUR)
    citizen.fill('[name="seen_where"]', "Nhóm Zalo tổ dân phố")
    citizen.select_option('[name="region"]', label="Điện Biên Phủ")
    citizen.fill('[name="contact"]', REPORTER)
    _shot(citizen, "01-citizen-fills-the-form-360px")
    citizen.click("button.intake-submit")
    citizen.wait_for_url(f"{url}/bao-tin/da-nhan/")
    _shot(citizen, "02-citizen-thanked")
    phone.close()
    claim = Claim.objects.get()
    assert claim.assigned_group.name == permissions.POLICE_REVIEWERS

    # The police reviewer sees the reporter's contact, and marks the claim false.
    context, police = _staff(browser, url, "congan")
    police.goto(f"{url}/admin/intake/triage/{claim.pk}/")
    assert REPORTER in police.content()
    _shot(police, "03-police-triage")
    police.click(f'a[href="/admin/intake/claims/edit/{claim.pk}/"]')
    police.select_option('[name="status"]', ClaimStatus.FALSE)
    police.fill('[name="notes"]', "Công an tỉnh xác minh: không có quyết định phong tỏa nào.")
    police.locator("footer nav.actions--primary button[type=submit]").first.click()
    police.wait_for_url(lambda current: "/edit/" not in current)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.FALSE
    context.close()

    # The office turns it into a rebuttal draft (one action) and submits it for review.
    context, office = _staff(browser, url, "bientap")
    office.goto(f"{url}/admin/intake/triage/{claim.pk}/")
    assert REPORTER not in office.content()  # not the assigned group
    office.click('button[name="action-rebuttal"]')
    office.wait_for_url(lambda current: "/admin/pages/" in current and "/edit/" in current)
    _shot(office, "04-office-rebuttal-draft")
    rebuttal = RebuttalPage.objects.get()
    assert rebuttal.get_latest_revision_as_object().claim_appeared_in == "Nhóm Zalo tổ dân phố"
    button = office.locator('button[name="action-submit"]').first
    if not button.is_visible():
        office.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.click()
    office.wait_for_url(lambda current: "/edit/" not in current)
    context.close()

    # Health review, police review (fake news), then the approver publishes it.
    for username in ("syte", "congan", "lanhdao"):
        context, reviewer = _staff(browser, url, username)
        reviewer.goto(f"{url}/admin/pages/{rebuttal.pk}/edit/")
        _approve(reviewer)
        context.close()
    rebuttal.refresh_from_db()
    assert rebuttal.live

    # The reporter's reply is recorded, once.
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ANSWERED
    notification = Notification.objects.get(tip=Tip.objects.get())
    assert notification.status == NotificationStatus.SENT
    assert [message.to for message in mail.outbox if REPORTER in message.to] == [[REPORTER]]
