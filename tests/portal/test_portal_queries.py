"""The number of SQL queries of the home, index and story pages does not grow with the story count."""

import io
import itertools

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from media.models import HubImage
from tests.factories import (
    DirectivePageFactory,
    GoodExamplePageFactory,
    RebuttalPageFactory,
    SituationPageFactory,
    StoryIndexPageFactory,
    VaccinationPageFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
STORY_PAGE_MAX_QUERIES = 12
FACTORIES = [
    GoodExamplePageFactory,
    VaccinationPageFactory,
    RebuttalPageFactory,
    DirectivePageFactory,
    SituationPageFactory,
]


def _image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 24), (10, 120, 60)).save(buffer, format="PNG")
    return HubImage.objects.create(
        title="Ảnh", alt_text="Ảnh minh họa", file=ImageFile(buffer, name="anh.png")
    )


def _add_stories(sections, image, count, start):
    """Adds `count` stories across sections and kinds (every other one with a hero image)."""
    cycle = itertools.islice(itertools.cycle(itertools.product(sections, FACTORIES)), start, start + count)
    for number, (section, factory) in enumerate(cycle, start=start):
        factory(parent=section, title=f"Tin {number}", hero_image=image if number % 2 else None)


def _queries(client, url) -> int:
    """Queries of one uncached render: a query string never seen before misses the page cache."""
    _queries.counter += 1
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?n={_queries.counter}")
    assert response.status_code == 200
    assert response["X-Cache"] == "MISS"
    return len(queries)


_queries.counter = 0


def test_query_counts_do_not_grow_between_10_and_1000_stories(client, home, portal_cache):
    sections = [StoryIndexPageFactory(parent=home, title=f"Chuyên mục {n}") for n in range(5)]
    image = _image()
    _add_stories(sections, image, 10, 0)
    story = RebuttalPageFactory(parent=sections[0], title="Tin đang đọc", hero_image=image)
    urls = {"home": home.url, "index": sections[0].url, "story": story.url}
    for url in urls.values():  # warm content types, site root paths and the menu
        _queries(client, url)
    small = {name: _queries(client, url) for name, url in urls.items()}

    _add_stories(sections, image, 990, 10)
    large = {name: _queries(client, url) for name, url in urls.items()}

    assert large == small
    assert small["story"] <= STORY_PAGE_MAX_QUERIES
    assert client.get(story.url)["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.url)["X-Cache"] == "HIT"
    assert len(queries) == 0
