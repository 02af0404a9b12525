"""Wagtail's lookup of the tree root reads one indexed row, not the page table."""

import pytest
from django.db import connection
from wagtail.models import Page


@pytest.mark.django_db
def test_the_tree_root_lookup_is_served_by_its_partial_index():
    query, params = Page.get_root_nodes().query.sql_with_params()
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Page._meta.db_table)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test's table is tiny: scanning it is cheaper
            cursor.execute(f"EXPLAIN {query}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {query}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert indexes["hub_page_tree_roots"]["columns"] == ["path"]
    assert "hub_page_tree_roots" in plan
