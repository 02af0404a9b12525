"""axe-core in headless Chromium over every kind of portal page: no violation of any impact.

axe runs its whole default rule set (WCAG 2.x A/AA and best practices) on each page as a
visitor sees it, with the portal's own CSS. The engine is vendored in fixtures/axe-core.
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.models import Collection, Locale, Page, Site

from hub.models import CampaignSettings, Phase, RegionLevel
from media.models import HubImage
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    HomePageFactory,
    RebuttalPageFactory,
    RegionFactory,
    SituationPageFactory,
    StoryIndexPageFactory,
    VaccinationPageFactory,
)
from tests.factories.organisations import default_organisation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "fixtures" / "axe-core" / "axe.min.js"
BODY = [
    ("paragraph", "<p>Người dân thực hiện <b>thông điệp 5K</b> và tiêm vắc-xin đầy đủ.</p>"),
    ("quote", {"text": "Không chủ quan, lơ là.", "attribution": "Giám đốc Sở Y tế"}),
    ("fact_box", {"heading": "Thông điệp 5K", "items": ["Khẩu trang", "Khử khuẩn", "Khoảng cách"]}),
]


def _image(name: str) -> HubImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (10, 120, 60)).save(buffer, format="PNG")
    return HubImage.objects.create(
        title=name,
        alt_text="Nhân viên y tế tiêm vắc-xin cho người dân",
        file=ImageFile(buffer, name=f"{name}.png"),
    )


@pytest.fixture
def portal(transactional_db):
    """A portal with two sections, every story kind (with images, regions, a long list), regions."""
    Locale.objects.get_or_create(language_code="vi")
    Collection.get_first_root_node() or Collection.add_root(
        name="Root"
    )  # an earlier test may have flushed it
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=Locale.objects.first()
    )
    home = HomePageFactory(
        parent=root, slug="trang-chu-axe", title="Trang chủ", intro="Thông tin chính thức."
    )
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Cổng thông tin thử"
    )
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    district = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    organisation = default_organisation()
    organisation.site, organisation.region = site, province
    organisation.save(update_fields=["site", "region"])
    news = StoryIndexPageFactory(parent=home, title="Tin tức", slug="tin-tuc", intro="Tin mới nhất.")
    rumours = StoryIndexPageFactory(parent=home, title="Cải chính tin sai", slug="cai-chinh")
    image = _image("anh-tiem")
    published = datetime.datetime(2021, 8, 20, 1, 30, tzinfo=datetime.UTC)
    stories = {
        "good_example": GoodExamplePageFactory(parent=news, title="Gương tốt ở Mường Phăng", body=BODY),
        "vaccination": VaccinationPageFactory(
            parent=news,
            title="Lịch tiêm vắc-xin tháng 10",
            eligible_groups="Người từ 18 tuổi trở lên",
            sites=[("site", {"name": "Trạm y tế phường Him Lam", "address": "Tổ 5", "hours": "7:30–17:00"})],
            how_to_donate="<p>Chuyển khoản vào tài khoản Quỹ vắc-xin của tỉnh.</p>",
        ),
        "rebuttal": RebuttalPageFactory(
            parent=rumours,
            title="Sự thật về tin đồn nước chanh",
            claim_url="https://example.org/bai-viet/123",
            claim_author="Tài khoản Nguyễn Văn A",
            hero_image=image,
            body=BODY,
        ),
        "directive": DirectivePageFactory(parent=news, title="Chỉ thị về giãn cách xã hội"),
        "situation": SituationPageFactory(
            parent=news,
            title="Tình hình dịch ngày 20/8",
            figures=[
                ("figure", {"label": "Ca mắc mới", "value": "12"}),
                ("figure", {"label": "Đã tiêm", "value": "85%"}),
            ],
        ),
    }
    for number in range(14):  # two pages of the index: the pagination is checked too
        SituationPageFactory(
            parent=news,
            title=f"Cập nhật tình hình số {number}",
            hero_image=image if number % 2 else None,
            first_published_at=published - datetime.timedelta(days=number),
        )
    for story in stories.values():
        story.regions.set([district])
        story.save()
    return {"home": home, "index": news, "stories": stories, "district": district, "site": site}


def _axe_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in violations
    ]


def _paths(portal) -> dict[str, str]:
    stories = portal["stories"]
    return {
        "home": portal["home"].url,
        "story index": portal["index"].url,
        "story index, page 2": portal["index"].url + "?page=2",
        **{f"story: {kind}": story.url for kind, story in stories.items()},
        "search": "/tim-kiem/?q=t%C3%ACnh+h%C3%ACnh",
        "search, empty": "/tim-kiem/",
        "region": f"/khu-vuc/{portal['district'].code}/",
        "not found": "/khong-co-trang-nay/",
    }


@pytest.mark.parametrize("phase", [Phase.NEW_NORMAL, Phase.OUTBREAK])
def test_every_portal_page_type_has_no_axe_violation(portal, browser, live_server, settings, phase):
    settings.ALLOWED_HOSTS = ["*"]
    campaign = CampaignSettings.for_site(portal["site"])
    campaign.phase = phase
    campaign.outbreak_banner = "Toàn tỉnh thực hiện giãn cách xã hội từ 0 giờ ngày 10/8."
    campaign.save()
    # The portal's CSP allows no inline script; the test's own injected engine is let through.
    context = browser.new_context(locale="vi-VN", bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()

    found = {}
    for name, path in _paths(portal).items():
        response = page.goto(f"{live_server.url}{path}")
        expected = 404 if name == "not found" else 200
        violations = _axe_violations(page)
        if response.status != expected:
            violations.insert(0, f"HTTP {response.status}, not {expected}")
        if violations:
            found[name] = violations

    context.close()
    report = "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
    assert not found, f"axe violations:\n{report}"
