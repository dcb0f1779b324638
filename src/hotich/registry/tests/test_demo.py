import random

import pytest

from hotich.registry.demo import demo_records
from hotich.registry.models import Party, Record
from hotich.registry.selectors import record_search
from hotich.registry.tests.factories import UnitFactory, legacy_commune

pytestmark = pytest.mark.django_db


def test_demo_records_realistic_and_searchable():
    units = [UnitFactory(), UnitFactory()]
    legacy_commune(units[0])
    created = demo_records(units=units, rng=random.Random(1), count=120)
    assert created == Record.objects.count() == 120
    kinds = set(Record.objects.values_list("event_type", flat=True))
    assert {"birth", "marriage", "death"} <= kinds
    assert Record.objects.filter(is_historic=True).exists()
    assert Record.objects.filter(is_historic=True, registration_precision="y").exists()
    # parents linked to the persons of an earlier marriage
    married = set(Party.objects.filter(role="husband").values_list("person_id", flat=True))
    fathers = set(Party.objects.filter(role="father").values_list("person_id", flat=True))
    assert married & fathers
    numbers = list(
        Record.objects.filter(book=Record.objects.first().book)
        .order_by("entry_number")
        .values_list("entry_number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
    name = Party.objects.filter(role="child").first().person.full_name
    assert record_search(actor=None, query=name)
