"""On PostgreSQL, a text search configuration that folds Vietnamese diacritics.

"tiem chung" then finds "tiêm chủng" and the other way round. Words are not stemmed (Vietnamese
has no inflection), only unaccented and lower-cased. SQLite's search is left as it is.
After upgrading an existing PostgreSQL site, rebuild the index once: `manage.py update_index`.
"""

from django.db import migrations

CONFIG = "hub_vi"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
            )


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("hub", "0006_story_alert_cap_fields")]

    operations = [migrations.RunPython(create_config, drop_config)]
