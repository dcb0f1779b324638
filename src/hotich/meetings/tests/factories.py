"""A People's Council with delegates and a party committee with a cell, for the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.utils import timezone

from hotich.accounts.vocabulary import Role
from hotich.agencies.demo import tree_create
from hotich.agencies.models import Organization
from hotich.agencies.services import membership_add

_codes = count(10)


@dataclass
class Body:
    organization: Organization
    chair: Any
    secretary: Any
    members: list[Any] = field(default_factory=list)


def body(
    units: dict[str, Any], make_user: Any, *, kind: str, size: int, unit: str = "province"
) -> Body:
    """An organization of ``kind`` with ``size`` members: the first is the chair (a signer), the
    second the secretary."""
    code = f"000.00.{next(_codes) % 100:02d}.H42"
    organization = tree_create(f"{code} | - | {kind} | {unit} | Tổ chức {code} | TC", units=units)[
        code
    ]
    people = []
    for index in range(size):
        role = Role.SIGNER if index == 0 else Role.PROVINCE
        user = make_user(role, units[unit], full_name=f"Thành viên {index + 1}")
        position = (
            "chu_tich" if index == 0 else ("chanh_van_phong" if index == 1 else "chuyen_vien")
        )
        if kind == "chi_bo":
            position = "bi_thu" if index == 0 else ("pho_bi_thu" if index == 1 else "dang_vien")
        membership_add(
            actor=None, user=user, organization=organization, position=position, primary=True
        )
        people.append(user)
    return Body(organization, people[0], people[1], people)


def tomorrow() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)
