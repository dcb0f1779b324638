"""Scope-matrix entries of document interconnection (see tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _document_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.documents.tests.factories import outgoing_factory

    return {"document_id": outgoing_factory(units["b"], status="issued").pk}


def _package_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.agencies.services import organization_create
    from hotich.interconnect.models import Package

    agency = organization_create(
        actor=None, code="000.00.32.H41", name="Ủy ban nhân dân xã", kind="ubnd", unit=units["b"]
    )
    package = Package.objects.create(
        direction="in",
        document_key="6b1f2c3d-0000-5000-8000-000000000001",
        from_code="000.00.07.H41",
        to_code=agency.code,
        state="03",
    )
    return {"package_id": package.pk}


SCOPED = {
    "interconnect:send": _document_in_b,
    "interconnect:return": _package_in_b,
}

PUBLIC: set[str] = set()
