"""The sitemap index and its paginated children: every live page once, bounded sizes, a fixed
number of queries whatever the archive's size, cached with validators and purged on publish."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from tests.factories import GoodExamplePageFactory, SituationPageFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PUBLISHED = datetime.datetime(2021, 8, 20, 1, 30, tzinfo=datetime.UTC)


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response, etree.fromstring(response.content)


def _children(client) -> list[str]:
    _response, index = _xml(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [
        loc.replace("http://testserver", "") for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS)
    ]


def _locations(client) -> list[str]:
    found = []
    for child in _children(client):
        _response, urlset = _xml(client, child)
        found += urlset.xpath("s:url/s:loc/text()", namespaces=NS)
    return found


def _add(story_index, count, start=0):
    for number in range(start, start + count):
        SituationPageFactory(
            parent=story_index,
            title=f"Tình hình số {number}",
            slug=f"tinh-hinh-{number}",
            first_published_at=PUBLISHED,
            last_published_at=PUBLISHED + datetime.timedelta(minutes=number),
        )


def test_the_index_pages_every_live_page_into_children_of_bounded_size(client, home, story_index, settings):
    settings.SITEMAP_URLS_PER_FILE = 10
    _add(story_index, 23)
    GoodExamplePageFactory(parent=story_index, title="Bản nháp", slug="ban-nhap", live=False)

    children = _children(client)
    locations = _locations(client)

    assert children == ["/sitemap-vi-1.xml", "/sitemap-vi-2.xml", "/sitemap-vi-3.xml"]
    assert len(locations) == len(set(locations)) == 25  # home, the section, 23 stories
    assert {
        "http://testserver/",
        "http://testserver/tin-tuc/",
        "http://testserver/tin-tuc/tinh-hinh-22/",
    } <= set(locations)
    assert "http://testserver/tin-tuc/ban-nhap/" not in locations
    for child in children:
        _response, urlset = _xml(client, child)
        assert len(urlset.xpath("s:url", namespaces=NS)) <= 10
    assert client.get("/sitemap-vi-4.xml").status_code == 404
    assert client.get("/sitemap-en-1.xml").status_code == 404


def test_lastmod_is_the_newest_publication_in_vietnam_time_and_last_modified_follows(client, story_index):
    _add(story_index, 3)

    response, index = _xml(client, "/sitemap.xml")
    child_response, urlset = _xml(client, "/sitemap-vi-1.xml")

    newest = "2021-08-20T08:32:00+07:00"  # the third story: 01:30 UTC + 2 minutes
    assert index.xpath("s:sitemap/s:lastmod/text()", namespaces=NS) == [newest]
    assert newest in urlset.xpath("s:url/s:lastmod/text()", namespaces=NS)
    assert response["Last-Modified"] == child_response["Last-Modified"] == "Fri, 20 Aug 2021 01:32:00 GMT"


def test_default_child_size_keeps_within_the_protocol_limits(settings):
    from hub.sitemaps import urls_per_file

    assert urls_per_file() <= 50_000
    assert urls_per_file() * 1024 <= 10 * 1024 * 1024  # 1 KB an address at most stays under 10 MB


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-vi-1.xml"])
def test_query_count_does_not_depend_on_the_archive_size(
    client, story_index, settings, django_assert_max_num_queries, path
):
    settings.SITEMAP_URLS_PER_FILE = 20

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    _add(story_index, 5)
    count()  # warm the site root paths
    small = count()
    _add(story_index, 120, start=5)  # 7 children instead of 1
    with django_assert_max_num_queries(small):
        client.get(path)

    assert small <= 4


def test_index_and_children_are_cached_compressed_answer_304_and_are_purged_by_publishing(
    client, story_index, portal_cache
):
    _add(story_index, 3)
    for url in ("/sitemap.xml", "/sitemap-vi-1.xml"):
        assert client.get(url)["X-Cache"] == "MISS"
        hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert hit["X-Cache"] == "HIT" and hit["Content-Encoding"] in ("br", "gzip")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
            assert client.get(url, HTTP_IF_MODIFIED_SINCE=hit["Last-Modified"]).status_code == 304
        assert len(queries) == 0

    story = GoodExamplePageFactory(parent=story_index, title="Tin mới", slug="tin-moi", live=False)
    story.save_revision().publish()

    after = client.get("/sitemap-vi-1.xml")
    assert after["X-Cache"] == "MISS"
    assert b"http://testserver/tin-tuc/tin-moi/" in after.content


def test_robots_txt_names_the_index(client, home):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
