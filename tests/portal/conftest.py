"""Portal fixtures: the page cache switched on, on a key prefix of this process, from a fresh generation."""

import os

import pytest
from wagtail.models import Site

from hub.cache import purge_portal_cache
from hub.models import CampaignSettings


@pytest.fixture
def portal_cache(settings, home):
    # The configured backend (files or Redis) under a prefix of this process: other test runs on
    # the same machine purge their own generation (and Wagtail's site paths), not ours.
    default = settings.CACHES["default"]
    prefix = f"{default.get('KEY_PREFIX', '')}-t{os.getpid()}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    settings.PORTAL_CACHE_ENABLED = True
    Site.clear_site_root_paths_cache()  # this prefix may hold the paths of an earlier test's site
    CampaignSettings.for_site(Site.objects.get())  # made on first use; saving it purges
    purge_portal_cache()
