"""Scope-matrix entries of the organizations (see tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

_codes = count(70)


def _organization_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.agencies.services import organization_create

    organization = organization_create(
        actor=None,
        code=f"000.00.{next(_codes) % 100:02d}.H41",
        name="Ủy ban nhân dân xã Quế Phong",
        kind="ubnd",
        unit=units["b"],
    )
    return {"organization_id": organization.pk}


def _membership_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.accounts.vocabulary import Role
    from hotich.agencies.models import Organization
    from hotich.agencies.services import membership_add

    organization = Organization.objects.get(
        pk=_organization_in_b(units, make_user)["organization_id"]
    )
    user = make_user(Role.OFFICER, units["b"])
    membership = membership_add(
        actor=None, user=user, organization=organization, position="chuyen_vien"
    )
    return {"membership_id": membership.pk}


SCOPED = {
    "agencies:detail": _organization_in_b,
    "agencies:switch": _membership_in_b,
}
