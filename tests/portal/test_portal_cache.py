"""The full-page cache: hits for anonymous visitors (tracker cookies too), bypass for editors, purges."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from hub.models import CampaignSettings, Phase
from tests.factories import GoodExamplePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(portal_cache):
    """Every test here runs with the page cache on (see tests/portal/conftest.py)."""


@pytest.fixture
def story(story_index):
    return GoodExamplePageFactory(parent=story_index, title="Bản gốc đã duyệt")


def test_second_anonymous_request_is_a_hit_without_queries(client, story, django_assert_num_queries):
    first = client.get(story.url)

    with django_assert_num_queries(0):
        second = client.get(story.url)

    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_tracker_cookies_still_hit(client, story):
    client.get(story.url)
    client.cookies["_ga"] = "GA1.1.123456.1630000000"
    client.cookies["_fbp"] = "fb.1.1630000000.987654"

    response = client.get(story.url)

    assert response["X-Cache"] == "HIT"


def test_a_fresh_process_reads_entries_from_the_shared_cache(client, story):
    from django.test import Client

    client.get(story.url)

    response = Client().get(story.url)  # a new handler: its in-process store is empty

    assert response["X-Cache"] == "HIT"


def test_query_strings_are_part_of_the_key(client, story):
    client.get(story.url)

    response = client.get(story.url + "?utm_source=zalo")

    assert response["X-Cache"] == "MISS"


def test_editors_with_a_session_bypass_the_cache(client, story):
    client.get(story.url)
    client.force_login(UserFactory(is_superuser=True))

    response = client.get(story.url)

    assert response.status_code == 200
    assert "X-Cache" not in response


def test_publishing_a_new_revision_purges(client, story):
    client.get(story.url)
    story.title = "Bản mới đã duyệt"
    story.save_revision().publish()

    response = client.get(story.url)

    assert response["X-Cache"] == "MISS"
    assert "Bản mới đã duyệt" in response.content.decode()


def test_unpublishing_purges(client, story, story_index):
    client.get(story.url)
    client.get(story_index.url)

    story.unpublish()

    assert client.get(story.url).status_code == 404
    assert "Bản gốc đã duyệt" not in client.get(story_index.url).content.decode()


def test_drafts_and_previews_are_never_served_to_the_public(client, story):
    editor = UserFactory(is_superuser=True)
    story.title = "Bản nháp chưa duyệt"
    story.save_revision(user=editor)
    editor_client = type(client)()
    editor_client.force_login(editor)
    assert editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[story.pk])).status_code == 200
    assert editor_client.get(story.url).status_code == 200

    first = client.get(story.url)
    second = client.get(story.url)

    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    for response in (first, second):
        html = response.content.decode()
        assert "Bản gốc đã duyệt" in html and "Bản nháp chưa duyệt" not in html


def test_changing_the_campaign_phase_purges(client, home):
    client.get(home.url)
    campaign = CampaignSettings.for_site(Site.objects.get())
    campaign.phase = Phase.OUTBREAK
    campaign.outbreak_banner = "Khẩn: thực hiện cách ly toàn xã Mường Phăng."
    campaign.save()

    response = client.get(home.url)

    assert "Khẩn: thực hiện cách ly toàn xã Mường Phăng." in response.content.decode()


def test_responses_that_set_cookies_are_not_cached(client, story):
    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )

    first = client.get(story.url)
    second = client.get(story.url)

    assert first.cookies and "X-Cache" not in first
    assert "X-Cache" not in second


@pytest.mark.parametrize("path", ["/healthz", "/admin/login/"])
def test_admin_and_health_are_never_cached(client, home, path):
    client.get(path)

    assert "X-Cache" not in client.get(path)


def test_post_is_never_cached(client, story):
    client.get(story.url)

    response = client.post(story.url, {})

    assert response.get("X-Cache") != "HIT"


def test_feeds_are_cached_and_purged(client, story, story_index):
    client.get(reverse("portal_feed_rss"))
    assert client.get(reverse("portal_feed_rss"))["X-Cache"] == "HIT"

    GoodExamplePageFactory(parent=story_index, title="Tin mới xuất bản").save_revision().publish()

    response = client.get(reverse("portal_feed_rss"))
    assert response["X-Cache"] == "MISS"
    assert "Tin mới xuất bản" in response.content.decode()


def test_the_cache_can_be_turned_off(client, story, settings):
    settings.PORTAL_CACHE_ENABLED = False
    client.get(story.url)

    assert "X-Cache" not in client.get(story.url)


def test_a_process_trusts_the_generation_briefly_and_its_own_purge_at_once(settings, client, story):
    from hub import cache as portal_cache_module

    settings.PORTAL_GENERATION_CHECK_SECONDS = 60
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"

    # Another process purges: this one keeps serving what it has until it asks again.
    portal_cache_module._cache().incr(portal_cache_module.GENERATION_KEY)
    assert client.get(story.url)["X-Cache"] == "HIT"
    portal_cache_module._known_generation = (portal_cache_module._known_generation[0], 0.0)  # a minute on
    assert client.get(story.url)["X-Cache"] == "MISS"

    # Its own purge (a publish here) applies to its next request.
    assert client.get(story.url)["X-Cache"] == "HIT"
    portal_cache_module.purge_portal_cache()
    assert client.get(story.url)["X-Cache"] == "MISS"


def test_the_per_process_copies_are_bounded_in_bytes_and_keep_the_most_recent():
    from hub.cache import LOCAL_MAX_ENTRY_BYTES, _LocalEntries

    def entry(size):
        return (200, {"identity": b"x" * size, "br": b"y" * (size // 10)}, [])

    local = _LocalEntries(max_entries=10, max_bytes=3_300)
    for key in "abc":
        local.put(key, entry(1_000))  # 1,100 bytes each: three fit exactly
    local.get("a")  # a is now the most recent
    local.put("d", entry(1_000))  # b, the least recent, makes room

    assert [key for key in "abcd" if local.get(key)] == ["a", "c", "d"]
    assert local.total == 3_300
    local.put("c", entry(2_000))  # replacing an entry counts its new size only
    assert local.total <= 3_300 and local.get("c")[1]["identity"] == b"x" * 2_000
    local.put("huge", entry(4_000))  # larger than the whole budget: not kept
    assert local.get("huge") is None
    assert _LocalEntries().max_bytes >= 8 * LOCAL_MAX_ENTRY_BYTES  # room for several large sitemaps
