"""Portal views outside the page tree: search, robots.txt and the health check."""

import sqlite3

from django.core.paginator import Paginator
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from huey.exceptions import HueyException
from redis.exceptions import RedisError
from wagtail.models import Site

from hub.models.pages import STORIES_PER_PAGE
from hub.selectors import Cursor, search_stories, stories_for_region

SEARCH_QUERY_MAX = 200


@require_safe
def search(request):
    """Wagtail search over live stories, newest first, a page at a time (keyset pagination through
    `older`/`newer` cursors); a fixed number of queries per page."""
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_QUERY_MAX]
    older, newer = Cursor.parse(request.GET.get("older")), Cursor.parse(request.GET.get("newer"))
    results = None
    if query:
        site = Site.find_for_request(request)
        results = search_stories(query, root=site.root_page if site else None, older=older, newer=newer)
    context = {
        "search_page": True,
        "search_query": query,
        "results": results,
        "stories": results.stories if results else None,
        "paging": bool(older or newer),  # past the last page: a link back to the first
        "query_param": urlencode({"q": query}) if query else "",
    }
    return render(request, "hub/search.html", context)


@require_safe
def region(request, code: str):
    """The stories that concern people in one of the organisation's regions, newest first."""
    from hub.tenancy import organisation_for_request, regions_of

    place = get_object_or_404(regions_of(organisation_for_request(request)), code=code)
    site = Site.find_for_request(request)
    stories = Paginator(stories_for_region(place, root=site.root_page if site else None), STORIES_PER_PAGE)
    context = {"region": place, "stories": stories.get_page(request.GET.get("page"))}
    return render(request, "hub/region.html", context)


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(
        request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain; charset=utf-8"
    )


@never_cache
def healthz(request):
    """Database and queue health as JSON: 200 when both answer, 503 otherwise."""
    checks = {"database": _check_database(), "queue": _check_queue()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except DatabaseError as error:
        return {"ok": False, "error": str(error)}


def _check_queue() -> dict:
    from huey.contrib.djhuey import HUEY

    try:
        return {"ok": True, "backend": type(HUEY.storage).__name__, "pending": HUEY.pending_count()}
    except (HueyException, OSError, sqlite3.Error, RedisError) as error:
        return {"ok": False, "error": str(error)}
