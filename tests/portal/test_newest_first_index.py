"""On PostgreSQL, the portal's newest-first order has an index of its own on Wagtail's page table."""

import pytest
from django.db import connection

from hub.selectors import live_stories

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")


@pytest.mark.django_db
def test_the_newest_first_order_of_the_listings_has_an_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'hub_page_newest_first'")
        (definition,) = cursor.fetchone()
    order_by = str(live_stories().values_list("pk", flat=True)[:30].query).split("ORDER BY")[1]

    assert "(first_published_at DESC NULLS LAST, id DESC)" in definition
    assert '"wagtailcore_page"."first_published_at" DESC NULLS LAST' in order_by
