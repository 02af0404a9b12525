"""Feeds parse as RSS 2.0 / Atom 1.0; sitemap, robots.txt, search and the health check work."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from hub.selectors import KINDS, Cursor
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    VaccinationPageFactory,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stories(story_index):
    published = datetime.datetime(2021, 8, 20, 8, 0, tzinfo=datetime.UTC)
    made = [
        (GoodExamplePageFactory, "Gương tốt ở Điện Biên Đông"),
        (VaccinationPageFactory, "Lịch tiêm vắc-xin tháng 10"),
        (RebuttalPageFactory, "Sự thật về tin đồn nước chanh"),
        (DirectivePageFactory, "Chỉ thị về giãn cách xã hội"),
        (SituationPageFactory, "Tình hình dịch ngày 20/8"),
    ]
    return [
        factory(
            parent=story_index, title=title, first_published_at=published - datetime.timedelta(hours=hour)
        )
        for hour, (factory, title) in enumerate(made)
    ]


def _rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required) is not None and channel.find(required).text
    items = channel.findall("item")
    for item in items:
        assert item.find("title").text and item.find("link").text.startswith("http://testserver/")
        assert item.find("guid").text and item.find("pubDate").text
    return items


def _atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(ATOM + required) is not None and root.find(ATOM + required).text
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(ATOM + required).text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    return entries


def test_rss_feed_lists_every_live_story(client, stories):
    items = _rss_items(client.get(reverse("portal_feed_rss")))

    assert {item.find("title").text for item in items} == {story.title for story in stories}


def test_atom_feed_lists_every_live_story(client, stories):
    entries = _atom_entries(client.get(reverse("portal_feed_atom")))

    assert {entry.find(f"{ATOM}title").text for entry in entries} == {story.title for story in stories}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_per_kind_feeds_list_only_that_kind(client, stories, kind):
    expected = [story.title for story in stories if isinstance(story, KINDS[kind])]

    items = _rss_items(client.get(reverse("portal_feed_rss_kind", kwargs={"kind": kind})))
    entries = _atom_entries(client.get(reverse("portal_feed_atom_kind", kwargs={"kind": kind})))

    assert [item.find("title").text for item in items] == expected
    assert [entry.find(f"{ATOM}title").text for entry in entries] == expected


def test_feeds_leave_out_drafts_and_unknown_kinds_are_404(client, story_index, stories):
    draft = GoodExamplePageFactory(parent=story_index, title="Bản nháp chưa duyệt", live=False)

    items = _rss_items(client.get(reverse("portal_feed_rss")))

    assert draft.title not in {item.find("title").text for item in items}
    assert client.get("/feeds/tin-gia/rss/").status_code == 404


def test_sitemap_lists_live_pages(client, home, stories):
    index = ET.fromstring(client.get(reverse("sitemap")).content)
    children = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    locations = set()
    for child in children:
        response = client.get(child)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        locations |= {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert home.get_full_url() in locations
    assert {story.get_full_url() for story in stories} <= locations


def test_robots_txt_points_to_the_sitemap(client, home):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_search_finds_live_stories_only(client, story_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated on commit
        VaccinationPageFactory(parent=story_index, title="Lịch tiêm vắc-xin tháng 10")
        DirectivePageFactory(parent=story_index, title="Chỉ thị về giãn cách xã hội")
        GoodExamplePageFactory(parent=story_index, title="Bản nháp về giãn cách xã hội", live=False)

    response = client.get(reverse("portal_search"), {"q": "giãn cách"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ thị về giãn cách xã hội" in html
    assert "Bản nháp về giãn cách" not in html
    assert "Lịch tiêm vắc-xin tháng 10" not in html


def test_search_pages_newest_first_by_cursor_with_a_constant_number_of_queries(
    client, story_index, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stories = [
            SituationPageFactory(parent=story_index, title=f"Báo cáo phòng dịch số {number}")
            for number in range(16)
        ]
    base = timezone.now()
    for number, story in enumerate(stories[:15]):  # 11 and 12 share a time, across the page boundary
        hours = number if number < 12 else number - 1
        Page.objects.filter(pk=story.pk).update(first_published_at=base - datetime.timedelta(hours=hours))
    Page.objects.filter(pk=stories[15].pk).update(first_published_at=None)  # undated: last
    newest_first = [story.title for story in stories]
    newest_first[11:13] = [stories[12].title, stories[11].title]  # the same time: the higher id first

    def titles(response):
        return [story.title for story in response.context["stories"]]

    client.get(reverse("portal_search"), {"q": "khởi động"})  # warm: site settings row, content types
    # 12 on SQLite; PostgreSQL adds 3 to plan the search in one process (hub.selectors)
    with django_assert_max_num_queries(15):
        first = client.get(reverse("portal_search"), {"q": "phòng dịch"})
    older = first.context["results"].older
    with django_assert_max_num_queries(15):
        second = client.get(reverse("portal_search"), {"q": "phòng dịch", "older": str(older)})
    back = client.get(
        reverse("portal_search"), {"q": "phòng dịch", "newer": str(second.context["results"].newer)}
    )

    assert titles(first) == newest_first[:12] and first.context["results"].newer is None
    assert f"older={older}" in first.content.decode()
    assert titles(second) == newest_first[12:] and second.context["results"].older is None
    assert titles(back) == newest_first[:12] and back.context["results"].newer is None
    assert back.context["results"].older == older


def test_cursors_walk_both_ways_through_ties_and_undated_stories(
    story_index, django_capture_on_commit_callbacks
):
    from hub.selectors import search_stories

    with django_capture_on_commit_callbacks(execute=True):
        pages = [SituationPageFactory(parent=story_index, title=f"Phòng dịch {letter}") for letter in "ABCDE"]
    base = timezone.now()
    times = [base, base - datetime.timedelta(hours=1), base - datetime.timedelta(hours=1), None, None]
    for page, moment in zip(pages, times, strict=True):
        Page.objects.filter(pk=page.pk).update(first_published_at=moment)
    a, b, c, d, e = (page.pk for page in pages)
    root = story_index.get_parent()

    def walk(direction, start):
        seen, results = [], search_stories("phòng dịch", root=root, per_page=2, **start)
        while results.stories:
            seen.append([story.pk for story in results.stories])
            cursor = getattr(results, direction)
            if cursor is None:
                break
            results = search_stories("phòng dịch", root=root, per_page=2, **{direction: cursor})
        return seen

    forward = walk("older", {})
    assert forward == [[a, c], [b, e], [d]]
    last_page = search_stories(
        "phòng dịch", root=root, per_page=2, older=Cursor.parse(str(Cursor(times[1], b)))
    )
    assert [story.pk for story in last_page.stories] == [e, d]
    assert walk("newer", {"newer": Cursor.parse(f"n_{d}")}) == [[b, e], [a, c]]


def test_a_cursor_past_the_last_page_links_back_to_the_first(
    client, story_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = SituationPageFactory(parent=story_index, title="Báo cáo phòng dịch")

    response = client.get(reverse("portal_search"), {"q": "phòng dịch", "older": f"n_{story.pk}"})

    assert response.status_code == 200 and not response.context["stories"]
    assert 'href="?q=ph%C3%B2ng+d%E1%BB%8Bch"' in response.content.decode()


@pytest.mark.parametrize(
    "cursor", ["", "abc", "12_", "_5", "1e9_3", "٣_٣", "--5_3", "n_x", "9" * 20 + "_1", "-" + "9" * 20 + "_1"]
)
def test_search_reads_a_bad_cursor_as_the_first_page(
    client, story_index, cursor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = SituationPageFactory(parent=story_index, title="Báo cáo phòng dịch")

    response = client.get(reverse("portal_search"), {"q": "phòng dịch", "older": cursor, "newer": cursor})

    assert response.status_code == 200
    assert [found.pk for found in response.context["stories"]] == [story.pk]


def test_search_says_when_nothing_matches(client, story_index):
    response = client.get(reverse("portal_search"), {"q": "không có gì"})

    assert response.status_code == 200 and not response.context["stories"]
    assert 'role="status">' in response.content.decode() and "“không có gì”" in response.content.decode()


def test_empty_search_shows_the_form(client, home):
    response = client.get(reverse("portal_search"))

    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_healthz_reports_database_and_queue(client, db):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["ok"] is True and body["database"]["ok"] is True and body["queue"]["ok"] is True


def test_healthz_is_503_when_the_queue_fails(client, db, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def broken():
        raise OSError("queue storage unreachable")

    monkeypatch.setattr(HUEY, "pending_count", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["queue"] == {"ok": False, "error": "queue storage unreachable"}
    assert response.json()["database"]["ok"] is True
