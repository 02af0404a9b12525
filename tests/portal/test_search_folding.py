"""On PostgreSQL, portal search folds Vietnamese diacritics both ways."""

import pytest
from django.db import connection

from tests.factories import GoodExamplePageFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="diacritic folding is PostgreSQL's text search configuration"
)


@pytest.mark.parametrize("query", ["tiem chung", "TIÊM CHỦNG", "tiêm chung", "Mường Lay", "muong lay"])
def test_search_finds_the_story_with_or_without_diacritics(
    client, story_index, query, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated on commit
        story = GoodExamplePageFactory(parent=story_index, title="Tiêm chủng mở rộng tại Mường Lay")
        GoodExamplePageFactory(parent=story_index, title="Gương sáng ở xã Thanh Minh", summary="Khen thưởng.")

    response = client.get("/tim-kiem/", {"q": query})

    assert [found.pk for found in response.context["stories"]] == [story.pk]


@pytest.mark.django_db
def test_the_entries_have_an_index_on_the_expression_the_search_matches(story_index):
    from django.test.utils import CaptureQueriesContext

    from hub.selectors import search_stories

    with CaptureQueriesContext(connection) as captured:
        search_stories("tiem chung", root=story_index.get_parent())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry'"
            " AND indexname = 'hub_search_title_body_gin'"
        )
        (definition,) = cursor.fetchone()

    assert "USING gin" in definition and "(title || body)" in definition
    assert any(
        '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@' in query["sql"]
        for query in captured.captured_queries
    )
