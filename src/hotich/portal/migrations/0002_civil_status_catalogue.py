"""Load the shipped civil-status procedures (``hotich portal catalogue load`` does the same)."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from hotich.portal.catalogue_data import procedures
    from hotich.portal.services.catalogue import clean_procedure

    model = apps.get_model("portal", "Procedure")
    for raw in procedures():
        clean = clean_procedure(raw)
        model.objects.update_or_create(code=clean["code"], defaults=clean)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
