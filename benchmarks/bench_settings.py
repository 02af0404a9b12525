"""Production settings plus the benchmark's URLconf (a minimal JSON view), for benchmarks/portal.py."""

from hub.cache import BYPASS_PREFIXES
from hub.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
PORTAL_CACHE_BYPASS_PREFIXES = (*BYPASS_PREFIXES, "/_bench/")
