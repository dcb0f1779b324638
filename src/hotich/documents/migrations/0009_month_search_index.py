from django.db import migrations

from hotich.documents.search_sql import MONTH_INDEX, MONTH_TSVECTOR


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {MONTH_INDEX} ON documents_document USING gin ({MONTH_TSVECTOR})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {MONTH_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0008_unit_search_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
