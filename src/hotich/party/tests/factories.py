"""A party committee with cells, its keepers (secretaries) and members, for the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from hotich.accounts.vocabulary import Role
from hotich.agencies.demo import tree_create
from hotich.agencies.models import Organization
from hotich.agencies.services import membership_add
from hotich.party import services
from hotich.party.models import Member

_codes = count(10)
_names = count(1)


@dataclass
class Committee:
    organization: Organization
    secretary: Any
    cells: list[Organization] = field(default_factory=list)
    cell_secretaries: list[Any] = field(default_factory=list)


def committee(
    units: dict[str, Any], make_user: Any, *, cells: int = 2, unit: str = "province"
) -> Committee:
    """A committee with ``cells`` cells; the committee's secretary and each cell's keep the
    records (signers, who may see party data)."""
    number = next(_codes) % 100
    root = f"000.00.{number:02d}.H43"
    lines = [f"{root} | - | dang_uy | {unit} | Đảng ủy {number} | ĐU{number}"]
    lines += [
        f"000.{i + 1:02d}.{number:02d}.H43 | {root} | chi_bo | {unit} | Chi bộ {number}.{i + 1} "
        f"| CB{number}.{i + 1}"
        for i in range(cells)
    ]
    made = tree_create("\n".join(lines), units=units)
    secretary = make_user(Role.SIGNER, units[unit], full_name="Bí thư Đảng ủy")
    membership_add(actor=None, user=secretary, organization=made[root], position="bi_thu")
    result = Committee(made[root], secretary)
    for i in range(cells):
        cell = made[f"000.{i + 1:02d}.{number:02d}.H43"]
        keeper = make_user(Role.OFFICER, units[unit], full_name=f"Bí thư chi bộ {i + 1}")
        membership_add(actor=None, user=keeper, organization=cell, position="bi_thu")
        result.cells.append(cell)
        result.cell_secretaries.append(keeper)
    return result


def member(cell: Organization, **fields: Any) -> Member:
    n = next(_names)
    values: dict[str, Any] = {
        "full_name": f"Nguyễn Văn Thử {n}",
        "sex": "male",
        "birth_date": dt.date(1980, 5, 1 + n % 28),
        "admitted_on": dt.date(2010, 3, 1),
        "official_on": dt.date(2011, 3, 1),
        "card_number": f"T{n:08d}",
    }
    values.update(fields)
    return services.member_create(actor=None, cell=cell, **values)
