"""Scope-matrix entries of the document register (see tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _document_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.documents.tests.factories import outgoing_factory

    return {"document_id": outgoing_factory(units["b"]).pk}


SCOPED = {
    "documents:document": _document_in_b,
    "documents:edit": _document_in_b,
    "documents:transition": _document_in_b,
    "documents:file": _document_in_b,
    "api:documents_detail": _document_in_b,
    "api:documents_action": _document_in_b,
    "api:documents_file": _document_in_b,
}

PUBLIC: set[str] = set()
