"""Production settings plus the benchmarks' URLconf (a minimal JSON view). The portal page cache
never looks up /bench/, so the baseline is the smallest Django view in every benchmark."""

from hub.cache import BYPASS_PREFIXES
from hub.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
PORTAL_CACHE_BYPASS_PREFIXES = (*BYPASS_PREFIXES, "/bench/")
