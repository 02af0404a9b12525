"""The sitemap as an index of paginated child sitemaps, one series per content language.

`/sitemap.xml` lists the children (`/sitemap-<language>-<n>.xml`). Child n of a language lists
that language's live, public pages whose id is between (n-1)·size+1 and n·size, size being
`SITEMAP_URLS_PER_FILE` (10,000 by default: under the protocol's 50,000, and at 1 KB an address at
most, under its 10 MB). So a child never holds more than `size` addresses, and a change to a page
changes one child only.

The index does not count the archive: `SitemapChild` keeps, for each child, how many pages it
lists and its newest publication. Saving (what the sitemap reads: live, publication time, place
in the tree), deleting, moving or restricting a page marks its child changed once the change is
committed (two statements); the next index recounts only the changed children, at most `size`
pages each. The index then costs three queries whatever the archive's size, and a child two (its ids
are a range of the primary key). Addresses come from the pages' stored URL paths, never from the
specific pages. Both are served through the portal cache (compressed, ETag, 304) and carry the
newest publication they list as Last-Modified; publishing purges them with every portal page.
"""

import datetime
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Max, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from hub.models import SitemapChild

XML_CONTENT_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_PAGE_ID = 2**31 - 1  # Wagtail's page ids are 32-bit: a child beyond that lists nothing


def urls_per_file() -> int:
    return getattr(settings, "SITEMAP_URLS_PER_FILE", 10_000)


@dataclass(frozen=True)
class LanguageTree:
    """The site's home page in one content language, and where its pages are served."""

    language: str
    root_id: int
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
        trees.append(LanguageTree(language, each.pk, each.path, each.url_path, prefix))
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


def child_number(pk: int) -> int:
    """The child sitemap that lists a page: by id, so that a change to a page touches one child."""
    return (pk - 1) // urls_per_file() + 1


def _in_child(number: int) -> Q:
    """The pages child `number` lists: a range of ids."""
    size = urls_per_file()
    return Q(pk__gt=(number - 1) * size, pk__lte=number * size)


def _kept(tree: LanguageTree) -> dict[int, SitemapChild]:
    """The kept counts of a tree, by child number (0: its marker)."""
    return {child.number: child for child in SitemapChild.objects.filter(root_id=tree.root_id)}


def _count(tree: LanguageTree, numbers=None) -> dict[int, tuple[int, datetime.datetime | None]]:
    """Pages and newest publication of a tree's children, all or only `numbers` (one query, or
    two when the site has view restrictions): the whole tree only the first time."""
    size = urls_per_file()
    pages = _pages(tree).order_by()
    if numbers is not None:
        ranges = Q()
        for number in numbers:
            ranges |= _in_child(number)
        pages = pages.filter(ranges)
    rows = (
        pages.annotate(number=ExpressionWrapper((F("pk") - 1) / size + 1, output_field=IntegerField()))
        .values("number")
        .annotate(pages=Count("pk"), lastmod=Max("last_published_at"))
        .values_list("number", "pages", "lastmod")
    )
    return {number: (count, lastmod) for number, count, lastmod in rows}


def _count_tree(tree: LanguageTree) -> dict[int, SitemapChild]:
    """Counts a tree whole, the first time its index is asked for (or after `forget_counts`)."""
    size = urls_per_file()
    SitemapChild.objects.filter(root_id=tree.root_id).exclude(size=size).delete()  # counts of another size
    # The marker first, on its own: from now on a change to one of the tree's pages marks its
    # child (after its commit), so a change the count below does not see is recounted later.
    SitemapChild.objects.get_or_create(root_id=tree.root_id, number=0, defaults={"size": size})
    with transaction.atomic():
        # One count at a time for a tree (the marker's row lock): a slower, older count never
        # lands after a newer one, and a count cut short leaves the tree to be counted again.
        marker = SitemapChild.objects.select_for_update().get(root_id=tree.root_id, number=0)
        if marker.counted_version == marker.version:  # counted meanwhile by another request
            return _kept(tree)
        counted = _count(tree)
        SitemapChild.objects.bulk_create(
            [
                SitemapChild(
                    root_id=tree.root_id,
                    number=number,
                    size=size,
                    pages=pages,
                    lastmod=lastmod,
                    counted_version=1,
                )
                for number, (pages, lastmod) in counted.items()
            ],
            # A child marked meanwhile takes these counts but stays marked: it is recounted next time.
            update_conflicts=True,
            unique_fields=["root", "number"],
            update_fields=["pages", "lastmod"],
        )
        SitemapChild.objects.filter(root_id=tree.root_id).exclude(number=0).exclude(
            number__in=list(counted)
        ).update(pages=0, lastmod=None)  # children kept from before that have no page now
        SitemapChild.objects.filter(pk=marker.pk).update(counted_version=marker.version)
    return _kept(tree)


def _recount(tree: LanguageTree, children: dict[int, SitemapChild]) -> None:
    """Recounts the children changed since they were counted (at most `size` pages each)."""
    stale = [child for child in children.values() if child.number and child.version != child.counted_version]
    if not stale:
        return
    counted = _count(tree, [child.number for child in stale])
    for child in stale:
        pages, lastmod = counted.get(child.number, (0, None))
        # The version read before counting: a change made meanwhile leaves the child stale.
        SitemapChild.objects.filter(pk=child.pk).update(
            pages=pages, lastmod=lastmod, counted_version=child.version
        )
        child.pages, child.lastmod, child.counted_version = pages, lastmod, child.version


def _children(trees: list[LanguageTree]) -> dict[int, list[SitemapChild]]:
    """Each tree's non-empty children in order, from the kept counts (one query when nothing
    changed since the last time)."""
    size = urls_per_file()
    kept: dict[int, dict[int, SitemapChild]] = {tree.root_id: {} for tree in trees}
    for child in SitemapChild.objects.filter(root_id__in=kept):
        kept[child.root_id][child.number] = child
    listed = {}
    for tree in trees:
        children = kept[tree.root_id]
        marker = children.get(0)
        if marker is None or marker.size != size or marker.counted_version != marker.version:
            children = _count_tree(tree)
        else:
            _recount(tree, children)
        listed[tree.root_id] = sorted(
            (child for child in children.values() if child.number and child.pages),
            key=lambda child: child.number,
        )
    return listed


def pages_changed(pages) -> None:
    """Marks the children listing these pages, given as (id, path of a page in the same tree),
    as changed in the counted tree each is in (two statements). Called once the change is
    committed: a count that did not see it finds its child marked."""
    pages = [(pk, path) for pk, path in pages if pk and path]
    if not pages:
        return
    size = urls_per_file()
    roots = SitemapChild.objects.filter(number=0, size=size).values_list("root_id", "root__path")
    marks = sorted(
        {
            (root_id, child_number(pk))
            for root_id, root_path in roots
            for pk, path in pages
            if path.startswith(root_path)
        }
    )
    if not marks:
        return
    table = connection.ops.quote_name(SitemapChild._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, 0, 1, 0)"] * len(marks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (root_id, number, size, pages, version, counted_version) VALUES {rows} "
            f"ON CONFLICT (root_id, number) DO UPDATE SET version = {table}.version + 1",
            [value for root_id, number in marks for value in (root_id, number, size)],
        )


def forget_counts() -> None:
    """Drops every kept count: each tree is counted whole the next time (after bulk loads)."""
    SitemapChild.objects.all().delete()


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
    trees = language_trees(site)
    children = _children(trees)
    entries, newest = [], None
    for tree in trees:
        for child in children[tree.root_id]:
            location = request.build_absolute_uri(
                reverse("sitemap_child", kwargs={"language": tree.language, "number": child.number})
            )
            entry = f"<sitemap><loc>{escape(location)}</loc>"
            if child.lastmod is not None:
                entry += f"<lastmod>{_iso(child.lastmod)}</lastmod>"
                newest = child.lastmod if newest is None else max(newest, child.lastmod)
            entries.append(entry + "</sitemap>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n' + "\n".join(entries) + "\n</sitemapindex>\n"
    )
    return _response(body, newest)


@require_safe
def sitemap_child(request, language: str, number: int):
    """One child sitemap: one language's live, public pages in its range of ids, in tree order."""
    site = _site(request)
    tree = next((tree for tree in language_trees(site) if tree.language == language), None)
    size = urls_per_file()
    if tree is None or not 1 <= number <= MAX_PAGE_ID // size + 1:
        raise Http404
    rows = list(_pages(tree).filter(_in_child(number)).values_list("url_path", "last_published_at"))
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


def sitemap_urls(page) -> list[str]:
    """The sitemap addresses that list a page (for purging a CDN): the index and the page's child
    in its language, even when the change left that child empty. The counts are not read."""
    from hub.translations import page_language

    child = {"language": page_language(page), "number": child_number(page.pk)}
    return [reverse("sitemap"), reverse("sitemap_child", kwargs=child)]


# What a page's place in the sitemap depends on: a save that writes none of these changes nothing.
SITEMAP_FIELDS = frozenset({"live", "last_published_at", "path"})


def _changed_after_commit(pages) -> None:
    pages = list(pages)
    transaction.on_commit(lambda: pages_changed(pages))


def _page_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A page saved (all of it, or a field the sitemap reads) or deleted."""
    if isinstance(instance, Page) and (update_fields is None or SITEMAP_FIELDS & set(update_fields)):
        _changed_after_commit([(instance.pk, instance.path)])


def _subtree(page, tree_path: str) -> list[tuple[int, str]]:
    """Every page below `page` (inclusive), each given with `tree_path`: a path in the tree the
    pages are counted in (the subtree's own, or the one it left)."""
    return [
        (pk, tree_path) for pk in Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    ]


def _page_moved(sender, instance, parent_page_before=None, **kwargs) -> None:
    moved = _subtree(instance, instance.path)
    before = [(pk, parent_page_before.path) for pk, _path in moved] if parent_page_before else []
    _changed_after_commit(moved + before)  # the tree it left, and the tree it joined


def _restriction_changed(sender, instance, **kwargs) -> None:
    _changed_after_commit(_subtree(instance.page, instance.page.path))


def _publication_saved(sender, instance, **kwargs) -> None:
    # A drill's story leaves the sitemap when its publication is recorded (hub.exercise).
    if instance.page_id:
        _changed_after_commit(Page.objects.filter(pk=instance.page_id).values_list("pk", "path"))


def connect() -> None:
    """Keeps the counts: every change to a page marks its child; a move or a view restriction marks
    the children of every page below."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import post_page_move

    from publishing.models import Publication

    post_save.connect(_page_changed, dispatch_uid="sitemap_page_saved")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="sitemap_page_deleted")
    post_page_move.connect(_page_moved, dispatch_uid="sitemap_page_moved")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="sitemap_restricted")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="sitemap_unrestricted")
    post_save.connect(_publication_saved, sender=Publication, dispatch_uid="sitemap_publication")
