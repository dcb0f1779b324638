"""Reading and checking the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Subquery

from hotich.audit.chain import BEYOND_HEAD, GENESIS, TAIL_MISSING, ChainBreak, compute_hash
from hotich.audit.models import ChainHead, Entry


def _walk(
    entries: QuerySet[Entry], expected_prev: str, expected_seq: int, batch_size: int
) -> tuple[ChainBreak | None, str, int]:
    """Check ``entries`` (in order) continue the chain from ``expected_prev``/``expected_seq``;
    returns the first break and where the walk stopped."""
    for entry in entries.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            reason = (
                f"thiếu mục {expected_seq} (đã bị xóa?) / entry {expected_seq} missing (deleted?)"
                if entry.seq > expected_seq
                else "số thứ tự sai / out-of-order sequence"
            )
            return ChainBreak(entry.pk, entry.seq, reason), expected_prev, expected_seq
        if entry.prev_hash != expected_prev:
            return (
                ChainBreak(
                    entry.pk,
                    entry.seq,
                    "không nối với mục trước (bị chèn hoặc xóa) / does not follow the previous "
                    "entry (inserted or deleted)",
                ),
                expected_prev,
                expected_seq,
            )
        if compute_hash(entry) != entry.entry_hash:
            return (
                ChainBreak(
                    entry.pk,
                    entry.seq,
                    "nội dung đã bị sửa / content was changed after it was written",
                ),
                expected_prev,
                expected_seq,
            )
        expected_prev, expected_seq = entry.entry_hash, expected_seq + 1
    return None, expected_prev, expected_seq


def audit_chain_verify(batch_size: int = 5000) -> ChainBreak | None:
    """Walk the whole chain; the first break found, or None if it is intact.

    Writers may append while the walk runs: when the head has moved past the walked entries,
    the walk goes on over the new ones, and only a head that stays ahead of the table (its
    last entries deleted) or behind it (rows inserted after it) is a break."""
    broken, expected_prev, expected_seq = _walk(Entry.objects.all(), GENESIS, 1, batch_size)
    seen_head: int | None = None
    while broken is None:
        last_seq = expected_seq - 1
        head = ChainHead.objects.filter(id=1).first()
        if head is None:
            if last_seq:
                return ChainBreak(None, last_seq, "thiếu đầu chuỗi / the chain head is missing")
            return None
        if head.seq > last_seq and head.seq != seen_head:  # appended while walking
            seen_head = head.seq
            broken, expected_prev, expected_seq = _walk(
                Entry.objects.filter(seq__gt=last_seq), expected_prev, expected_seq, batch_size
            )
            continue
        if head.seq < last_seq:
            stray = Entry.objects.filter(seq__gt=head.seq).order_by("seq").first()
            assert stray is not None
            return ChainBreak(stray.pk, stray.seq, BEYOND_HEAD)
        if head.seq != last_seq or head.entry_hash != expected_prev:
            return ChainBreak(
                None,
                head.seq,
                f"đầu chuỗi ghi {head.seq} mục, bảng có {last_seq} / the chain head records "
                f"{head.seq} entries, the table holds {last_seq}",
            )
        return None
    return broken


def audit_chain_status() -> ChainBreak | None:
    """Cheap (for health checks and the auditor's page): the break kept on the chain head (by
    an append that met it, or by the last full check), else whether the table's last entry
    matches the head. An edit inside the chain shows here only after a full check."""
    last = Entry.objects.order_by("-seq")
    head = (
        ChainHead.objects.filter(id=1)
        .annotate(
            last_id=Subquery(last.values("pk")[:1]),
            last_seq=Subquery(last.values("seq")[:1]),
            last_hash=Subquery(last.values("entry_hash")[:1]),
        )
        .first()
    )
    if head is None:
        first = Entry.objects.order_by("seq").first()
        if first is None:
            return None
        return ChainBreak(first.pk, first.seq, "thiếu đầu chuỗi / the chain head is missing")
    if head.broken_seq is not None or head.broken_reason:
        return ChainBreak(head.broken_entry_id, head.broken_seq, head.broken_reason)
    last_seq = head.last_seq or 0
    if last_seq > head.seq:
        stray = Entry.objects.filter(seq__gt=head.seq).order_by("seq").first()
        if stray is not None:
            return ChainBreak(stray.pk, stray.seq, BEYOND_HEAD)
    if last_seq < head.seq:
        return ChainBreak(None, last_seq + 1, TAIL_MISSING)
    if last_seq and head.last_hash != head.entry_hash:
        return ChainBreak(
            head.last_id,
            last_seq,
            "nội dung đã bị sửa / content was changed after it was written",
        )
    return None


def entry_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Entry]:
    """Entries newest first, filtered by the auditor's form (user, action, object, dates)."""
    qs = Entry.objects.order_by("-seq")
    f = filters or {}
    if f.get("username"):
        qs = qs.filter(username=f["username"])
    if f.get("action"):
        qs = qs.filter(action=f["action"])
    if f.get("object_type"):
        qs = qs.filter(object_type=f["object_type"])
    if f.get("object_id"):
        qs = qs.filter(object_id=f["object_id"])
    if f.get("date_from"):
        qs = qs.filter(at__date__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(at__date__lte=f["date_to"])
    return qs
