"""geo's subtree filter, the one place other contexts ask for "this unit and below"."""

from __future__ import annotations

import pytest

from hotich.geo.models import Unit, UnitMapping
from hotich.geo.selectors import within_unit, within_unit_q
from hotich.geo.testing import load_nghe_an
from hotich.geo.vocabulary import Era, Level

pytestmark = pytest.mark.django_db


def test_within_unit_follows_a_lookup_path_to_the_unit() -> None:
    load_nghe_an()
    district = Unit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code="412")
    other = Unit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT).exclude(pk=district.pk)[0]
    mappings = UnitMapping.objects.all()
    mine = within_unit(mappings, district, "old_unit")
    assert mine.exists()
    assert set(mine.values_list("old_unit__parent", flat=True)) == {district.pk}
    assert within_unit(mappings, district.path, "old_unit").count() == mine.count()
    assert not within_unit(mappings, other, "old_unit").filter(pk__in=mine).exists()
    # units themselves: the same as units_within
    assert within_unit(Unit.objects.all(), district, "").count() == 1 + district.children.count()


def test_no_unit_keeps_nothing() -> None:
    load_nghe_an()
    assert not UnitMapping.objects.filter(within_unit_q(None, "old_unit")).exists()
