"""Legacy import URLs for the scope matrix (tests/test_scope_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _batch_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.legacy.services import import_batch_create
    from hotich.legacy.tests.sheets import BIRTH_HEADERS, BIRTH_ROWS, csv_bytes

    officer = make_user("officer", units["b"])
    batch = import_batch_create(
        actor=officer,
        file_name="so.csv",
        content=csv_bytes(BIRTH_HEADERS, BIRTH_ROWS[:1]),
        event_type="birth",
    )
    return {"batch_id": batch.pk}


SCOPED = {
    "legacy:batch": _batch_in_b,
    "legacy:accept": _batch_in_b,
    "legacy:discard": _batch_in_b,
}
PUBLIC: set[str] = set()
