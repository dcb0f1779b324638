"""The name index: FTS5 on SQLite, pg_trgm + a GIN trigram index on PostgreSQL.

``django.contrib.postgres`` is not installed, so the PostgreSQL part is plain SQL run only when
the database is PostgreSQL; on SQLite the FTS5 table is created instead (see search_index.py).
"""

from django.db import migrations

from hotich.registry.search_index import CREATE_FTS, FTS_TABLE

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_person_name_trgm ON registry_person "
    "USING gin (name_folded gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS registry_person_name_trgm"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(CREATE_FTS)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
