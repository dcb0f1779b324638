"""Scope-matrix entries of the reporting context (tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _submission_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.reporting.models import Submission

    revision = Submission.objects.count() + 1
    submission = Submission.objects.create(
        report="civil_status",
        form_code="HT-01/BTP",
        regime="yearly",
        period_code="2025-Y",
        unit=units["b"],
        revision=revision,
        idempotency_key=f"scope-{units['b'].pk}-{revision}",
        payload={},
        payload_sha256="0" * 64,
        status="failed",
    )
    return {"submission_id": submission.pk}


def _saved_view_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.reporting.models import SavedView

    owner = make_user("officer", units["b"])
    view = SavedView.objects.create(name="Xã B", owner=owner, query={"bieu": "KTXH-01"})
    return {"view_id": view.pk}


SCOPED = {
    "reporting:view_open": _saved_view_in_b,
    "reporting:view_delete": _saved_view_in_b,
    "reporting:submission": _submission_in_b,
    "reporting:resubmit": _submission_in_b,
    "reporting:refresh": _submission_in_b,
    "api:reporting_submission": _submission_in_b,
    "api:reporting_submission_resubmit": _submission_in_b,
    "api:reporting_submission_status": _submission_in_b,
}
PUBLIC: set[str] = set()
