"""Scope-matrix entries of the portal (see tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _dossier_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.portal.tests.factories import dossier_factory

    return {"dossier_id": dossier_factory(unit=units["b"]).pk}


def _file_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.portal.tests.factories import dossier_factory, file_factory

    dossier = dossier_factory(unit=units["b"])
    return {"dossier_id": dossier.pk, "file_id": file_factory(dossier).pk}


SCOPED = {
    "portal:dossier": _dossier_in_b,
    "portal:dossier_action": _dossier_in_b,
    "portal:dossier_result": _dossier_in_b,
    "portal:dossier_file": _file_in_b,
    # citizen pages: a staff user is no citizen, and a citizen sees only their own dossiers
    "portal:my_dossier": _dossier_in_b,
    "portal:pay": _dossier_in_b,
    "portal:supplement": _dossier_in_b,
    "portal:result": _dossier_in_b,
    "portal:rate": _dossier_in_b,
    "api:portal_dossier": _dossier_in_b,
    "api:portal_dossier_action": _dossier_in_b,
}

PUBLIC = {
    "portal:index",
    "portal:procedure",
    "portal:track",
    "portal:login",
    "portal:logout",
    "payment_standin:checkout",
    "api:portal_procedures",
    "api:portal_procedure",
    "api:portal_status",
    "api:portal_payment_callback",
}
