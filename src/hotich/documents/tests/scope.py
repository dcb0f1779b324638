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


def _organization_in_b(units: dict[str, Any]) -> Any:
    from hotich.agencies.selectors import organization_by_code
    from hotich.agencies.services import organization_create
    from hotich.agencies.vocabulary import OrganizationKind

    return organization_by_code("000.00.00.X99") or organization_create(
        actor=None,
        code="000.00.00.X99",
        name="Ủy ban nhân dân xã B",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        unit=units["b"],
    )


def _file_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.accounts.vocabulary import Role
    from hotich.documents.models import WorkFile

    work_file = WorkFile.objects.create(
        organization=_organization_in_b(units),
        unit=units["b"],
        year=2026,
        code=f"{WorkFile.objects.count() + 1:02}.VP",
        title="Hồ sơ hội nghị",
        responsible=make_user(Role.OFFICER, units["b"]),
    )
    return {"file_id": work_file.pk}


def _handover_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.documents.models import Handover

    handover = Handover.objects.create(organization=_organization_in_b(units), year=2025)
    return {"handover_id": handover.pk, "kind": "pdf"}


SCOPED = {
    "office:file": _file_in_b,
    "office:file_add": _file_in_b,
    "office:file_remove": _file_in_b,
    "office:file_action": _file_in_b,
    "office:handover_file": _handover_in_b,
    "documents:comment": _document_in_b,
    "office:task": _task_in_b,
    "office:task_action": _task_in_b,
    "documents:document": _document_in_b,
    "documents:edit": _document_in_b,
    "documents:transition": _document_in_b,
    "documents:file": _document_in_b,
    "documents:put_in_file": _document_in_b,
    "api:documents_detail": _document_in_b,
    "api:documents_action": _document_in_b,
    "api:documents_file": _document_in_b,
}

# an agency's public work calendar (its public entries only)
PUBLIC: set[str] = {"office:calendar_public"}
