"""On PostgreSQL, an index in the portal's newest-first order (`first_published_at DESC NULLS
LAST, id DESC`) on Wagtail's page table: the feeds, section pages and home read the newest few
stories through it instead of sorting the whole archive. Wagtail's own index on
`first_published_at` gives NULLS FIRST when read backwards, so the planner cannot use it for that
order. SQLite is left as it is."""

from django.db import migrations

INDEX = "hub_page_newest_first"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (first_published_at DESC NULLS LAST, id DESC)"
            )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("hub", "0011_search_title_body_index"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(create_index, drop_index)]
