"""The admin's page search, bounded: the newest `ADMIN_SEARCH_CANDIDATES` (200) matching pages (newest
first, or in the order the editor picks), counted and sorted by type among themselves.

Wagtail's own view counts every match twice, counts them again by page type and ranks them all:
at 100,000 stories a common word ("tiêm") matches over ten thousand pages and each of those four
queries takes about 0.2 s. Here the search takes the newest matches only, looking first among the
newest `ADMIN_SEARCH_WINDOW` (4,000) pages and among the older ones only when those hold too few,
so one search query for a common word and two for a rare one, whatever the archive's size. The
count, the page types and the listing are plain queries on those few ids (a page type picked from
the counts is searched on its own, so its older pages are reached too). An editor looks for a
recent story; an older one is found with one more word, and the page says so when the search was
cut short. Filters (`live:yes`), orderings and permissions are Wagtail's.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.views.pages.search import SearchView, page_filter_search
from wagtail.admin.viewsets.pages import base_page_viewset
from wagtail.models import Page
from wagtail.search.query import MATCH_ALL, MatchAll
from wagtail.search.utils import parse_query_string

from hub.selectors import postgres_plan


class PageSearchView(SearchView):
    results_template_name = "hub/admin/page_search_results.html"
    capped = False
    capped_message = _("Showing the %(count)s newest pages that match. Add a word to find an older one.")

    def get_queryset(self):
        _filters, query = parse_query_string(self.search_query, operator="and", zero_terms=MATCH_ALL)
        if isinstance(query, MatchAll):
            return super().get_queryset()  # no words: every page, which Wagtail lists cheaply
        pages = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            pages = pages.filter(
                pk__in=self.permission_policy.explorable_instances(self.request.user).values_list(
                    "pk", flat=True
                )
            )

        # The page types are counted among the newest matches of every type; a type picked from
        # them is searched on its own, so that its older pages are reached too.
        self.all_pages, self.capped = self.newest_matches(pages)
        self.content_types = [
            (ContentType.objects.get_for_id(row["content_type_id"]), row["count"])
            for row in self.all_pages.order_by().values("content_type_id").annotate(count=Count("pk"))
        ]
        listed = self.all_pages
        if self.selected_content_type:
            listed, self.capped = self.newest_matches(pages.filter(content_type=self.selected_content_type))
        if self.show_locale_labels:
            listed = listed.select_related("locale")
        return self.annotate_queryset(listed.order_by(self.ordering or "-id"))

    def newest_matches(self, pages):
        """The newest ADMIN_SEARCH_CANDIDATES of `pages` that match, as a plain queryset, and
        whether there were more: the newest ADMIN_SEARCH_WINDOW pages are searched first, and the
        older ones only when those hold too few (two search queries at most, whatever the
        archive's size)."""
        limit = settings.ADMIN_SEARCH_CANDIDATES
        newest = Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        floor = newest - settings.ADMIN_SEARCH_WINDOW
        # A common prefix ("tiêm") matches a tenth of the archive, and PostgreSQL, which cannot
        # tell how many entries a prefix matches, would join them all (190 ms at 100,000 stories):
        # among a window of ids, newest first, it is made to look each page up in the index
        # instead (migration hub.0018), and stops at the newest matches: 12 ms, 8 ms for no match.
        lookups = {"enable_hashjoin": "off", "enable_mergejoin": "off", "enable_bitmapscan": "off"}
        with postgres_plan(**lookups, max_parallel_workers_per_gather=0):
            pks = self.search(pages.filter(pk__gt=floor) if floor > 0 else pages, limit + 1)
        if floor > 0 and len(pks) <= limit:
            # Too few in the window: a rarer word, so the older pages are searched through the
            # text index first (16 ms at 100,000 stories for a word found nowhere; looked up page
            # by page, as the window is, it would take 140).
            with postgres_plan(enable_nestloop="off", max_parallel_workers_per_gather=0):
                pks += self.search(pages.filter(pk__lte=floor), limit + 1 - len(pks))
        return Page.objects.filter(pk__in=pks[:limit]), len(pks) > limit

    def search(self, pages, count: int) -> list[int]:
        """The ids of the newest `count` of `pages` that match (one search query). Wagtail's own
        `page_filter_search` reads the query (its words and filters such as `live:yes`); an
        ordering keeps it from ranking."""
        found, _all = page_filter_search(self.search_query, pages.order_by("-id").only("id"), ordering="-id")
        return [page.pk for page in found[:count]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.capped:
            count = number_format(settings.ADMIN_SEARCH_CANDIDATES, force_grouping=True)
            context["capped_message"] = self.capped_message % {"count": count}
        return context


def as_admin_view(view):
    """What Wagtail wraps each of its admin views in (wagtail/admin/urls/__init__.py): the
    `access_admin` check with the editor's own language and time zone, the admin's 404 page and
    no caching."""
    return never_cache(display_custom_404(require_admin_access(view)))


search_view = as_admin_view(base_page_viewset.construct_view(PageSearchView))
search_results_view = as_admin_view(base_page_viewset.construct_view(PageSearchView, results_only=True))
