"""Read-only queries for the portal; each runs a fixed number of queries whatever the story count."""

from django.db.models import QuerySet
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
FEED_ITEMS = 30

# URL names of the story kinds (feeds, filters) and their page models.
KINDS: dict[str, type[Page]] = {
    "good_example": GoodExamplePage,
    "vaccination": VaccinationPage,
    "rebuttal": RebuttalPage,
    "directive": DirectivePage,
    "situation": SituationPage,
}


def _listing(queryset: QuerySet) -> QuerySet:
    """Specific stories with their hero image, without their (heavy) StreamFields."""
    return (
        queryset.specific(defer=False)
        .select_related("hero_image", for_specific_subqueries=True)
        .defer_streamfields()
    )


def live_stories() -> QuerySet:
    """Every live, public story of every kind, newest first (generic pages)."""
    return Page.objects.live().public().type(*STORY_MODELS).order_by("-first_published_at", "-pk")


def stories_under(index: Page) -> QuerySet:
    """Live stories below an index, newest first, as their specific types."""
    return _listing(Page.objects.live().public().child_of(index).order_by("-first_published_at", "-pk"))


def latest_stories_by_index(*, home: Page, per_section: int = LATEST_PER_SECTION) -> list[tuple[Page, list]]:
    """Each live section under the home page with its latest stories."""
    sections = list(StoryIndexPage.objects.live().public().child_of(home).order_by("path"))
    return [(section, list(stories_under(section)[:per_section])) for section in sections]


def feed_stories(*, kind: str | None = None, limit: int = FEED_ITEMS) -> list[Page]:
    """The latest live stories for a feed: all kinds, or one kind (see KINDS)."""
    if kind is None:
        return list(_listing(live_stories())[:limit])
    model = KINDS[kind]
    queryset = model.objects.live().public().order_by("-first_published_at", "-pk")
    return list(queryset.select_related("hero_image").defer_streamfields()[:limit])


def search_stories(query: str):
    """Live stories matching a query, best match first (Wagtail search)."""
    return live_stories().order_by().search(query, operator="and")


def as_specific(pages) -> list[Page]:
    """The specific stories for a list of generic pages, in the same order (one query per kind)."""
    pks = [page.pk for page in pages]
    by_pk = {page.pk: page for page in _listing(Page.objects.filter(pk__in=pks))}
    return [by_pk[pk] for pk in pks if pk in by_pk]
