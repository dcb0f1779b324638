"""Scope-matrix entries of the document register (see tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _document_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.documents.tests.factories import outgoing_factory

    return {"document_id": outgoing_factory(units["b"]).pk}


def _task_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from django.utils import timezone

    from hotich.accounts.vocabulary import Role
    from hotich.documents.models import Task

    owner = make_user(Role.OFFICER, units["b"])
    task = Task.objects.create(
        unit=units["b"], title="Rà soát sổ", owner=owner, deadline=timezone.localdate()
    )
    return {"task_id": task.pk}


SCOPED = {
    "documents:comment": _document_in_b,
    "office:task": _task_in_b,
    "office:task_action": _task_in_b,
    "documents:document": _document_in_b,
    "documents:edit": _document_in_b,
    "documents:transition": _document_in_b,
    "documents:file": _document_in_b,
    "api:documents_detail": _document_in_b,
    "api:documents_action": _document_in_b,
    "api:documents_file": _document_in_b,
}

# an agency's public work calendar (its public entries only)
PUBLIC: set[str] = {"office:calendar_public"}
