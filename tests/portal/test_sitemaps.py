"""The sitemap index and its paginated children: every live page once, bounded sizes, a fixed
number of queries whatever the archive's size, cached with validators and purged on publish."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from hub.models import SitemapChild
from hub.sitemaps import child_number
from tests.factories import GoodExamplePageFactory, SituationPageFactory, StoryIndexPageFactory
from tests.portal.sitemap_reader import NS, sitemap_children, sitemap_locations, sitemap_xml

pytestmark = pytest.mark.django_db
PUBLISHED = datetime.datetime(2021, 8, 20, 1, 30, tzinfo=datetime.UTC)


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

    children = sitemap_children(client)
    locations = sitemap_locations(client)

    numbers = [int(child.removeprefix("/sitemap-vi-").removesuffix(".xml")) for child in children]
    assert numbers == sorted(numbers) and len(numbers) >= 3  # 25 addresses, 10 at most a child
    assert len(locations) == len(set(locations)) == 25  # home, the section, 23 stories
    assert {
        "http://testserver/",
        "http://testserver/tin-tuc/",
        "http://testserver/tin-tuc/tinh-hinh-22/",
    } <= set(locations)
    assert "http://testserver/tin-tuc/ban-nhap/" not in locations
    for child in children:
        _response, urlset = sitemap_xml(client, child)
        assert len(urlset.xpath("s:url", namespaces=NS)) <= 10
    assert client.get(f"/sitemap-vi-{numbers[-1] + 1}.xml").status_code == 404
    assert client.get("/sitemap-vi-0.xml").status_code == 404
    assert client.get("/sitemap-en-1.xml").status_code == 404


def test_a_child_lists_its_range_of_ids_so_a_new_story_changes_one_child(
    client, home, story_index, settings, django_capture_on_commit_callbacks
):
    settings.SITEMAP_URLS_PER_FILE = 10
    later = StoryIndexPageFactory(parent=home, title="Chỉ đạo", slug="chi-dao")  # after "tin-tuc" in the tree
    _add(story_index, 5)
    _add(later, 23, start=5)
    before = {child: client.get(child).content for child in sitemap_children(client)}

    # A new story of the first section: in tree order it comes before the second section's 23.
    story = GoodExamplePageFactory(parent=story_index, title="Tin mới", slug="tin-moi", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    after = {child: client.get(child).content for child in sitemap_children(client)}
    newest = f"/sitemap-vi-{child_number(story.pk)}.xml"
    assert b"http://testserver/tin-tuc/tin-moi/" in after[newest]
    assert {child for child in after if after[child] != before.get(child)} == {newest}


def test_the_kept_counts_follow_unpublishing_restricting_moving_and_deleting(
    client, home, story_index, settings, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    settings.SITEMAP_URLS_PER_FILE = 10
    _add(story_index, 12)
    stories = list(story_index.get_children().order_by("pk"))
    assert len(sitemap_locations(client)) == 14  # counted: the kept counts now exist
    assert SitemapChild.objects.filter(number=0).count() == 1

    def after_commit(change):
        with django_capture_on_commit_callbacks(execute=True):  # the marks are made once committed
            change()
        return sitemap_locations(client)

    assert len(after_commit(stories[0].specific.unpublish)) == 13
    restriction = {"page": stories[1], "restriction_type": PageViewRestriction.LOGIN}
    assert len(after_commit(lambda: PageViewRestriction.objects.create(**restriction))) == 12
    assert len(after_commit(lambda: PageViewRestriction.objects.filter(page=stories[1]).delete())) == 13
    locations = after_commit(stories[2].delete)
    assert len(locations) == 12 and "http://testserver/tin-tuc/tinh-hinh-2/" not in locations
    assert "http://testserver/tinh-hinh-3/" in after_commit(lambda: stories[3].move(home, pos="last-child"))

    kept = sum(SitemapChild.objects.exclude(number=0).values_list("pages", flat=True))
    assert kept == 12  # what the index says is what the children list


def test_a_count_made_with_another_child_size_is_not_used(client, home, story_index, settings):
    settings.SITEMAP_URLS_PER_FILE = 10
    _add(story_index, 23)
    assert len(sitemap_children(client)) >= 3
    settings.SITEMAP_URLS_PER_FILE = 1000

    assert len(sitemap_children(client)) <= 2  # the 25 pages' ids span two children of 1,000 at most
    assert len(sitemap_locations(client)) == 25


def test_bulk_generated_stories_are_counted_again(client, home, story_index):
    from hub.demo.bulk import generate

    _add(story_index, 2)
    assert len(sitemap_locations(client)) == 4
    generate(sections=[story_index], count=30, batch=10)

    assert len(sitemap_locations(client)) == 34


def test_lastmod_is_the_newest_publication_in_vietnam_time_and_last_modified_follows(client, story_index):
    _add(story_index, 3)

    response, index = sitemap_xml(client, "/sitemap.xml")
    child_response, urlset = sitemap_xml(client, sitemap_children(client)[0])

    newest = "2021-08-20T08:32:00+07:00"  # the third story: 01:30 UTC + 2 minutes
    assert index.xpath("s:sitemap/s:lastmod/text()", namespaces=NS) == [newest]
    assert newest in urlset.xpath("s:url/s:lastmod/text()", namespaces=NS)
    assert response["Last-Modified"] == child_response["Last-Modified"] == "Fri, 20 Aug 2021 01:32:00 GMT"


def test_default_child_size_keeps_within_the_protocol_limits(settings):
    from hub.sitemaps import urls_per_file

    assert urls_per_file() <= 50_000
    assert urls_per_file() * 1024 <= 10 * 1024 * 1024  # 1 KB an address at most stays under 10 MB


@pytest.mark.parametrize("which", ["index", "child"])
def test_query_count_does_not_depend_on_the_archive_size(
    client, story_index, settings, django_assert_max_num_queries, which
):
    settings.SITEMAP_URLS_PER_FILE = 20
    _add(story_index, 5)
    path = "/sitemap.xml" if which == "index" else sitemap_children(client)[0]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    count()  # warm the site root paths, count the tree
    small = count()
    _add(story_index, 120, start=5)  # 7 children instead of 1
    client.get(path)  # the index recounts the changed children once
    with django_assert_max_num_queries(small):
        client.get(path)

    assert small <= 4


def test_after_a_change_the_index_recounts_only_the_changed_child(
    client, story_index, settings, django_capture_on_commit_callbacks
):
    settings.SITEMAP_URLS_PER_FILE = 20
    _add(story_index, 125)
    client.get("/sitemap.xml")  # counted

    story = GoodExamplePageFactory(parent=story_index, title="Tin mới", slug="tin-moi", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200

    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1  # one count, of the new story's child: at most 20 pages
    first, last = (story.pk - 1) // 20 * 20, (story.pk - 1) // 20 * 20 + 20
    assert f"> {first}" in counts[0] and f"<= {last}" in counts[0]
    assert len(queries) <= 8


def test_index_and_children_are_cached_compressed_answer_304_and_are_purged_by_publishing(
    client, story_index, portal_cache
):
    _add(story_index, 3)
    for url in ("/sitemap.xml", f"/sitemap-vi-{child_number(story_index.pk)}.xml"):
        assert client.get(url)["X-Cache"] == "MISS"
        hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert hit["X-Cache"] == "HIT" and hit["Content-Encoding"] in ("br", "gzip")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
            assert client.get(url, HTTP_IF_MODIFIED_SINCE=hit["Last-Modified"]).status_code == 304
        assert len(queries) == 0

    story = GoodExamplePageFactory(parent=story_index, title="Tin mới", slug="tin-moi", live=False)
    story.save_revision().publish()

    after = client.get(f"/sitemap-vi-{child_number(story.pk)}.xml")
    assert after["X-Cache"] == "MISS"
    assert b"http://testserver/tin-tuc/tin-moi/" in after.content


def test_robots_txt_names_the_index(client, home):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_a_page_published_while_the_tree_is_counted_is_not_lost(
    client, home, story_index, monkeypatch, django_capture_on_commit_callbacks
):
    from hub import sitemaps

    _add(story_index, 3)
    count = sitemaps._count

    def count_then_publish(tree, numbers=None):
        counted = count(tree, numbers)
        if numbers is None:  # the whole tree: another editor's story is committed right after it was read
            with django_capture_on_commit_callbacks(execute=True):
                SituationPageFactory(
                    parent=story_index,
                    title="Tin giữa chừng",
                    slug="tin-giua-chung",
                    last_published_at=PUBLISHED + datetime.timedelta(days=1),
                )
        return counted

    monkeypatch.setattr(sitemaps, "_count", count_then_publish)
    first = sitemap_children(client)  # counted before the story was published
    _response, index = sitemap_xml(client, "/sitemap.xml")

    assert first and first == sitemap_children(client)  # its child is listed all along
    story = Page.objects.get(slug="tin-giua-chung")
    child = SitemapChild.objects.get(number=child_number(story.pk))
    assert child.counted_version == child.version  # recounted by the second index
    assert "2021-08-21T08:30:00+07:00" in index.xpath("s:sitemap/s:lastmod/text()", namespaces=NS)


def test_a_draft_saved_marks_nothing_and_a_child_number_out_of_range_is_not_found(
    client, story_index, django_capture_on_commit_callbacks
):
    _add(story_index, 3)
    story = story_index.get_children().first().specific
    client.get("/sitemap.xml")  # counted

    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Bản nháp mới"
        story.save_revision()  # a draft: the live page is not touched

    assert not SitemapChild.objects.exclude(version=F("counted_version")).exists()
    assert client.get("/sitemap-vi-99999999999999999999.xml").status_code == 404
