"""Writing to the audit log. Every context records its writes and its reads of personal data
through :func:`audit_record` (one entry) or :func:`audit_bulk` (one entry for a batch)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from hotich.audit.models import Action, ChainHead, Entry
from hotich.core.middleware import current_request_id

GENESIS = "0" * 64
CANONICAL_FIELDS = (
    "seq",
    "at",
    "user_id_snapshot",
    "username",
    "role",
    "unit_path",
    "action",
    "object_type",
    "object_id",
    "before_hash",
    "after_hash",
    "request_id",
    "legal_basis",
    "detail",
    "prev_hash",
)


def state_hash(state: Mapping[str, Any] | None) -> str:
    """SHA-256 of an object's state, canonical JSON; empty when there is no state."""
    if state is None:
        return ""
    return hashlib.sha256(canonical_json(state).encode()).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_content(entry: Entry) -> dict[str, Any]:
    content = {name: getattr(entry, name) for name in CANONICAL_FIELDS}
    content["at"] = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return content


def compute_hash(entry: Entry) -> str:
    return hashlib.sha256(
        (entry.prev_hash + canonical_json(entry_content(entry))).encode()
    ).hexdigest()


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    action: str | Action,
    object_type: str = "",
    object_id: Any = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    legal_basis: str = "",
    detail: Mapping[str, Any] | None = None,
) -> Entry:
    """Append one entry. ``actor`` is a user (or None for the system). ``before``/``after`` are
    the object's state; only their hashes are stored, so the log itself holds no personal data.
    ``detail`` must not hold personal data either (ids, counts, codes)."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    user = actor if getattr(actor, "is_authenticated", False) else None
    unit = getattr(user, "unit", None)
    entry = Entry(
        seq=head.seq + 1,
        at=timezone.now(),
        user_id_snapshot=user.pk if user else None,
        username=user.get_username() if user else "",
        role=getattr(user, "role", "") or "",
        unit_path=unit.path if unit is not None else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        before_hash=state_hash(before),
        after_hash=state_hash(after),
        request_id=current_request_id() if current_request_id() != "-" else "",
        legal_basis=legal_basis,
        detail=json.loads(canonical_json(dict(detail or {}))),
        prev_hash=head.entry_hash,
    )
    entry.entry_hash = compute_hash(entry)
    entry.save(force_insert=True)
    head.seq, head.entry_hash = entry.seq, entry.entry_hash
    head.save(update_fields=["seq", "entry_hash"])
    return entry


def audit_bulk(
    *,
    actor: Any,
    action: str | Action,
    object_type: str,
    object_ids: Iterable[Any],
    legal_basis: str = "",
    detail: Mapping[str, Any] | None = None,
) -> Entry:
    """One entry for a batch write or read: the ids are hashed in order, and counted."""
    ids = [str(i) for i in object_ids]
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=f"{len(ids)} objects",
        after={"ids": ids},
        legal_basis=legal_basis,
        detail={**dict(detail or {}), "count": len(ids)},
    )
