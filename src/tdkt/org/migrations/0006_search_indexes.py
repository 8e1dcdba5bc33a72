"""Indexes for the search (issue 10) on the folded `search_text` of people and collectives.

PostgreSQL: on both tables a GIN index of the text's words (`to_tsvector('simple', search_text)`):
the search intersects the rows of every word of the query in it (core.search.WordsMatch), then checks
the exact LIKE rule on the few rows left; and a pattern index (`LIKE 'prefix%'`) that finds the names
beginning with the query's words in any order (core.search.best_matches). A trigram index for the
collectives' codes, like org 0002 for people; without the right to create pg_trgm it is skipped.
SQLite: a plain index on each `search_text`; the search scans it (a covering index) instead of the
wide table rows, several times faster, and looks name beginnings up in it as ranges.
Each index is of one database only, so neither keeps an index it never uses.
"""

from django.db import migrations, transaction

TABLES = ("org_person", "org_collective")


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_search_text ON {table} (search_text)")
    elif vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_words ON {table} "
                "USING gin (to_tsvector('simple'::regconfig, search_text))"
            )
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_text_like ON {table} "
                "(search_text varchar_pattern_ops)"
            )
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                schema_editor.execute(
                    "CREATE INDEX IF NOT EXISTS org_collective_search_trgm "
                    "ON org_collective USING gin (search_text gin_trgm_ops)"
                )
        except Exception as exc:  # noqa: BLE001 - the index is an optimisation, never a blocker
            print(f"\n  (bỏ qua chỉ mục tìm kiếm pg_trgm: {exc})")


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_text")
    elif vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_words")
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_text_like")
        schema_editor.execute("DROP INDEX IF EXISTS org_collective_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("org", "0005_award_revocation_reason")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
