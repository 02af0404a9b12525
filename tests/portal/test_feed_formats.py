"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 as independent readers see them: feedparser without a
complaint, Atom's required elements (RFC 4287) checked with lxml, whole sanitised stories,
images, categories, +07:00 times, tag: ids that survive moves, per kind and per region feeds."""

import datetime
import io
import json
from types import SimpleNamespace

import feedparser
import jsonschema
import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from PIL import Image as PILImage

from hub.models import RegionLevel
from media.models import HubImage
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    RegionFactory,
    SituationPageFactory,
    StoryIndexPageFactory,
    VaccinationPageFactory,
)
from tests.factories.organisations import default_organisation

pytestmark = pytest.mark.django_db
NS = {"a": "http://www.w3.org/2005/Atom", "media": "http://search.yahoo.com/mrss/"}
PUBLISHED = datetime.datetime(2021, 8, 20, 1, 30, tzinfo=datetime.UTC)  # 08:30 in Vietnam
BODY = [
    ("paragraph", '<p>Xem <a href="/tin-tuc/lich-tiem/">lịch tiêm</a> và <b>thực hiện 5K</b>.</p>'),
    ("paragraph", '<p>Đoạn thứ hai<script>alert("x")</script><img src="/x.png" onerror="alert(1)"></p>'),
    ("quote", {"text": "Không chủ quan, lơ là.", "attribution": "Giám đốc Sở Y tế"}),
]


def _image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (10, 120, 60)).save(buffer, format="PNG")
    return HubImage.objects.create(
        title="Ảnh", alt_text="Tiêm vắc-xin ở trạm y tế", file=ImageFile(buffer, name="anh.png")
    )


@pytest.fixture
def stories(story_index):
    image = _image()
    made = [
        (GoodExamplePageFactory, "Gương tốt ở Điện Biên Đông"),
        (VaccinationPageFactory, "Lịch tiêm vắc-xin tháng 10"),
        (RebuttalPageFactory, "Sự thật về tin đồn nước chanh"),
        (DirectivePageFactory, "Chỉ thị về giãn cách xã hội"),
        (SituationPageFactory, "Tình hình dịch ngày 20/8"),
    ]
    return [
        factory(
            parent=story_index,
            title=title,
            summary=f"Tóm tắt: {title}.",
            body=BODY,
            hero_image=image,
            first_published_at=PUBLISHED - datetime.timedelta(hours=hour),
            last_published_at=PUBLISHED - datetime.timedelta(hours=hour),
        )
        for hour, (factory, title) in enumerate(made)
    ]


# JSON Feed 1.1's required members and types (https://www.jsonfeed.org/version/1.1/).
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": {"type": "object", "minProperties": 1}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "image": {"type": "string", "format": "uri"},
                },
            },
        },
    },
}


def _json_feed(content: bytes):
    """A JSON Feed checked against its schema, read into feedparser's shape (feedparser 6.0 reads XML only)."""
    document = json.loads(content)
    jsonschema.validate(document, JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())
    entries = [
        SimpleNamespace(
            id=item["id"],
            title=item["title"],
            link=item["url"],
            summary=item.get("summary"),
            content=[SimpleNamespace(value=item["content_html"])],
            tags=[SimpleNamespace(term=tag) for tag in item.get("tags", [])],
            published_parsed=(
                datetime.datetime.fromisoformat(item["date_published"]).timetuple()
                if "date_published" in item
                else None
            ),
        )
        for item in document["items"]
    ]
    return SimpleNamespace(version="json11", entries=entries)


def _parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/feed+json"):
        return response, _json_feed(response.content)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize(
    ("url", "version", "content_type"),
    [
        ("/feeds/rss/", "rss20", "application/rss+xml"),
        ("/feeds/atom/", "atom10", "application/atom+xml"),
        ("/feeds/json/", "json11", "application/feed+json"),
    ],
)
def test_each_format_parses_cleanly_with_whole_stories(client, stories, url, version, content_type):
    response, parsed = _parsed(client, url)

    assert response["Content-Type"].startswith(content_type)
    assert parsed.version == version
    assert [entry.title for entry in parsed.entries] == [story.title for story in stories]
    for entry, story in zip(parsed.entries, stories, strict=True):
        assert entry.id.startswith("tag:testserver,2021-08-")
        assert entry.link == story.get_full_url()
        assert entry.summary == story.summary
        content = entry.content[0].value
        assert '<a href="http://testserver/tin-tuc/lich-tiem/"' in content
        assert "<b>thực hiện 5K</b>" in content and "Không chủ quan, lơ là." in content
        assert "script" not in content and "onerror" not in content and "alert" not in content
        assert [tag.term for tag in entry.tags] == [str(story.kind_label).capitalize()]
        assert entry.published_parsed is not None
    raw = response.content.decode()
    if version == "rss20":
        assert "Fri, 20 Aug 2021 08:30:00 +0700" in raw
    else:
        assert "2021-08-20T08:30:00+07:00" in raw


def test_rss_items_carry_the_image_as_enclosure_and_media_content(client, stories):
    _response, parsed = _parsed(client, "/feeds/rss/")

    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        assert enclosure.type == "image/jpeg" and enclosure.href.startswith("http://testserver/images/")
        assert entry.media_content[0]["url"] == enclosure.href
        assert entry.guidislink is False


def test_atom_has_the_elements_rfc_4287_requires_and_author_rights_and_media(client, stories):
    response = client.get("/feeds/atom/")
    feed = etree.fromstring(response.content)

    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name", "a:rights"):
        assert feed.xpath(f"{required}/text()", namespaces=NS), required
    assert feed.xpath("a:updated/text()", namespaces=NS)[0].endswith("+07:00")
    assert feed.xpath("a:link[@rel='self']/@href", namespaces=NS) == ["http://testserver/feeds/atom/"]
    assert "Ủy ban nhân dân tỉnh thử nghiệm" in feed.xpath("a:rights/text()", namespaces=NS)[0]
    entries = feed.xpath("a:entry", namespaces=NS)
    assert len(entries) == len(stories)
    ids = set()
    for entry in entries:
        for required in ("a:id", "a:title", "a:updated", "a:published", "a:author/a:name", "a:summary"):
            assert len(entry.xpath(required, namespaces=NS)) == 1, required
        ids.add(entry.xpath("a:id/text()", namespaces=NS)[0])
        assert entry.xpath("a:content/@type", namespaces=NS) == ["html"]
        assert entry.xpath("a:link[@rel='alternate']/@href", namespaces=NS)[0].startswith(
            "http://testserver/"
        )
        assert entry.xpath("a:link[@rel='enclosure']/@type", namespaces=NS) == ["image/jpeg"]
        assert entry.xpath("a:category/@term", namespaces=NS)
        assert entry.xpath("media:content/@medium", namespaces=NS) == ["image"]
        assert entry.xpath("a:updated/text()", namespaces=NS)[0].endswith("+07:00")
    assert len(ids) == len(entries)


def test_json_feed_is_version_1_1_with_authors_language_and_images(client, stories):
    response = client.get("/feeds/json/")
    document = json.loads(response.content)

    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "http://testserver/feeds/json/"
    assert document["home_page_url"] == "http://testserver/"
    assert document["language"] == "vi"
    assert document["authors"] == [{"name": "Ủy ban nhân dân tỉnh thử nghiệm", "url": "http://testserver/"}]
    first = document["items"][0]
    assert first["date_published"] == "2021-08-20T08:30:00+07:00"
    assert first["image"].startswith("http://testserver/images/")
    assert first["language"] == "vi"
    assert first["tags"] == [str(stories[0].kind_label).capitalize()]


def test_ids_survive_moving_and_renaming_a_story(client, home, story_index, stories):
    story = stories[0]
    before = {entry.link: entry.id for entry in _parsed(client, "/feeds/atom/")[1].entries}[
        story.get_full_url()
    ]
    other = StoryIndexPageFactory(parent=home, title="Gương sáng", slug="guong-sang")

    story.move(other, pos="last-child")
    story.refresh_from_db()
    story.slug = "guong-tot-dien-bien-dong"
    story.title = "Gương tốt ở huyện Điện Biên Đông"
    story.save()

    after = {entry.title: entry for entry in _parsed(client, "/feeds/atom/")[1].entries}
    moved = after["Gương tốt ở huyện Điện Biên Đông"]
    assert moved.link == "http://testserver/guong-sang/guong-tot-dien-bien-dong/"
    assert moved.id == before == f"tag:testserver,2021-08-20:story/{story.translation_key}/vi"


@pytest.mark.parametrize("kind", ["good_example", "vaccination", "rebuttal", "directive", "situation"])
@pytest.mark.parametrize("form", ["rss", "atom", "json"])
def test_per_kind_feeds_in_every_format(client, stories, kind, form):
    from hub.selectors import KINDS

    _response, parsed = _parsed(client, f"/feeds/{kind}/{form}/")

    assert [entry.title for entry in parsed.entries] == [
        story.title for story in stories if isinstance(story, KINDS[kind])
    ]


@pytest.fixture
def regions(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    city = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    ward = RegionFactory(code="03127", name="Phường Him Lam", level=RegionLevel.COMMUNE, parent=city)
    other = RegionFactory(code="096", name="Huyện Tủa Chùa", level=RegionLevel.DISTRICT, parent=province)
    organisation = default_organisation()
    organisation.region = province
    organisation.save(update_fields=["region"])
    return {"province": province, "city": city, "ward": ward, "other": other}


@pytest.mark.parametrize("form", ["rss", "atom", "json"])
def test_region_feeds_carry_what_concerns_people_there(client, story_index, regions, form):
    for_city = GoodExamplePageFactory(parent=story_index, title="Cho thành phố")
    for_city.regions.set([regions["city"]])
    for_city.save()
    for_other = VaccinationPageFactory(parent=story_index, title="Cho Tủa Chùa")
    for_other.regions.set([regions["other"]])
    for_other.save()
    for_everyone = DirectivePageFactory(parent=story_index, title="Cho cả tỉnh")

    city = {entry.title for entry in _parsed(client, f"/feeds/khu-vuc/094/{form}/")[1].entries}
    ward = {entry.title for entry in _parsed(client, f"/feeds/khu-vuc/03127/{form}/")[1].entries}
    province = {entry.title for entry in _parsed(client, f"/feeds/khu-vuc/11/{form}/")[1].entries}

    assert city == ward == {for_city.title, for_everyone.title}
    assert province == {for_city.title, for_other.title, for_everyone.title}
    assert client.get(f"/feeds/khu-vuc/99999/{form}/").status_code == 404


def test_a_region_outside_the_organisation_has_no_feed_or_page(client, story_index, regions):
    RegionFactory(code="12", name="Tỉnh Lai Châu", level=RegionLevel.PROVINCE)

    assert client.get("/feeds/khu-vuc/12/rss/").status_code == 404
    assert client.get("/khu-vuc/12/").status_code == 404


def test_region_page_lists_its_stories_and_links_its_feeds(client, story_index, regions):
    story = GoodExamplePageFactory(parent=story_index, title="Gương tốt ở Him Lam")
    story.regions.set([regions["ward"]])
    story.save()
    elsewhere = GoodExamplePageFactory(parent=story_index, title="Gương tốt ở Tủa Chùa")
    elsewhere.regions.set([regions["other"]])
    elsewhere.save()

    html = client.get("/khu-vuc/094/").content.decode()

    assert "<h1>Thành phố Điện Biên Phủ</h1>" in html
    assert "Gương tốt ở Him Lam" in html and "Gương tốt ở Tủa Chùa" not in html
    assert 'href="/feeds/khu-vuc/094/atom/"' in html and 'type="application/feed+json"' in html
    assert 'href="/khu-vuc/03127/"' in client.get(story.url).content.decode()


def test_drafts_are_left_out(client, story_index, stories):
    GoodExamplePageFactory(parent=story_index, title="Bản nháp chưa duyệt", live=False)

    titles = {entry.title for entry in _parsed(client, "/feeds/json/")[1].entries}

    assert "Bản nháp chưa duyệt" not in titles


def test_a_feed_runs_the_same_queries_for_5_or_40_stories(client, story_index, stories):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/feeds/atom/").status_code == 200
        return len(queries)

    count()  # warm the site and content types
    few = count()
    for number in range(35):
        GoodExamplePageFactory(parent=story_index, title=f"Tin {number}", body=BODY)
    many = count()

    assert many == few


def test_feeds_come_compressed_with_validators_and_answer_304_from_the_cache(client, stories, portal_cache):
    for url in ("/feeds/json/", "/feeds/khu-vuc/11/atom/", "/feeds/rebuttal/rss/"):
        first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        if url.startswith("/feeds/khu-vuc/"):
            assert first.status_code == 404  # no such region here: nothing cached
            continue
        assert first.status_code == 200 and first["X-Cache"] == "MISS"
        hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert hit["X-Cache"] == "HIT" and hit["Content-Encoding"] == "gzip"
        assert hit["ETag"] and hit["Last-Modified"]
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"])
        assert again.status_code == 304 and len(queries) == 0
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=hit["Last-Modified"])
        assert since.status_code == 304
