"""Loading both unit lists and the old → new map from the ``vietnamadminunits`` package."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from django.db.models import Count

from hotich.geo.models import Unit, UnitMapping
from hotich.geo.selectors import unit_mapping_for, units_below
from hotich.geo.services import units_load
from hotich.geo.testing import load_nghe_an
from hotich.geo.vocabulary import Era, Level


@pytest.mark.django_db
def test_full_load_counts_split_communes_and_idempotency() -> None:
    """The one full load of the suite (about 3 s, twice)."""
    first = units_load()
    assert first.units_created == Unit.objects.count()

    def count(era: str, level: str) -> int:
        return Unit.objects.filter(era=era, level=level).count()

    assert count(Era.LEGACY, Level.PROVINCE) == 63
    assert 690 <= count(Era.LEGACY, Level.DISTRICT) <= 720
    assert 10_000 <= count(Era.LEGACY, Level.COMMUNE) <= 10_700
    assert count(Era.CURRENT, Level.PROVINCE) == 34
    assert count(Era.CURRENT, Level.COMMUNE) == 3321
    assert count(Era.CURRENT, Level.DISTRICT) == 0
    assert not Unit.objects.filter(era=Era.LEGACY).exclude(valid_to=dt.date(2025, 6, 30)).exists()
    assert not Unit.objects.filter(era=Era.CURRENT).exclude(valid_from=dt.date(2025, 7, 1)).exists()

    # Every old commune maps somewhere, exactly one mapping of each is primary.
    legacy_communes = Unit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
    assert not legacy_communes.filter(mapped_to__isnull=True).exists()
    primaries = UnitMapping.objects.filter(is_primary=True, old_unit__level=Level.COMMUNE)
    assert primaries.count() == legacy_communes.count()

    # A commune split between two new ones: Xã Tân Thạnh, Huyện Thới Lai, Cần Thơ.
    tan_thanh = Unit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, path__startswith="o/92/",
                                 name="Xã Tân Thạnh", parent__name="Huyện Thới Lai")  # fmt: skip
    mappings = list(unit_mapping_for(tan_thanh))
    assert len(mappings) >= 2
    assert [m.is_primary for m in mappings].count(True) == 1
    assert mappings[0].is_primary and mappings[0].new_unit.name == "Xã Trường Thành"
    assert {m.new_unit.province_code for m in mappings} == {"92"}

    # Old provinces map to the province they merged into.
    hau_giang = Unit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="93")
    assert [m.new_unit.name for m in unit_mapping_for(hau_giang)] == ["Thành phố Cần Thơ"]

    second = units_load()
    assert not second.changed
    assert (second.units_created, second.mappings_created) == (0, 0)
    assert Unit.objects.count() == first.units_created
    assert UnitMapping.objects.count() == first.mappings_created


@pytest.mark.django_db
def test_nghe_an_load_codes_types_paths_and_search_keys() -> None:
    loaded = load_nghe_an()
    assert loaded.result.legacy == 1 + 20 + 412
    assert loaded.result.current == 1 + 130
    assert Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).count() == 130

    province = loaded.province
    assert (province.name, province.short_name, province.unit_type) == (
        "Tỉnh Nghệ An", "Nghệ An", "Tỉnh"
    )  # fmt: skip
    assert province.path == "n/40/"
    thanh_vinh = loaded.current_commune("16681")
    assert (thanh_vinh.name, thanh_vinh.unit_type, thanh_vinh.path) == (
        "Phường Thành Vinh", "Phường", "n/40/16681/"
    )  # fmt: skip
    assert thanh_vinh.parent == province

    nghi_phu = loaded.legacy_commune("16702")
    assert nghi_phu.path == "o/40/412/16702/"
    assert nghi_phu.full_name == "Phường Nghi Phú, Thành phố Vinh, Tỉnh Nghệ An"
    assert nghi_phu.short_name == "Nghi Phú"
    assert nghi_phu.short_key == "nghi phu"
    assert "phuong nghi phu" in nghi_phu.search_key
    assert "nghiphu" in nghi_phu.search_key
    vinh = nghi_phu.parent
    assert vinh is not None and (vinh.level, vinh.unit_type, vinh.code) == (
        "district",
        "Thành phố",
        "412",
    )

    types = set(Unit.objects.values_list("unit_type", flat=True))
    assert types <= {"Tỉnh", "Thành phố", "Thị xã", "Huyện", "Quận", "Xã", "Phường", "Thị trấn"}
    for name in Unit.objects.values_list("name", flat=True):
        assert unicodedata.is_normalized("NFC", name)

    assert units_below(loaded.legacy_province).count() == 20 + 412
    assert units_below(province, include_self=True).count() == 131
    assert [m.new_unit.name for m in unit_mapping_for(nghi_phu)] == ["Phường Vinh Phú"]


@pytest.mark.django_db
def test_province_load_is_idempotent_and_repairs_changed_names() -> None:
    load_nghe_an()
    unit = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="16681")
    pk = unit.pk
    Unit.objects.filter(pk=pk).update(name="Phường Sai Tên", search_key="sai")
    UnitMapping.objects.filter(new_unit_id=pk).delete()

    result = units_load(provinces=["40"])
    assert result.units_created == 0
    assert result.units_updated == 1
    assert result.mappings_created > 0
    unit.refresh_from_db()
    assert (unit.pk, unit.name) == (pk, "Phường Thành Vinh")
    assert "thanh vinh" in unit.search_key

    again = units_load(provinces=["40"])
    assert not again.changed


@pytest.mark.django_db
def test_merged_province_filter_loads_the_whole_merger() -> None:
    """Asking for Hậu Giang (93, merged) loads Cần Thơ today and its three old provinces."""
    result = units_load(provinces=["93"])
    old = set(
        Unit.objects.filter(era=Era.LEGACY, level=Level.PROVINCE).values_list("code", flat=True)
    )
    new = set(
        Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE).values_list("code", flat=True)
    )
    assert (old, new) == ({"92", "93", "94"}, {"92"})
    assert result.mappings == UnitMapping.objects.count()
    split = (
        UnitMapping.objects.filter(old_unit__level=Level.COMMUNE)
        .values("old_unit")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert split.exists()


@pytest.mark.django_db
def test_each_load_is_one_audit_entry_with_counts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("hotich.geo.services.audit_bulk", lambda **kw: calls.append(kw))
    load_nghe_an()
    load_nghe_an()
    assert len(calls) == 2
    first = calls[0]
    assert (first["actor"], first["action"], first["object_ids"]) == (None, "bulk", [])
    assert first["detail"]["legacy"] == 433
    assert first["detail"]["current"] == 131
    assert first["detail"]["mappings"] == 413
    assert calls[1]["detail"]["created"] == 0


@pytest.mark.django_db
def test_unknown_province_code_is_refused() -> None:
    with pytest.raises(ValueError, match="99"):
        units_load(provinces=["99"])
