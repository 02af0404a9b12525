"""Full-page cache for anonymous portal requests, purged on publish/unpublish.

Entries are keyed by a generation number kept in the shared cache: a purge bumps it, so
every process stops serving older entries (the purging process at once, the others within
`PORTAL_GENERATION_CHECK_SECONDS`, the time each trusts the generation it last read). Cookies are ignored in the key (tracker
cookies still hit); a request carrying the session cookie (an editor) always bypasses.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from hub.compression import encodings_of, negotiate
from hub.languages import language_from_path

GENERATION_KEY = "portal:generation"
CACHEABLE_VIEWS = frozenset(
    {
        "wagtail_serve",
        "portal_feed_rss",
        "portal_feed_atom",
        "portal_feed_json",
        "portal_feed_rss_kind",
        "portal_feed_atom_kind",
        "portal_feed_json_kind",
        "portal_feed_rss_region",
        "portal_feed_atom_region",
        "portal_feed_json_region",
        "portal_region",
        "portal_search",
        "sitemap",
        "sitemap_child",
        "robots_txt",
        "cap_index",
        "cap_alert",
    }
)
BYPASS_PREFIXES = ("/admin/", "/api/", "/healthz", "/documents/", "/images/", "/static/", "/media/")
SKIPPED_HEADERS = frozenset({"set-cookie", "x-cache"})
VALIDATORS = frozenset({"etag", "last-modified"})
NOT_MODIFIED_HEADERS = frozenset({"etag", "cache-control", "vary", "last-modified"})  # what a 304 repeats
LOCAL_MAX_ENTRIES = 256
# A process keeps at most this much of the shared cache in memory; a child sitemap of 10,000
# addresses is about 2 MB in its three codings, and fetching and unpickling it from Redis on every
# hit served it at a sixth of a static file's rate.
LOCAL_MAX_TOTAL_BYTES = 32 * 1024 * 1024
LOCAL_MAX_ENTRY_BYTES = 4 * 1024 * 1024


def _cache():
    return caches[getattr(settings, "PORTAL_CACHE_ALIAS", "default")]


# (generation, monotonic time until which this process trusts it without asking the cache)
_known_generation: tuple[int | None, float] = (None, 0.0)


def current_generation() -> int:
    """The generation in the shared cache; a missing one is replaced by a never-seen value.

    A hit on a cached page needs it, so each process remembers it for a second or so rather than
    reading the shared cache on every request."""
    global _known_generation
    generation, trusted_until = _known_generation
    now = time.monotonic()
    if generation is not None and now < trusted_until and settings.PORTAL_GENERATION_CHECK_SECONDS:
        return generation
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    _known_generation = (generation, now + settings.PORTAL_GENERATION_CHECK_SECONDS)
    return generation


def purge_portal_cache(**_signal_kwargs) -> int:
    """Invalidates every cached portal page in every process; returns the new generation."""
    global _known_generation
    cache = _cache()
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing: start a fresh, never-seen generation
        generation = time.time_ns()
        cache.set(GENERATION_KEY, generation, timeout=None)
    _known_generation = (None, 0.0)  # this process sees its own purge at once
    return generation


def cached_fragment(name: str, build):
    """A value built once per cache generation (so purged with the pages), e.g. the menu."""
    if not settings.PORTAL_CACHE_ENABLED:
        return build()
    cache = _cache()
    key = f"portal:fragment:{current_generation()}:{translation.get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PORTAL_CACHE_SECONDS)
    return value


class _LocalEntries:
    """A small per-process LRU of cache entries, bounded in entries and in bytes; keys carry the
    generation, so purges still apply."""

    def __init__(self, max_entries: int = LOCAL_MAX_ENTRIES, max_bytes: int = LOCAL_MAX_TOTAL_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict = OrderedDict()  # key -> (entry, its bytes)
        self.total = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            held = self.entries.get(key)
            if held is None:
                return None
            self.entries.move_to_end(key)
            return held[0]

    def put(self, key, entry) -> None:
        size = sum(len(body) for body in entry[1].values())
        if size > min(LOCAL_MAX_ENTRY_BYTES, self.max_bytes):
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.total -= previous[1]
            self.entries[key] = (entry, size)
            self.total += size
            while len(self.entries) > self.max_entries or self.total > self.max_bytes:
                _key, (_entry, dropped) = self.entries.popitem(last=False)
                self.total -= dropped


class PortalCacheMiddleware:
    """Serves anonymous GET/HEAD requests of the page tree, feeds and search from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.local = _LocalEntries()

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        key = self._key(request, current_generation())
        entry = self.local.get(key)
        if entry is None:
            entry = _cache().get(key)
            if entry is not None:
                self.local.put(key, entry)
        if entry is not None:
            return self._from_entry(request, entry)
        response = self.get_response(request)
        if not self._may_store(request, response):
            return response
        entry = _entry(response)
        _cache().set(key, entry, settings.PORTAL_CACHE_SECONDS)
        self.local.put(key, entry)
        return self._from_entry(request, entry, state="MISS")

    def _may_use_cache(self, request) -> bool:
        return (
            settings.PORTAL_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(
                getattr(settings, "PORTAL_CACHE_BYPASS_PREFIXES", BYPASS_PREFIXES)
            )
        )

    def _key(self, request, generation: int) -> str:
        # The language of the URL prefix, as hub.languages.ContentLanguageMiddleware sets it below.
        language = language_from_path(request.path_info)
        location = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{language}"
        return f"portal:page:{generation}:{hashlib.sha256(location.encode()).hexdigest()}"

    def _may_store(self, request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        cache_control = response.get("Cache-Control", "").lower()
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and match is not None
            and match.url_name in CACHEABLE_VIEWS
            and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        )

    @staticmethod
    def _from_entry(request, entry, *, state: str = "HIT") -> HttpResponse:
        status, bodies, headers = entry
        validators = {name.lower(): value for name, value in headers if name.lower() in VALIDATORS}
        if validators and status == 200:
            # A client that holds this version gets a 304 without the view or the database.
            etag = validators.get("etag")
            meta = request.META
            if (
                etag is not None
                and meta.get("HTTP_IF_NONE_MATCH") == etag
                and "HTTP_IF_MATCH" not in meta
                and "HTTP_IF_UNMODIFIED_SINCE" not in meta
            ):
                # What clients send back almost always: the one ETag they were given, as it was.
                not_modified = HttpResponseNotModified()
            else:
                modified = validators.get("last-modified")
                not_modified = get_conditional_response(
                    request,
                    etag=etag,
                    last_modified=parse_http_date_safe(modified) if modified else None,
                )
            if not_modified is not None:
                for name, value in headers:
                    if name.lower() in NOT_MODIFIED_HEADERS:
                        not_modified[name] = value
                not_modified["X-Cache"] = state
                return not_modified
        coding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""), bodies)
        response = HttpResponse(bodies[coding], status=status, headers=headers)
        if len(bodies) > 1:
            patch_vary_headers(response, ["Accept-Encoding"])
        if coding != "identity":
            response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(bodies[coding]))
        response["X-Cache"] = state
        return response


def _entry(response) -> tuple:
    """What the cache keeps of a response: status, the body in each coding, headers with validators.

    The body is compressed here, once, not on every hit. A CDN in front may keep the page for a
    short while and serve it stale while it asks again; purges reach it through the frontend cache.
    """
    content = response.content
    headers = [(name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS]
    present = {name.lower() for name, _value in headers}
    if "etag" not in present:
        headers.append(("ETag", f'"{hashlib.sha256(content).hexdigest()[:32]}"'))
    if "last-modified" not in present:
        headers.append(("Last-Modified", http_date()))
    if "cache-control" not in present:
        headers.append(
            (
                "Cache-Control",
                f"public, max-age={settings.PORTAL_CDN_MAX_AGE}, "
                f"stale-while-revalidate={settings.PORTAL_CDN_STALE_SECONDS}",
            )
        )
    return response.status_code, encodings_of(content, response.get("Content-Type", "")), headers


def connect_purge_signals() -> None:
    """Purges the portal cache whenever what anonymous visitors see may have changed."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from hub.models import CampaignSettings, Organisation

    page_published.connect(purge_portal_cache, dispatch_uid="portal_cache_published")
    page_unpublished.connect(purge_portal_cache, dispatch_uid="portal_cache_unpublished")
    post_page_move.connect(purge_portal_cache, dispatch_uid="portal_cache_moved")
    post_delete.connect(purge_portal_cache, sender=Page, dispatch_uid="portal_cache_page_deleted")
    post_save.connect(purge_portal_cache, sender=CampaignSettings, dispatch_uid="portal_cache_campaign")
    post_save.connect(purge_portal_cache, sender=Site, dispatch_uid="portal_cache_site_saved")
    post_delete.connect(purge_portal_cache, sender=Site, dispatch_uid="portal_cache_site_deleted")
    # The organisation is the publisher named in every story's structured data.
    post_save.connect(purge_portal_cache, sender=Organisation, dispatch_uid="portal_cache_organisation")
