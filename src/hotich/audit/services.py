"""Writing to the audit log. Every context records its writes and its reads of personal data
through :func:`audit_record` (one entry) or :func:`audit_bulk` (one entry for a batch)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hotich.audit.chain import BEYOND_HEAD, TAIL_MISSING, ChainBreak, canonical_json, compute_hash
from hotich.audit.models import ChainHead, Entry
from hotich.audit.selectors import audit_chain_verify
from hotich.audit.vocabulary import Action
from hotich.core.middleware import current_request_id

logger = logging.getLogger(__name__)


def _keep_break(head: ChainHead, broken: ChainBreak | None, *, replace: bool = False) -> bool:
    """Keep ``broken`` on the head (the first one, unless ``replace``: a full walk knows best),
    or clear the kept one when the full walk found the chain intact. True when a break not
    kept before was kept now."""
    fields = ["broken_seq", "broken_entry_id", "broken_reason", "broken_since"]
    known = head.broken_seq is not None or bool(head.broken_reason)
    if broken is None:
        if known:
            head.broken_seq = head.broken_entry_id = head.broken_since = None
            head.broken_reason = ""
            head.save(update_fields=fields)
        return False
    if known and (
        not replace or (head.broken_seq, head.broken_entry_id) == (broken.seq, broken.entry_id)
    ):
        return False
    head.broken_seq, head.broken_entry_id = broken.seq, broken.entry_id
    head.broken_reason = broken.reason[:300]
    head.broken_since = timezone.now()
    head.save(update_fields=fields)
    return True


def _note_break(head: ChainHead, broken: ChainBreak) -> None:
    """A break an append met: kept, and said once at ERROR (sequence numbers only)."""
    if _keep_break(head, broken):
        logger.error(
            "Audit chain broken at %s; audited writes go on: run `hotich audit verify`", broken
        )


def state_hash(state: Mapping[str, Any] | None) -> str:
    """SHA-256 of an object's state, canonical JSON; empty when there is no state."""
    if state is None:
        return ""
    return hashlib.sha256(canonical_json(state).encode()).hexdigest()


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
    # The table's own last number, not only the head's: a row someone inserted after the head
    # must not make every later write fail on the unique sequence number. The chain goes on
    # from the head's hash, so the check still finds the stray row; the break is kept and said.
    last_seq = Entry.objects.aggregate(last=Max("seq"))["last"] or 0
    if last_seq > head.seq:
        stray = Entry.objects.filter(seq__gt=head.seq).order_by("seq").first()
        assert stray is not None
        _note_break(head, ChainBreak(stray.pk, stray.seq, BEYOND_HEAD))
    elif last_seq < head.seq:
        _note_break(head, ChainBreak(None, last_seq + 1, TAIL_MISSING))
    user = actor if getattr(actor, "is_authenticated", False) else None
    unit = getattr(user, "unit", None)
    entry = Entry(
        seq=max(head.seq, last_seq) + 1,
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


def audit_chain_recheck() -> ChainBreak | None:
    """Walk the whole chain (``selectors.audit_chain_verify``) and keep the outcome on the head:
    the first break, or none once the chain is intact again (after a repair or a restore).
    What ``hotich audit verify``, the background check and the auditor's check button run."""
    broken = audit_chain_verify()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        _keep_break(head, broken, replace=True)
    return broken


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
