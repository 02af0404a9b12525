"""Compressed once, served many times: the page cache keeps Brotli and gzip bodies, and validators."""

import gzip

import brotli
import pytest
from django.urls import reverse

from tests.factories import GoodExamplePageFactory, UserFactory


@pytest.fixture
def story(story_index, portal_cache):
    return GoodExamplePageFactory(parent=story_index, title="Bà Lò Thị Hoa vận động tiêm chủng")


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
        ("", None, bytes),
        ("identity", None, bytes),
    ],
)
def test_cached_pages_come_in_the_coding_the_client_asks_for(client, story, accept, coding, decode):
    plain = client.get(story.url)  # the miss that stores the entry
    response = client.get(story.url, HTTP_ACCEPT_ENCODING=accept)

    assert response["X-Cache"] == "HIT"
    assert response.get("Content-Encoding") == coding
    assert "Accept-Encoding" in response["Vary"]
    assert decode(response.content) == plain.content
    assert int(response["Content-Length"]) == len(response.content)


def test_the_miss_is_compressed_too_and_bodies_are_much_smaller(client, story):
    response = client.get("/", HTTP_ACCEPT_ENCODING="br")
    plain = client.get("/")

    assert response["X-Cache"] == "MISS" and response["Content-Encoding"] == "br"
    assert len(response.content) < len(plain.content) / 3


def test_cached_pages_and_feeds_carry_validators_and_answer_304(client, story):
    for url in (story.url, "/", reverse("portal_feed_atom"), reverse("portal_feed_rss")):
        first = client.get(url)
        assert first["ETag"] and first["Last-Modified"]
        assert "stale-while-revalidate=" in first["Cache-Control"] and "public" in first["Cache-Control"]

        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

        assert by_etag.status_code == 304 and by_etag.content == b"", url
        assert by_date.status_code == 304, url
        assert by_etag["ETag"] == first["ETag"]


def test_conditional_requests_follow_the_order_of_http_preconditions(client, story):
    etag = client.get(story.url)["ETag"]

    listed = client.get(story.url, HTTP_IF_NONE_MATCH=f'"other", {etag}')  # one of several
    weak = client.get(story.url, HTTP_IF_NONE_MATCH=f"W/{etag}")  # a weak copy of it
    other = client.get(story.url, HTTP_IF_NONE_MATCH='"other"')
    failed_if_match = client.get(story.url, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MATCH='"other"')

    assert listed.status_code == weak.status_code == 304
    assert other.status_code == 200 and other["X-Cache"] == "HIT"
    assert failed_if_match.status_code == 412  # If-Match is evaluated first (RFC 9110, 13.2.2)


def test_a_publish_changes_the_etag(client, story, django_capture_on_commit_callbacks):
    before = client.get(story.url)["ETag"]
    story.title = "Bà Lò Thị Hoa được khen thưởng"
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    after = client.get(story.url, HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200 and after["ETag"] != before


def test_pages_outside_the_cache_are_gzipped_on_the_way_out(client, story):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content).lower()


def test_binary_bodies_are_not_compressed_again(rf):
    from django.http import HttpResponse

    from hub.compression import CompressionMiddleware

    middleware = CompressionMiddleware(
        lambda request: HttpResponse(b"\x89PNG" * 200, content_type="image/png")
    )

    response = middleware(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))

    assert not response.has_header("Content-Encoding")
