"""Read-only queries for the portal; each runs a fixed number of queries whatever the story count."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from django.db.models.query import ModelIterable
from wagtail.models import Page

from hub.models.pages import (
    STORY_MODELS,
    DirectivePage,
    GoodExamplePage,
    RebuttalPage,
    SituationPage,
    StoryIndexPage,
    VaccinationPage,
)

LATEST_PER_SECTION = 4
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
NEWEST_FIRST = (F("first_published_at").desc(nulls_last=True), F("pk").desc())
FEED_ITEMS = 30

# URL names of the story kinds (feeds, filters) and their page models.
KINDS: dict[str, type[Page]] = {
    "good_example": GoodExamplePage,
    "vaccination": VaccinationPage,
    "rebuttal": RebuttalPage,
    "directive": DirectivePage,
    "situation": SituationPage,
}


class AllKindsIterable(ModelIterable):
    """Yields the specific stories of a generic page queryset with one query per story kind.

    Unlike Wagtail's `specific()`, the count does not depend on which kinds a slice holds, so a
    listing runs the same number of queries whatever the stories; StreamFields are deferred.
    """

    def __iter__(self):
        pks = list(self.queryset.values_list("pk", flat=True))
        yield from load_stories(pks)


def load_stories(pks: list[int], *, with_body: bool = False, kinds=STORY_MODELS) -> list[Page]:
    """The specific stories with these ids, in this order, with their hero images (a query per
    kind: five unless the caller knows the kinds among them).

    StreamFields are deferred unless `with_body` (feeds carry the whole story)."""
    if not pks:
        return []
    by_pk = {}
    for model in kinds:
        queryset = model.objects.filter(pk__in=pks).select_related("hero_image", "locale")
        for story in queryset if with_body else queryset.defer_streamfields():
            by_pk[story.pk] = story
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _listing(queryset: QuerySet) -> QuerySet:
    clone = queryset.all()
    clone._iterable_class = AllKindsIterable
    return clone


def live_stories(*, root: Page | None = None, language: str | None = None) -> QuerySet:
    """Every live, public story of every kind in one language (default: the active one), under one
    portal's root (its tree in that language), newest first (generic pages); not the stories of a
    drill, which stay out of feeds and search (docs/exercise.md)."""
    from wagtail.models import Locale

    from hub.exercise import exercise_page_ids

    language = language or _active_language()
    queryset = (
        Page.objects.live()
        .public()
        .type(*STORY_MODELS)
        .exclude(pk__in=exercise_page_ids())
        .order_by(*NEWEST_FIRST)
    )
    if root is not None:
        return _under(queryset, root, language)
    locale = Locale.objects.filter(language_code=language).values("pk")  # a subquery: search filters on it
    return queryset.filter(locale__in=locale)


def _active_language() -> str:
    from django.utils import translation

    from hub.languages import DEFAULT_LANGUAGE

    return translation.get_language() or DEFAULT_LANGUAGE


def _under(queryset: QuerySet, root: Page, language: str) -> QuerySet:
    """The queryset's pages under a portal's root in `language`: under the root's translation (or
    alias) in that language, which heads that language's tree, and in that language. One small
    query for the head, then constants (a path prefix, a locale): the planner sees what share of
    the archive they keep and reads the newest-first index, which it could not through a
    subquery. Search accepts both as filters."""
    head = (
        Page.objects.filter(translation_key=root.translation_key, locale__language_code=language)
        .values_list("path", "locale_id")
        .first()
    )
    if head is None:
        return queryset.none()
    path, locale_id = head
    # The locale too: a page moved into another language's tree keeps its own.
    return queryset.filter(path__startswith=path, depth__gt=root.depth, locale=locale_id)


def stories_under(index: Page) -> QuerySet:
    """Live stories below an index, newest first, as their specific types."""
    return _listing(Page.objects.live().public().child_of(index).order_by(*NEWEST_FIRST))


def latest_stories_by_index(*, home: Page, per_section: int = LATEST_PER_SECTION) -> list[tuple[Page, list]]:
    """Each live section under the home page with its latest stories (a fixed 8 queries).

    The latest stories of all sections come in one query, a UNION ALL of one newest-first
    `LIMIT per_section` per section: each reads the index on `first_published_at` backwards and
    stops after a few rows, however large the archive."""
    visible = Page.objects.live().public()  # reads the view restrictions once
    sections = list(visible.child_of(home).type(StoryIndexPage).order_by("path"))
    if not sections:
        return []
    latest = [
        visible.filter(path__startswith=section.path, depth=section.depth + 1)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "path")[:per_section]
        for section in sections
    ]
    if len(latest) == 1:
        rows = list(latest[0])
    elif connection.features.supports_slicing_ordering_in_compound:
        rows = list(latest[0].union(*latest[1:], all=True))
    else:  # SQLite: one newest-first rank per section (reads every story, fine for the embedded run)
        rows = _latest_ranked(visible, home, per_section)
    stories = {story.pk: story for story in load_stories([pk for pk, _ in rows])}
    by_section: dict[str, list] = {section.path: [] for section in sections}
    for pk, path in rows:
        section_path = path[: len(home.path) + Page.steplen]
        if pk in stories and section_path in by_section:
            by_section[section_path].append(stories[pk])
    for section_stories in by_section.values():  # newest first, undated last, as NEWEST_FIRST
        section_stories.sort(
            key=lambda story: (
                story.first_published_at is not None,
                story.first_published_at or EPOCH,
                story.pk,
            ),
            reverse=True,
        )
    return [(section, by_section[section.path]) for section in sections]


def _latest_ranked(visible: QuerySet, home: Page, per_section: int) -> list[tuple[int, str]]:
    section_path_length = len(home.path) + Page.steplen
    return list(
        visible.filter(path__startswith=home.path, depth=home.depth + 2)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[Substr("path", 1, section_path_length)],
                order_by=list(NEWEST_FIRST),
            ),
        )
        .filter(rank__lte=per_section)
        .values_list("pk", "path")
    )


def for_region_q(region) -> Q:
    """Stories that concern people in a region: for it, for a region within or above it, or for
    everyone (no region chosen means the whole area of the organisation)."""
    from hub.models import Region

    overlapping = Region.objects.overlapping([region]).values("pk")
    condition = Q(pk__in=[])
    for model in STORY_MODELS:
        concerned = model.objects.filter(Q(regions__in=overlapping) | Q(regions__isnull=True))
        condition |= Q(pk__in=concerned.values("pk"))
    return condition


def stories_for_region(region, *, root: Page | None = None) -> QuerySet:
    """Live stories (of one portal) that concern a region, newest first, as their specific types."""
    return _listing(live_stories(root=root).filter(for_region_q(region)))


def feed_stories(
    *, kind: str | None = None, region=None, limit: int = FEED_ITEMS, root: Page | None = None
) -> list[Page]:
    """The latest live stories for a feed (of one portal), whole: all kinds or one kind (see
    KINDS), all regions or those concerning one region. A fixed number of queries."""
    queryset = live_stories(root=root)
    if kind is not None:
        queryset = queryset.type(KINDS[kind])
    if region is not None:
        queryset = queryset.filter(for_region_q(region))
    return load_stories(list(queryset.values_list("pk", flat=True)[:limit]), with_body=True)


SEARCH_PER_PAGE = 12
OLDEST_FIRST = (F("first_published_at").asc(nulls_first=True), F("pk").asc())


@dataclass(frozen=True)
class Cursor:
    """Where a page of search results ends: a story's publication time and id, in a URL as
    `<microseconds since 1970>_<id>` (`n_<id>` for a story without a publication time)."""

    published: datetime.datetime | None
    pk: int

    @classmethod
    def of(cls, page: Page) -> "Cursor":
        return cls(page.first_published_at, page.pk)

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """The cursor in `text`, or None for anything else (a stale or hand-made link)."""
        micros, _, pk = (text or "")[:40].rpartition("_")
        if not (pk.isascii() and pk.isdigit()) or not (micros == "n" or _is_integer(micros)):
            return None
        try:
            published = None if micros == "n" else EPOCH + datetime.timedelta(microseconds=int(micros))
        except OverflowError:  # beyond the years datetime can hold
            return None
        return cls(published, int(pk))

    def __str__(self) -> str:
        if self.published is None:
            return f"n_{self.pk}"
        return f"{(self.published - EPOCH) // datetime.timedelta(microseconds=1)}_{self.pk}"

    def older_q(self) -> Q:
        """The stories after this one in newest-first order."""
        if self.published is None:
            return Q(first_published_at__isnull=True, pk__lt=self.pk)
        return (
            Q(first_published_at__lt=self.published)
            | Q(first_published_at=self.published, pk__lt=self.pk)
            | Q(first_published_at__isnull=True)
        )

    def newer_q(self) -> Q:
        """The stories before this one in newest-first order."""
        if self.published is None:
            return Q(first_published_at__isnull=False) | Q(first_published_at__isnull=True, pk__gt=self.pk)
        return Q(first_published_at__gt=self.published) | Q(first_published_at=self.published, pk__gt=self.pk)


def _is_integer(text: str) -> bool:
    digits = text.removeprefix("-")
    return digits.isascii() and digits.isdigit()


@dataclass(frozen=True)
class SearchPage:
    """One page of search results, newest first, and the cursors of the pages around it."""

    stories: list[Page]
    newer: Cursor | None = None
    older: Cursor | None = None


def search_stories(
    query: str,
    *,
    root: Page | None = None,
    older: Cursor | None = None,
    newer: Cursor | None = None,
    per_page: int = SEARCH_PER_PAGE,
) -> SearchPage:
    """Live stories (of one portal) in the visitor's language matching a query, newest first: the
    first page, or the page older (or newer) than a cursor. Keyset pages in the order of the
    newest-first index, so that a word found in 10,000 stories costs what a rare one does: the
    database reads the index until it has a page of matches, and never counts or ranks them all
    (docs/scaling.md). A fixed number of queries, whatever the page or the archive's size."""
    stories = live_stories(root=root)
    if newer is not None:
        stories = stories.filter(newer.newer_q()).order_by(*OLDEST_FIRST)
    elif older is not None:
        stories = stories.filter(older.older_q())
    with _single_process_plan():
        found = list(stories.search(query, operator="and", order_by_relevance=False)[: per_page + 1])
    more, found = len(found) > per_page, found[:per_page]
    if newer is not None:
        found.reverse()
        has_newer, has_older = more, True
    else:
        has_newer, has_older = older is not None, more
    if not found:
        return SearchPage([])
    return SearchPage(
        as_specific(found),
        newer=Cursor.of(found[0]) if has_newer else None,
        older=Cursor.of(found[-1]) if has_older else None,
    )


@contextmanager
def postgres_plan(**planner_settings):
    """On PostgreSQL, plans the statements inside with these planner settings (`set_config(…,
    true)`, one statement); elsewhere does nothing. They end with the block: with its transaction,
    or, inside an outer transaction (which a released savepoint would not undo), put back."""
    if connection.vendor != "postgresql":
        yield
        return
    names = list(planner_settings)
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            reads = ", ".join(["current_setting(%s)"] * len(names))
            sets = ", ".join(["set_config(%s, %s, true)"] * len(names))
            cursor.execute(
                f"SELECT {reads}, {sets}",
                [*names, *(str(each) for name in names for each in (name, planner_settings[name]))],
            )
            before = cursor.fetchone()[: len(names)]
        try:
            yield
        finally:
            if nested:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {sets}", [each for pair in zip(names, before, strict=True) for each in pair]
                    )


def _single_process_plan():
    """A page of search results reads a few hundred index rows, which one process does in about
    3 ms, but the planner may start two workers for it and spend 25 ms on starting them (measured
    at 100,000 stories)."""
    return postgres_plan(max_parallel_workers_per_gather=0)


def as_specific(pages) -> list[Page]:
    """The specific stories for a list of generic pages, in the same order: one query for each
    kind among them (their content types are on the generic rows)."""
    from django.contrib.contenttypes.models import ContentType

    kinds = {ContentType.objects.get_for_id(page.content_type_id).model_class() for page in pages}
    return load_stories(
        [page.pk for page in pages], kinds=[model for model in STORY_MODELS if model in kinds]
    )
