"""A CDN in front of the portal hears of every change: the story, its section, home, feeds, sitemap."""

import http.server
import threading

import pytest

from hub.models import RegionLevel
from hub.sitemaps import child_number
from tests.factories import GoodExamplePageFactory, RegionFactory


class PurgeLog(http.server.BaseHTTPRequestHandler):
    purged: list

    def do_PURGE(self):
        self.purged.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purger():
    purged = []
    handler = type("Handler", (PurgeLog,), {"purged": purged})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, purged
    server.shutdown()
    server.server_close()


def test_publishing_a_story_purges_it_and_every_page_that_lists_it(
    story_index, settings, purger, django_capture_on_commit_callbacks
):
    server, purged = purger
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    district = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    page = GoodExamplePageFactory(parent=story_index, slug="guong-sang")
    page.regions.set([district])

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    paths = {path for _host, path in purged}
    assert {
        "/",
        "/tin-tuc/",
        "/tin-tuc/guong-sang/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/sitemap.xml",
        f"/sitemap-vi-{child_number(page.pk)}.xml",  # the child that lists the story
        "/cap/",
    } <= paths
    assert {"/feeds/good_example/rss/", "/feeds/good_example/atom/", "/feeds/good_example/json/"} <= paths
    assert {"/khu-vuc/094/", "/khu-vuc/11/", "/feeds/khu-vuc/094/atom/", "/feeds/khu-vuc/11/json/"} <= paths
    assert {host for host, _path in purged} == {"testserver"}


def test_nothing_is_sent_when_no_cdn_is_configured(
    story_index, settings, purger, django_capture_on_commit_callbacks
):
    _server, purged = purger
    settings.WAGTAILFRONTENDCACHE = {}

    with django_capture_on_commit_callbacks(execute=True):
        GoodExamplePageFactory(parent=story_index).save_revision().publish()

    assert purged == []
