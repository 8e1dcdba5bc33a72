"""A trigram index for the people search on PostgreSQL (LIKE '%word%' on the folded search_text).

SQLite has no such index; the search there scans the table, which stays fast at national size.
Creating the pg_trgm extension needs a role that may create it (a trusted extension since PG 13:
the database owner may); without it the index is skipped with a warning and search still works.
"""

from django.db import migrations, transaction


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS org_person_search_trgm "
                "ON org_person USING gin (search_text gin_trgm_ops)"
            )
    except Exception as exc:  # noqa: BLE001 - the index is an optimisation, never a blocker
        print(f"\n  (bỏ qua chỉ mục tìm kiếm pg_trgm: {exc})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
