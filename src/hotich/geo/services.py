"""Writing administrative units: loading both lists and the old → new map from the package."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q

from hotich.audit.services import audit_bulk
from hotich.core.text import compact_key, fold, nfc
from hotich.geo.models import Unit, UnitMapping
from hotich.geo.source import SourceUnit, source_read

UnitKey = tuple[str, str, str]  # (era, level, code)

UNIT_FIELDS = (
    "name",
    "short_name",
    "unit_type",
    "parent_id",
    "path",
    "short_key",
    "search_key",
    "valid_from",
    "valid_to",
)
LEVEL_DEPTH = {"province": 0, "district": 1, "commune": 2}


@dataclass(frozen=True)
class UnitsLoadResult:
    legacy: int
    current: int
    mappings: int
    units_created: int
    units_updated: int
    mappings_created: int
    mappings_updated: int
    mappings_deleted: int
    seconds: float

    @property
    def changed(self) -> bool:
        return any(
            (
                self.units_created,
                self.units_updated,
                self.mappings_created,
                self.mappings_updated,
                self.mappings_deleted,
            )
        )


def unit_search_key(name: str, short_name: str) -> str:
    """The folded full name, then the folded short name, then the short name without spaces
    (``"xa nghi phu nghi phu nghiphu"``), so that typing with or without the type, with or
    without diacritics or spaces all match word prefixes."""
    parts: list[str] = []
    for part in (fold(name), fold(short_name), compact_key(short_name)):
        if part and part not in parts:
            parts.append(part)
    return " ".join(parts)[:300]


@functools.cache
def _derived(source: SourceUnit) -> dict[str, Any]:
    """The stored fields of a unit except its parent, computed once per process."""
    name, short_name = nfc(source.name), nfc(source.short_name)
    return {
        "name": name,
        "short_name": short_name,
        "unit_type": nfc(source.unit_type),
        "path": source.path,
        "short_key": fold(short_name)[:100],
        "search_key": unit_search_key(name, short_name),
        "valid_from": source.valid_from,
        "valid_to": source.valid_to,
    }


def _values(source: SourceUnit, parent_id: int | None) -> dict[str, Any]:
    return {**_derived(source), "parent_id": parent_id}


def _in_provinces(prefix: str, paths: Iterable[str]) -> Q:
    """Units (through ``prefix``) under any of the given paths; everything when none are given."""
    conditions = [Q(**{f"{prefix}path__startswith": p}) for p in paths]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


@transaction.atomic
def units_load(*, provinces: Sequence[str] | None = None, actor: Any = None) -> UnitsLoadResult:
    """Create or update every unit of both eras and the old → new map, from the package.

    Idempotent: a second run changes nothing; renamed units are updated in place (their ids,
    and so every foreign key to them, stay). Units gone from the source are kept (records may
    point at them); mappings gone from the source are deleted. ``provinces`` limits the load to
    some province codes (see :func:`hotich.geo.source.source_read`).
    """
    started = time.perf_counter()
    data = source_read(provinces)
    sources = sorted(data.legacy + data.current, key=lambda s: LEVEL_DEPTH[s.level])

    existing: dict[UnitKey, Unit] = {
        (u.era, u.level, u.code): u
        for u in Unit.objects.only("id", "era", "level", "code", *UNIT_FIELDS)
    }
    ids: dict[UnitKey, int] = {key: unit.pk for key, unit in existing.items()}
    created = updated = 0
    for depth in (0, 1, 2):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for source in (s for s in sources if LEVEL_DEPTH[s.level] == depth):
            parent_key = source.parent_key
            values = _values(source, ids[parent_key] if parent_key else None)
            unit = existing.get(source.key)
            if unit is None:
                to_create.append(
                    Unit(era=source.era, level=source.level, code=source.code, **values)
                )
                continue
            changed = False
            for field, value in values.items():
                if getattr(unit, field) != value:
                    setattr(unit, field, value)
                    changed = True
            if changed:
                to_update.append(unit)
        Unit.objects.bulk_create(to_create, batch_size=500)
        for unit in to_create:
            ids[(unit.era, unit.level, unit.code)] = unit.pk
        if to_update:
            Unit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=500)
        created += len(to_create)
        updated += len(to_update)

    wanted: dict[tuple[int, int], bool] = {
        (ids[m.old_key], ids[m.new_key]): m.is_primary for m in data.mappings
    }
    mappings = UnitMapping.objects.all()
    if provinces is not None:
        legacy_provinces = [s.path for s in data.legacy if s.level == "province"]
        mappings = mappings.filter(_in_provinces("old_unit__", legacy_provinces))
    present: dict[tuple[int, int], UnitMapping] = {
        (m.old_unit_id, m.new_unit_id): m
        for m in mappings.only("id", "old_unit_id", "new_unit_id", "is_primary")
    }
    new_mappings = [
        UnitMapping(old_unit_id=old, new_unit_id=new, is_primary=primary)
        for (old, new), primary in wanted.items()
        if (old, new) not in present
    ]
    changed_mappings: list[UnitMapping] = []
    for pair, mapping in present.items():
        if pair in wanted and mapping.is_primary != wanted[pair]:
            mapping.is_primary = wanted[pair]
            changed_mappings.append(mapping)
    stale = [m.pk for pair, m in present.items() if pair not in wanted]
    UnitMapping.objects.bulk_create(new_mappings, batch_size=500)
    if changed_mappings:
        UnitMapping.objects.bulk_update(changed_mappings, ["is_primary"], batch_size=500)
    for start in range(0, len(stale), 500):
        UnitMapping.objects.filter(pk__in=stale[start : start + 500]).delete()

    result = UnitsLoadResult(
        legacy=len(data.legacy),
        current=len(data.current),
        mappings=len(wanted),
        units_created=created,
        units_updated=updated,
        mappings_created=len(new_mappings),
        mappings_updated=len(changed_mappings),
        mappings_deleted=len(stale),
        seconds=time.perf_counter() - started,
    )
    audit_bulk(
        actor=actor,
        action="bulk",
        object_type="geo.unit",
        object_ids=[],
        legal_basis="Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg",
        detail={
            "legacy": result.legacy,
            "current": result.current,
            "mappings": result.mappings,
            "created": created,
            "updated": updated,
            "mappings_created": result.mappings_created,
            "mappings_updated": result.mappings_updated,
            "mappings_deleted": result.mappings_deleted,
            "provinces": sorted(provinces) if provinces is not None else "all",
        },
    )
    return result
