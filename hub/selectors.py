"""Read-only queries for the portal; each runs a fixed number of queries whatever the story count."""

from django.db.models import QuerySet
from wagtail.models import Page

from hub.models.pages import StoryIndexPage

LATEST_PER_SECTION = 4


def stories_under(index: Page) -> QuerySet:
    """Live stories below an index, newest first, as their specific types."""
    return (
        Page.objects.live()
        .public()
        .child_of(index)
        .order_by("-first_published_at", "-pk")
        .specific(defer=False)
        .select_related("owner")
    )


def latest_stories_by_index(*, home: Page, per_section: int = LATEST_PER_SECTION) -> list[tuple[Page, list]]:
    """Each live section under the home page with its latest stories."""
    sections = list(StoryIndexPage.objects.live().public().child_of(home).order_by("path"))
    return [(section, list(stories_under(section)[:per_section])) for section in sections]
