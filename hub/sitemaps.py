"""The sitemap as an index of paginated child sitemaps, one series per content language.

`/sitemap.xml` lists the children (`/sitemap-<language>-<n>.xml`), each at most
`SITEMAP_URLS_PER_FILE` addresses (10,000 by default: under the protocol's 50,000, and at 1 KB an
address at most, under its 10 MB). Addresses come from the pages' stored URL paths, never from
the specific pages, so the index costs three queries and a child two, whatever the archive's
size. Both are served through the portal cache (compressed, ETag, 304) and carry the newest
publication they list as Last-Modified; publishing purges them with every portal page.
"""

import datetime
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import connection
from django.db.models import Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

XML_CONTENT_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def urls_per_file() -> int:
    return getattr(settings, "SITEMAP_URLS_PER_FILE", 10_000)


@dataclass(frozen=True)
class LanguageTree:
    """The site's home page in one content language, and where its pages are served."""

    language: str
    root_path: str
    root_url_path: str
    prefix: str  # the address of the home page in that language, e.g. "/" or "/hmn/"


def language_trees(site: Site) -> list[LanguageTree]:
    """The site's root page and its translations (one query)."""
    root = site.root_page
    roots = (
        Page.objects.filter(translation_key=root.translation_key)
        .select_related("locale")
        .order_by("locale__language_code")
        .only("path", "url_path", "locale__language_code")
    )
    trees = []
    for each in roots:
        language = each.locale.language_code
        with translation.override(language):
            prefix = reverse("wagtail_serve", args=("",))
        trees.append(LanguageTree(language, each.path, each.url_path, prefix))
    return trees


def _pages(tree: LanguageTree):
    """The tree's live public pages, not the stories of a drill (docs/exercise.md): one subquery."""
    from hub.exercise import exercise_page_ids

    return (
        Page.objects.live()
        .public()
        .filter(path__startswith=tree.root_path)
        .exclude(pk__in=exercise_page_ids())
        .order_by("path")
    )


def _child_lastmods(tree: LanguageTree) -> list:
    """The newest publication in each child sitemap of a tree, in order (one query)."""
    numbered = _pages(tree).annotate(number_in_tree=Window(RowNumber(), order_by="path"))
    inner, params = numbered.values("number_in_tree", "last_published_at").query.sql_with_params()
    quote = connection.ops.quote_name
    sql = (
        f"SELECT (numbered.{quote('number_in_tree')} - 1) / %s AS chunk, "
        f"MAX(numbered.{quote('last_published_at')}) FROM ({inner}) numbered GROUP BY chunk ORDER BY chunk"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [urls_per_file(), *params])
        return [_as_datetime(value) for _chunk, value in cursor.fetchall()]


def _as_datetime(value) -> datetime.datetime | None:
    """A datetime read by raw SQL: PostgreSQL gives it aware, SQLite as text in UTC."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(str(value))
    return timezone.make_aware(parsed, datetime.UTC) if timezone.is_naive(parsed) else parsed


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _response(body: str, newest) -> HttpResponse:
    response = HttpResponse(body, content_type=XML_CONTENT_TYPE)
    if newest is not None:
        response["Last-Modified"] = http_date(newest.timestamp())
    return response


def _site(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


@require_safe
def sitemap_index(request):
    """The index: every child sitemap of every content language, with its newest publication."""
    site = _site(request)
    entries, newest = [], None
    for tree in language_trees(site):
        for number, lastmod in enumerate(_child_lastmods(tree), start=1):
            location = request.build_absolute_uri(
                reverse("sitemap_child", kwargs={"language": tree.language, "number": number})
            )
            entry = f"<sitemap><loc>{escape(location)}</loc>"
            if lastmod is not None:
                entry += f"<lastmod>{_iso(lastmod)}</lastmod>"
                newest = lastmod if newest is None else max(newest, lastmod)
            entries.append(entry + "</sitemap>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n' + "\n".join(entries) + "\n</sitemapindex>\n"
    )
    return _response(body, newest)


@require_safe
def sitemap_child(request, language: str, number: int):
    """One child sitemap: a page of one language's live, public pages in tree order."""
    site = _site(request)
    tree = next((tree for tree in language_trees(site) if tree.language == language), None)
    size = urls_per_file()
    if tree is None or number < 1:
        raise Http404
    rows = list(
        _pages(tree).values_list("url_path", "last_published_at")[(number - 1) * size : number * size]
    )
    if not rows:
        raise Http404
    base = site.root_url.rstrip("/") + tree.prefix.rstrip("/")
    entries, newest = [], None
    for url_path, published in rows:
        location = base + url_path[len(tree.root_url_path) - 1 :]
        entry = f"<url><loc>{escape(location)}</loc>"
        if published is not None:
            entry += f"<lastmod>{_iso(published)}</lastmod>"
            newest = published if newest is None else max(newest, published)
        entries.append(entry + "</url>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{SITEMAP_NS}">\n' + "\n".join(entries) + "\n</urlset>\n"
    )
    return _response(body, newest)


def child_sitemap_urls(site: Site) -> list[str]:
    """The addresses of a site's child sitemaps (for purging a CDN): one count query a language."""
    urls = []
    for tree in language_trees(site):
        count = math.ceil(_pages(tree).count() / urls_per_file())
        urls += [
            reverse("sitemap_child", kwargs={"language": tree.language, "number": number})
            for number in range(1, count + 1)
        ]
    return urls
