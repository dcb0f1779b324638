"""Scope-matrix entries of linkage: every object URL, with its object made in commune B."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _run(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.linkage.tests.factories import run_in

    return {"run_id": run_in(units["b"]).pk}


def _pair(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.linkage.tests.factories import pair_in

    return {"pair_id": pair_in(units["b"]).pk}


def _disagreement(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.linkage.tests.factories import disagreement_in

    return {"disagreement_id": disagreement_in(units["b"]).pk}


SCOPED = {
    "linkage:run": _run,
    "linkage:pair": _pair,
    "linkage:disagreement": _disagreement,
    "api:linkage_run": _run,
    "api:linkage_pair": _pair,
    "api:linkage_pair_decide": _pair,
    "api:linkage_disagreement_resolve": _disagreement,
}
PUBLIC: set[str] = set()
