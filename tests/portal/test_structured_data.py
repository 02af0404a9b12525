"""Every story carries NewsArticle JSON-LD and rebuttals a complete ClaimReview, as extruct reads them."""

import datetime
import io

import extruct
import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from hub.models import Organisation
from media.models import HubImage
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    VaccinationPageFactory,
)
from tests.factories.organisations import default_organisation

pytestmark = pytest.mark.django_db
PUBLISHED = datetime.datetime(2021, 8, 20, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Vietnam
UPDATED = datetime.datetime(2021, 8, 21, 17, 5, tzinfo=datetime.UTC)  # 00:05 next day in Vietnam


def _image(name="anh.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (10, 120, 60)).save(buffer, format="PNG")
    return HubImage.objects.create(title="Ảnh", alt_text="Ảnh minh họa", file=ImageFile(buffer, name=name))


def _json_ld(client, page) -> dict[str, dict]:
    response = client.get(page.url)
    assert response.status_code == 200
    data = extruct.extract(
        response.content.decode(), base_url=page.get_full_url(), syntaxes=["json-ld"], uniform=True
    )
    documents = data["json-ld"]
    assert len({document["@type"] for document in documents}) == len(documents)
    return {document["@type"]: document for document in documents}


@pytest.mark.parametrize(
    "factory",
    [
        GoodExamplePageFactory,
        VaccinationPageFactory,
        RebuttalPageFactory,
        DirectivePageFactory,
        SituationPageFactory,
    ],
)
def test_every_story_kind_is_a_news_article_published_by_its_organisation(client, story_index, factory):
    page = factory(
        parent=story_index,
        title="Tỉnh triển khai chiến dịch tiêm chủng",
        summary="Tóm tắt của tin.",
        first_published_at=PUBLISHED,
        last_published_at=UPDATED,
        hero_image=_image(),
    )
    organisation = default_organisation()

    article = _json_ld(client, page)["NewsArticle"]

    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Tỉnh triển khai chiến dịch tiêm chủng"
    assert article["description"] == "Tóm tắt của tin."
    assert article["url"] == page.get_full_url() == article["mainEntityOfPage"]["@id"]
    assert article["datePublished"] == "2021-08-20T08:30:00+07:00"
    assert article["dateModified"] == "2021-08-22T00:05:00+07:00"
    assert article["inLanguage"] == "vi"
    assert article["articleSection"].lower() == str(page.kind_label).lower()
    publisher = article["publisher"]
    assert publisher["@type"] == "GovernmentOrganization"
    assert publisher["name"] == organisation.name
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith("http://testserver/static/img/logo")
    assert article["author"]["name"] == organisation.name
    assert len(article["image"]) == 3
    assert all(url.startswith("http://testserver/images/") for url in article["image"])
    assert {"fill-1200x675", "fill-1200x900", "fill-1200x1200"} == {
        url.split("/")[-2] for url in article["image"]
    }


def test_a_story_without_an_image_has_no_image_and_keeps_one_date(client, story_index):
    page = GoodExamplePageFactory(parent=story_index, first_published_at=PUBLISHED, last_published_at=None)

    article = _json_ld(client, page)["NewsArticle"]

    assert "image" not in article
    assert article["datePublished"] == article["dateModified"] == "2021-08-20T08:30:00+07:00"


def test_the_publisher_logo_is_the_organisations_own_and_follows_its_changes(
    client, story_index, portal_cache
):
    page = GoodExamplePageFactory(parent=story_index)
    assert _json_ld(client, page)["NewsArticle"]["publisher"]["logo"]["url"].startswith(
        "http://testserver/static/"
    )

    organisation = Organisation.objects.get(site__isnull=False)
    organisation.logo = _image("logo.png")
    organisation.name = "Ủy ban nhân dân tỉnh Điện Biên"
    organisation.save()  # purges the cached pages and the publisher fragment

    publisher = _json_ld(client, page)["NewsArticle"]["publisher"]
    assert publisher["name"] == "Ủy ban nhân dân tỉnh Điện Biên"
    assert publisher["logo"]["url"].startswith("http://testserver/images/")
    assert f"/{organisation.logo.pk}/max-600x600/" in publisher["logo"]["url"]


def test_a_rebuttal_reviews_a_claim_with_its_author_appearance_and_language(client, story_index):
    page = RebuttalPageFactory(
        parent=story_index,
        claim="Xông hơi bằng sả diệt được vi-rút.",
        claim_appeared_in="Nhóm Facebook “Sức khỏe mỗi ngày”",
        claim_appeared_on=datetime.date(2021, 8, 2),
        claim_url="https://www.facebook.com/groups/suckhoe/posts/123",
        claim_author="Tài khoản Nguyễn Văn A",
        verdict="misleading",
        first_published_at=PUBLISHED,
    )
    organisation = default_organisation()

    review = _json_ld(client, page)["ClaimReview"]

    assert review["url"] == page.get_full_url()
    assert review["claimReviewed"] == "Xông hơi bằng sả diệt được vi-rút."
    assert review["datePublished"] == "2021-08-20T08:30:00+07:00"
    assert review["inLanguage"] == "vi"
    assert review["author"]["@type"] == "GovernmentOrganization"
    assert review["author"]["name"] == organisation.name
    assert review["reviewRating"]["ratingValue"] == 2
    assert review["reviewRating"]["alternateName"]
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Tài khoản Nguyễn Văn A"}
    assert claim["appearance"]["url"] == "https://www.facebook.com/groups/suckhoe/posts/123"
    assert claim["appearance"]["name"] == "Nhóm Facebook “Sức khỏe mỗi ngày”"
    assert claim["firstAppearance"]["url"] == claim["appearance"]["url"]
    assert claim["inLanguage"] == "vi"
    assert claim["datePublished"] == "2021-08-02"


def test_a_claim_of_unknown_author_names_where_it_circulated(client, story_index):
    page = RebuttalPageFactory(parent=story_index, claim_appeared_in="Một nhóm Zalo", claim_author="")

    claim = _json_ld(client, page)["ClaimReview"]["itemReviewed"]

    assert claim["author"] == {"@type": "Organization", "name": "Một nhóm Zalo"}
    assert "url" not in claim["appearance"]


def test_home_index_and_search_pages_carry_no_article(client, home, story_index):
    GoodExamplePageFactory(parent=story_index)

    for url in (home.url, story_index.url, "/tim-kiem/?q=tin"):
        html = client.get(url).content.decode()
        assert extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"] == []
