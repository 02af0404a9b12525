"""Content-Security-Policy on portal, admin and API responses."""

import base64
import hashlib
import os
import re

import pytest
from wagtail.models import Site

from hub.cache import purge_portal_cache
from hub.models import CampaignSettings
from tests.factories import GoodExamplePageFactory, RebuttalPageFactory


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_portal_pages_get_a_strict_policy_without_inline_script(client, story_index):
    policy = directives(client.get(story_index.url))

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


@pytest.fixture
def portal_cache(settings, home):
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": f"csp-t{os.getpid()}"}}
    settings.PORTAL_CACHE_ENABLED = True
    Site.clear_site_root_paths_cache()
    CampaignSettings.for_site(Site.objects.get())  # made on first use; saving it purges
    purge_portal_cache()


def test_json_ld_is_allowed_by_its_hash_also_from_the_page_cache(client, story_index, portal_cache):
    page = RebuttalPageFactory(parent=story_index, claim="Xông hơi bằng sả </script> diệt được vi-rút.")

    miss = client.get(page.url)
    hit = client.get(page.url)

    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', miss.content.decode(), re.S)
    assert len(scripts) == 2  # NewsArticle and ClaimReview
    digests = [base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() for script in scripts]
    for response in (miss, hit):
        assert directives(response)["script-src"] == ["'self'", *(f"'sha256-{digest}'" for digest in digests)]
        assert "X-Csp-Script-Hashes" not in response


def test_admin_gets_the_policy_wagtail_works_under(admin_client):
    policy = directives(admin_client.get("/admin/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in str(policy)


@pytest.mark.parametrize("path", ["/api/sms/v1/messages", "/api/led/v1/screens/x/playlist.json", "/api/x"])
def test_api_answers_forbid_everything(client, db, path):
    policy = directives(client.get(path))

    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_preview_shown_in_the_admin_gets_the_admin_policy(admin_client, story_index):
    page = GoodExamplePageFactory(parent=story_index)

    response = page.make_preview_request(preview_mode="")

    assert "'unsafe-inline'" in directives(response)["style-src"]
