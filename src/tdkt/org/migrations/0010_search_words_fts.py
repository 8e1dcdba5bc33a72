"""SQLite only: a full-text (FTS5) table of the folded search text of people and collectives, kept in
step by triggers on every insert, change and delete, whoever writes the row (the ORM, an import's bulk
insert, a shell). The search asks it for the rows having a word that begins with each query word
(core.search.match_q), where LIKE '% word%' could only scan every name: at 100,000 people a scan of the
text's index was 16-25 ms a search. PostgreSQL has its GIN index of the words (org 0006): nothing here.
Skipped where SQLite was built without FTS5; the search then scans as before."""

from django.db import OperationalError, migrations

TABLES = (("org_person", "org_person_words"), ("org_collective", "org_collective_words"))


def _statements(source: str, words: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {words} USING fts5(search_text, content='{source}', content_rowid='id')",
        f"CREATE TRIGGER {words}_insert AFTER INSERT ON {source} BEGIN "
        f"INSERT INTO {words}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {words}_delete AFTER DELETE ON {source} BEGIN "
        f"INSERT INTO {words}({words}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {words}_update AFTER UPDATE OF search_text ON {source} BEGIN "
        f"INSERT INTO {words}({words}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {words}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {words}({words}) VALUES ('rebuild')",
    ]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.tdkt_fts5_probe USING fts5(x)")
            cursor.execute("DROP TABLE temp.tdkt_fts5_probe")
        except OperationalError:  # "no such module: fts5"
            return
        for source, words in TABLES:
            for sql in _statements(source, words):
                cursor.execute(sql)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for _source, words in TABLES:
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {words}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {words}")


class Migration(migrations.Migration):
    dependencies = [("org", "0009_search_name_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
