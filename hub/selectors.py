"""Read-only queries for the portal; each runs a fixed number of queries whatever the story count."""

import datetime

from django.db import connection
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


def load_stories(pks: list[int], *, with_body: bool = False) -> list[Page]:
    """The specific stories with these ids, in this order, with their hero images (5 queries).

    StreamFields are deferred unless `with_body` (feeds carry the whole story)."""
    if not pks:
        return []
    by_pk = {}
    for model in STORY_MODELS:
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
    locale = Locale.objects.filter(language_code=language).values("pk")  # a subquery: search filters on it
    queryset = (
        Page.objects.live()
        .public()
        .type(*STORY_MODELS)
        .filter(locale__in=locale)
        .exclude(pk__in=exercise_page_ids())
        .order_by(*NEWEST_FIRST)
    )
    return _under(queryset, root, language)


def _active_language() -> str:
    from django.utils import translation

    from hub.languages import DEFAULT_LANGUAGE

    return translation.get_language() or DEFAULT_LANGUAGE


def _under(queryset: QuerySet, root: Page | None, language: str) -> QuerySet:
    """The queryset's pages under a portal's root in `language`: under the root's translation (or
    alias) in that language, which heads that language's tree. A subquery, not a query of its
    own, and a plain `pk__in` lookup, so search accepts it as a filter."""
    if root is None:
        return queryset
    heads = Page.objects.filter(translation_key=root.translation_key, locale__language_code=language)
    below = (
        Page.objects.annotate(head_path=Substr("path", 1, len(root.path)))
        .filter(head_path__in=heads.values("path"), depth__gt=root.depth)
        .values("pk")
    )
    return queryset.filter(pk__in=below)


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


def search_stories(query: str, *, root: Page | None = None):
    """Live stories (of one portal) in the visitor's language matching a query, best match first."""
    return live_stories(root=root).order_by().search(query, operator="and")


def as_specific(pages) -> list[Page]:
    """The specific stories for a list of generic pages, in the same order (one query per kind)."""
    return load_stories([page.pk for page in pages])
