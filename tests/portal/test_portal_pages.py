"""Every portal page type renders its content; rebuttals carry well-formed ClaimReview JSON-LD."""

import datetime
import json
import re

import pytest
from wagtail.documents.models import Document
from wagtail.models import Site

from hub.models import CampaignSettings, Phase
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    VaccinationPageFactory,
)

pytestmark = pytest.mark.django_db


def _get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_lists_the_latest_story_of_each_section(client, home, story_index):
    story = GoodExamplePageFactory(parent=story_index, title="Bà Hoa vận động tiêm vắc-xin")

    html = _get(client, home)

    assert 'lang="vi"' in html
    assert story_index.title in html
    assert story.title in html
    assert 'href="#main"' in html


def test_home_shows_the_outbreak_banner_only_in_an_outbreak(client, home):
    site = Site.objects.get()
    settings = CampaignSettings.for_site(site)
    assert "phase-banner" not in _get(client, home)

    settings.phase = Phase.OUTBREAK
    settings.outbreak_banner = "Toàn tỉnh thực hiện giãn cách xã hội từ 0 giờ ngày 10/8."
    settings.save()

    assert "Toàn tỉnh thực hiện giãn cách xã hội từ 0 giờ ngày 10/8." in _get(client, home)


def test_index_paginates_stories(client, story_index):
    for number in range(14):
        SituationPageFactory(parent=story_index, title=f"Cập nhật tình hình số {number}")

    first = _get(client, story_index)
    response = client.get(story_index.url + "?page=2")

    assert first.count('class="card"') == 12
    assert response.content.decode().count('class="card"') == 2
    assert 'rel="next"' in first


def test_good_example_page_renders_its_fields(client, story_index):
    page = GoodExamplePageFactory(
        parent=story_index,
        honoree="Tổ COVID cộng đồng bản Na Sang",
        locality="Huyện Mường Chà",
        achievement="Đưa 300 người cao tuổi đi tiêm mũi nhắc lại.",
        first_published_at=datetime.datetime(2021, 9, 3, 20, 0, tzinfo=datetime.UTC),
    )

    html = _get(client, page)

    for text in (
        page.title,
        page.summary,
        "Tổ COVID cộng đồng bản Na Sang",
        "Huyện Mường Chà",
        "Đưa 300 người cao tuổi đi tiêm mũi nhắc lại.",
    ):
        assert text in html
    assert "04/09/2021" in html  # 20:00 UTC is the next morning in Asia/Ho_Chi_Minh


def test_vaccination_page_renders_campaign_dates_sites_groups_and_donations(client, story_index):
    page = VaccinationPageFactory(
        parent=story_index,
        campaign="Tiêm vắc-xin đợt 5",
        starts_on=datetime.date(2021, 10, 1),
        ends_on=datetime.date(2021, 10, 15),
        eligible_groups="Người từ 18 tuổi trở lên",
        sites=[
            (
                "site",
                {
                    "name": "Trạm Y tế phường Him Lam",
                    "address": "Tổ 5, phường Him Lam",
                    "hours": "7:30–17:00",
                },
            )
        ],
        how_to_donate="<p>Chuyển khoản vào tài khoản Quỹ vắc-xin của tỉnh.</p>",
    )

    html = _get(client, page)

    for text in (
        "Tiêm vắc-xin đợt 5",
        "01/10/2021",
        "15/10/2021",
        "Người từ 18 tuổi trở lên",
        "Trạm Y tế phường Him Lam",
        "Tổ 5, phường Him Lam",
        "Quỹ vắc-xin của tỉnh",
    ):
        assert text in html


def test_directive_page_renders_number_date_body_and_attachment(client, story_index):
    document = Document.objects.create(title="Chỉ thị 15", file="documents/chi-thi-15.pdf")
    page = DirectivePageFactory(
        parent=story_index,
        document_number="15/CT-UBND",
        issued_on=datetime.date(2021, 7, 28),
        issuing_body="Ủy ban nhân dân tỉnh Điện Biên",
        attachment=document,
    )

    html = _get(client, page)

    for text in ("15/CT-UBND", "28/07/2021", "Ủy ban nhân dân tỉnh Điện Biên", document.url):
        assert text in html


def test_situation_page_renders_as_of_and_figures(client, story_index):
    page = SituationPageFactory(
        parent=story_index,
        as_of=datetime.datetime(2021, 8, 20, 10, 0, tzinfo=datetime.UTC),
        figures=[
            ("figure", {"label": "Ca mắc mới", "value": "12"}),
            ("figure", {"label": "Đã tiêm", "value": "85%"}),
        ],
    )

    html = _get(client, page)

    for text in ("17:00 20/08/2021", "Ca mắc mới", "12", "Đã tiêm", "85%"):
        assert text in html


def test_body_blocks_render_with_their_templates(client, story_index):
    page = GoodExamplePageFactory(
        parent=story_index,
        body=[
            ("paragraph", "<p>Đoạn văn mở đầu.</p>"),
            ("quote", {"text": "Không chủ quan, lơ là.", "attribution": "Giám đốc Sở Y tế"}),
            ("fact_box", {"heading": "Thông điệp 5K", "items": ["Khẩu trang", "Khử khuẩn"]}),
        ],
    )

    html = _get(client, page)

    for text in (
        "Đoạn văn mở đầu.",
        "Không chủ quan, lơ là.",
        "Giám đốc Sở Y tế",
        "Thông điệp 5K",
        "Khử khuẩn",
    ):
        assert text in html


def test_rebuttal_page_renders_claim_verdict_evidence_and_claim_review(client, story_index):
    page = RebuttalPageFactory(
        parent=story_index,
        claim="Xông hơi bằng sả </script> diệt được vi-rút.",
        claim_appeared_in="Một nhóm Facebook",
        claim_appeared_on=datetime.date(2021, 8, 2),
        evidence="<p>Bộ Y tế khẳng định xông hơi không diệt được vi-rút.</p>",
    )

    html = _get(client, page)

    assert "Một nhóm Facebook" in html and "02/08/2021" in html
    assert "verdict--false" in html
    assert "Bộ Y tế khẳng định" in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert [json.loads(script)["@type"] for script in scripts] == ["NewsArticle", "ClaimReview"]
    review = json.loads(scripts[1])
    assert review["claimReviewed"] == page.claim
    assert review["reviewRating"]["@type"] == "Rating"
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["url"] == page.get_full_url()


def test_claim_review_cannot_open_an_html_comment_in_its_script(client, story_index):
    page = RebuttalPageFactory(parent=story_index, claim="<!--<script> & </script> trong lời đồn")

    html = _get(client, page)

    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    for script in scripts:
        assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(scripts[1])["claimReviewed"] == page.claim


def test_story_page_has_social_and_canonical_meta(client, story_index):
    page = GoodExamplePageFactory(parent=story_index, title="Gương sáng ở Tuần Giáo")

    html = _get(client, page)

    assert '<meta property="og:title" content="Gương sáng ở Tuần Giáo">' in html
    assert '<meta property="og:locale" content="vi_VN">' in html
    assert f'<link rel="canonical" href="{page.get_full_url()}">' in html
    assert f'<meta property="og:url" content="{page.get_full_url()}">' in html
    assert 'name="twitter:card"' in html
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html


def test_unknown_page_renders_the_404_template(client, home):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode() or "Không tìm thấy" in response.content.decode()
