"""Production settings plus the benchmarks' URLconf (a minimal JSON view). BENCH_MINIMAL_SKIPS_CACHE=1
(portal.py) keeps the portal page cache's look-up off that view; led.py and sms_feed.py measure it with it."""

import os

from hub.cache import BYPASS_PREFIXES
from hub.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
if os.environ.get("BENCH_MINIMAL_SKIPS_CACHE") == "1":
    PORTAL_CACHE_BYPASS_PREFIXES = (*BYPASS_PREFIXES, "/bench/")
