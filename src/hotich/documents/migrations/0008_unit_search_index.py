from django.db import migrations

from hotich.documents.search_sql import UNIT_INDEX, UNIT_TSVECTOR


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {UNIT_INDEX} ON documents_document USING gin ({UNIT_TSVECTOR})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {UNIT_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0007_search"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
