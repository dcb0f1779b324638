"""A small organization tree for tests: the province's People's Committee, Sở Tư pháp with a
section, and a commune's People's Committee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotich.agencies.demo import tree_create
from hotich.agencies.models import Organization


@dataclass(frozen=True)
class Tree:
    province: Organization
    justice: Organization
    civil_status: Organization
    commune: Organization
    commune_b: Organization


TABLE = """
000.00.00.H41 | - | ubnd | province | Ủy ban nhân dân tỉnh Nghệ An | UBND tỉnh
000.00.17.H41 | 000.00.00.H41 | so | province | Sở Tư pháp tỉnh Nghệ An | STP
000.01.17.H41 | 000.00.17.H41 | phong | province | Phòng Hành chính tư pháp | HCTP
000.00.31.H41 | 000.00.00.H41 | ubnd | a | Ủy ban nhân dân phường Thành Vinh | UBND phường
000.00.32.H41 | 000.00.00.H41 | ubnd | b | Ủy ban nhân dân xã Quế Phong | UBND xã
"""


def make_tree(units: dict[str, Any]) -> Tree:
    return Tree(*tree_create(TABLE, units=units).values())
