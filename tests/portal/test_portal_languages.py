"""The portal in every content language: switcher, hreflang, per-language URLs, feeds, search,
sitemap, the notice on untranslated stories, and the page cache keyed by language."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from tests.factories import GoodExamplePageFactory, StoryIndexPageFactory
from tests.portal.sitemap_reader import sitemap_locations

pytestmark = pytest.mark.django_db

HMONG_TITLE = "Sample Hmong title: Kuv txhaj tshuaj"


@pytest.fixture
def story(story_index):
    story = GoodExamplePageFactory(parent=story_index, slug="guong-sang", title="Gương sáng bản Mường Phăng")
    story.save_revision().publish()
    return story


@pytest.fixture
def translated(story, locales, django_capture_on_commit_callbacks):
    translation = story.copy_for_translation(locales["hmn"]).specific
    translation.title = HMONG_TITLE
    translation.sample_translation = True
    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated on commit
        translation.save_revision().publish()
    return translation


def test_per_language_urls_and_the_switcher(client, story, translated):
    assert story.url == "/tin-tuc/guong-sang/"
    assert translated.url == "/hmn/tin-tuc/guong-sang/"

    response = client.get(translated.url)

    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hmn">' in text
    assert HMONG_TITLE in text
    assert 'class="language-switcher"' in text
    for href in (
        'href="/tin-tuc/guong-sang/"',
        'href="/hmn/tin-tuc/guong-sang/"',
        'href="/blt/tin-tuc/guong-sang/"',
    ):
        assert href in text
    assert "not been translated" not in text and "chưa được dịch" not in text


def test_hreflang_alternates_name_only_the_translations(client, story, translated):
    text = client.get(story.url).content.decode()

    assert '<link rel="alternate" hreflang="vi" href="http://testserver/tin-tuc/guong-sang/">' in text
    assert '<link rel="alternate" hreflang="hmn" href="http://testserver/hmn/tin-tuc/guong-sang/">' in text
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/tin-tuc/guong-sang/">' in text
    assert 'hreflang="blt" href="http' not in text  # no Thái translation: not announced


def test_a_story_without_translation_shows_the_vietnamese_text_with_a_notice(client, story, locales):
    response = client.get("/blt/tin-tuc/guong-sang/")

    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="blt">' in text
    assert "Gương sáng bản Mường Phăng" in text
    assert 'class="notice notice--language"' in text
    assert "Tay Đăm" in text
    assert client.get("/blt/tin-tuc/khong-co/").status_code == 404


def test_a_sample_translation_says_so(client, translated):
    text = client.get(translated.url).content.decode()

    assert 'class="notice notice--sample"' in text


def test_feeds_and_search_are_per_language(client, story, translated):
    vi_feed = client.get("/feeds/rss/").content.decode()
    hmn_feed = client.get("/hmn/feeds/rss/").content.decode()

    assert "<language>vi</language>" in vi_feed and "<language>hmn</language>" in hmn_feed
    assert story.title in vi_feed and HMONG_TITLE not in vi_feed
    assert HMONG_TITLE in hmn_feed and story.title not in hmn_feed
    assert "http://testserver/hmn/tin-tuc/guong-sang/" in hmn_feed

    found = client.get("/hmn/tim-kiem/", {"q": "txhaj"}).content.decode()
    assert HMONG_TITLE in found
    assert HMONG_TITLE not in client.get("/tim-kiem/", {"q": "txhaj"}).content.decode()


def test_the_sitemap_lists_each_translation(client, story, translated):
    locations = sitemap_locations(client)  # every child sitemap the index lists

    assert "http://testserver/tin-tuc/guong-sang/" in locations
    assert "http://testserver/hmn/tin-tuc/guong-sang/" in locations
    assert "http://testserver/hmn/" in locations


def test_a_change_to_a_page_marks_its_own_language_only(
    client, story, translated, django_capture_on_commit_callbacks
):
    from hub.models import SitemapChild
    from hub.sitemaps import child_number

    sitemap_locations(client)  # both languages counted
    story.title = "Gương sáng bản Mường Phăng (sửa)"
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    changed = SitemapChild.objects.exclude(number=0).exclude(version=models.F("counted_version"))
    assert [(child.root_id, child.number) for child in changed] == [
        (story.get_parent().get_parent().pk, child_number(story.pk))
    ]
    assert "http://testserver/hmn/tin-tuc/guong-sang/" in sitemap_locations(client)


def test_the_page_cache_keeps_each_language_apart(client, story, translated, portal_cache):
    vi_first, hmn_first = client.get(story.url), client.get(translated.url)
    vi_second, hmn_second = client.get(story.url), client.get(translated.url)

    assert (vi_first["X-Cache"], hmn_first["X-Cache"]) == ("MISS", "MISS")
    assert (vi_second["X-Cache"], hmn_second["X-Cache"]) == ("HIT", "HIT")
    assert HMONG_TITLE in hmn_second.content.decode() and HMONG_TITLE not in vi_second.content.decode()
    assert vi_second["Content-Language"] == "vi" and hmn_second["Content-Language"] == "hmn"
    # The menu fragment is cached per language too: each language's section links stay its own.
    assert 'href="/hmn/tin-tuc/"' in hmn_second.content.decode()
    assert 'href="/hmn/tin-tuc/"' not in vi_second.content.decode()


def test_the_browser_language_never_changes_the_cached_page(client, story, portal_cache):
    client.get(story.url, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(story.url, HTTP_ACCEPT_LANGUAGE="hmn")

    assert response["X-Cache"] == "HIT"
    assert response["Content-Language"] == "vi"


def _queries(client, url, counter=[0]) -> int:  # noqa: B006 - a counter across calls
    counter[0] += 1
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?n={counter[0]}")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
def test_list_page_queries_stay_flat_from_one_to_four_languages(client, home, story_index, portal_cache):
    from hub.translations import ensure_locales, sync_site_structure

    sections = [story_index, *(StoryIndexPageFactory(parent=home, title=f"Mục {n}") for n in range(2))]
    stories = []
    for number in range(12):
        story = GoodExamplePageFactory(parent=sections[number % 3], title=f"Tin {number}")
        story.save_revision().publish()
        stories.append(story)
    urls = {"home": home.url, "index": story_index.url}
    for url in urls.values():
        _queries(client, url)  # warm content types, site root paths
    one = {name: _queries(client, url) for name, url in urls.items()}

    locales = ensure_locales()
    sync_site_structure(home)
    for code in ("blt", "hmn", "en"):
        for story in stories:
            translation = story.copy_for_translation(locales[code])
            translation.save_revision().publish()
    for url in urls.values():
        _queries(client, url)  # the site root paths now include every language's home
        _queries(client, f"/hmn{url}")  # and the H'Mông menu fragment
    four = {name: _queries(client, url) for name, url in urls.items()}
    hmn = {name: _queries(client, f"/hmn{url}") for name, url in urls.items()}

    assert four == one
    # Another language costs a fixed few queries more (its locale, its home, the section alias).
    assert {name: hmn[name] - one[name] for name in one} == {"home": 2, "index": 3}
