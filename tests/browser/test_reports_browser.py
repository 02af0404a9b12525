"""The monthly report page in headless Chromium: an approver opens it, the charts are drawn.

Screenshots go to test-artifacts/reports/ (gitignored); the test checks their pixels.
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from wagtail.models import Locale, Page, Site

from hub import permissions
from hub.models import Region
from publishing.models import Delivery
from publishing.reports.charts import PALETTE
from publishing.reports.periods import Period
from publishing.reports.services import report_build
from tests.factories import HomePageFactory, OrganisationFactory, StoryIndexPageFactory, UserFactory
from tests.factories.sms import PublicationFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "reports"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def report(transactional_db):
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=Locale.objects.first()
    )
    home = HomePageFactory(parent=root, slug="trang-chu-bao-cao")
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng"
    )
    index = StoryIndexPageFactory(parent=home, title="Tin tức", slug="tin-tuc")
    groups = permissions.ensure_groups()
    region = Region.objects.create(code="094", name="Thành phố Điện Biên Phủ", level="district")
    organisation = OrganisationFactory(
        name="Sở Thông tin và Truyền thông", slug="stttt", site=site, groups=[groups[permissions.APPROVERS]]
    )
    period = Period.from_dates(datetime.date(2026, 10, 23), datetime.date(2026, 11, 22))
    for day in range(31):
        when = period.start + datetime.timedelta(days=day, hours=9)
        for n in range(day % 4 + 1):
            publication = PublicationFactory(
                page=index,
                organisation=organisation,
                published_at=when,
                valid_from=when,
                valid_until=when,
                kind=["vaccination", "situation", "rebuttal"][n % 3],
                regions=[region],
            )
            for channel, status in (("facebook", "sent"), ("x", "failed" if n == 2 else "sent")):
                delivery = Delivery.objects.create(
                    publication=publication,
                    channel=channel,
                    target="main",
                    status=status,
                    last_error="HTTP 503" if status == "failed" else "",
                    sent_at=when if status == "sent" else None,
                )
                Delivery.objects.filter(pk=delivery.pk).update(created_at=when)
    UserFactory(username="lanhdao", groups=[permissions.APPROVERS], password=PASSWORD)
    with timezone.override("Asia/Ho_Chi_Minh"):
        return report_build(organisation=organisation, period=period)


def coloured_share(png: bytes, colour: str) -> float:
    """The share of pixels of one palette colour in a screenshot."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    counts = {rgb: count for count, rgb in image.getcolors(maxcolors=image.width * image.height)}
    return counts.get(target, 0) / (image.width * image.height)


def test_report_page_shows_charts_tables_and_downloads(live_server, browser, report):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/reports/monthly/")
    page.get_by_role("link", name=str(report)).click()
    page.wait_for_url(f"{live_server.url}/admin/reports/monthly/{report.pk}/")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    whole = page.screenshot(path=str(ARTIFACTS / "report-page.png"), full_page=True)
    chart = page.get_by_role("img", name="Lượt đăng theo ngày")
    assert chart.is_visible()
    line = chart.screenshot(path=str(ARTIFACTS / "publications-per-day.png"))
    bars = page.get_by_role("img", name="Phát hành theo kênh").screenshot(
        path=str(ARTIFACTS / "deliveries.png")
    )

    assert coloured_share(line, PALETTE[0]) > 0.002  # the series is drawn, in the first colour
    assert (
        coloured_share(bars, PALETTE[0]) > 0.01 and coloured_share(bars, PALETTE[1]) > 0.001
    )  # sent, failed
    assert coloured_share(whole, PALETTE[0]) > 0.001
    table = page.get_by_role("table").filter(has_text="Lượt đăng theo ngày")
    assert table.get_by_role("row").count() == 1 + 31
    assert page.get_by_role("heading", name="1. Tin bài đã đăng").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải DOCX").click()
    assert download.value.suggested_filename == "bao-cao-stttt-2026-10-23.docx"
    context.close()
