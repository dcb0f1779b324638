"""A small organization tree for tests: the province's People's Committee, Sở Tư pháp with a
section, and a commune's People's Committee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotich.agencies.models import Organization
from hotich.agencies.services import organization_create
from hotich.agencies.vocabulary import OrganizationKind


@dataclass(frozen=True)
class Tree:
    province: Organization
    justice: Organization
    civil_status: Organization
    commune: Organization
    commune_b: Organization


#: code, name, short name, kind, unit key, parent (an earlier row's index)
ROWS: list[tuple[str, str, str, str, str, int | None]] = [
    ("000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "UBND tỉnh",
     OrganizationKind.PEOPLES_COMMITTEE, "province", None),
    ("000.00.17.H41", "Sở Tư pháp tỉnh Nghệ An", "STP", OrganizationKind.DEPARTMENT,
     "province", 0),
    ("000.01.17.H41", "Phòng Hành chính tư pháp", "HCTP", OrganizationKind.SECTION,
     "province", 1),
    ("000.00.31.H41", "Ủy ban nhân dân phường Thành Vinh", "UBND phường Thành Vinh",
     OrganizationKind.PEOPLES_COMMITTEE, "a", 0),
    ("000.00.32.H41", "Ủy ban nhân dân xã Quế Phong", "UBND xã Quế Phong",
     OrganizationKind.PEOPLES_COMMITTEE, "b", 0),
]  # fmt: skip


def make_tree(units: dict[str, Any]) -> Tree:
    made: list[Organization] = []
    for code, name, short_name, kind, unit, parent in ROWS:
        made.append(
            organization_create(
                actor=None,
                code=code,
                name=name,
                short_name=short_name,
                kind=kind,
                unit=units[unit],
                parent=None if parent is None else made[parent],
            )
        )
    return Tree(*made)
