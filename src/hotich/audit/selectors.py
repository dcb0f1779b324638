"""Reading and checking the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hotich.audit.models import ChainHead, Entry
from hotich.audit.services import GENESIS, compute_hash


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry id={self.entry_id} seq={self.seq}" if self.entry_id else f"seq={self.seq}"
        return f"{where}: {self.reason}"


def audit_chain_verify(batch_size: int = 5000) -> ChainBreak | None:
    """Walk the whole chain; the first break found, or None if it is intact."""
    expected_prev, expected_seq = GENESIS, 1
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            reason = (
                f"thiếu mục {expected_seq} (đã bị xóa?) / entry {expected_seq} missing (deleted?)"
                if entry.seq > expected_seq
                else "số thứ tự sai / out-of-order sequence"
            )
            return ChainBreak(entry.pk, entry.seq, reason)
        if entry.prev_hash != expected_prev:
            return ChainBreak(
                entry.pk,
                entry.seq,
                "không nối với mục trước (bị chèn hoặc xóa) / does not follow the previous entry "
                "(inserted or deleted)",
            )
        if compute_hash(entry) != entry.entry_hash:
            return ChainBreak(
                entry.pk, entry.seq, "nội dung đã bị sửa / content was changed after it was written"
            )
        expected_prev, expected_seq = entry.entry_hash, expected_seq + 1
    head = ChainHead.objects.filter(id=1).first()
    last_seq, last_hash = expected_seq - 1, expected_prev
    if head is None:
        if last_seq:
            return ChainBreak(None, last_seq, "thiếu đầu chuỗi / the chain head is missing")
        return None
    if head.seq != last_seq or head.entry_hash != last_hash:
        return ChainBreak(
            None,
            head.seq,
            f"đầu chuỗi ghi {head.seq} mục, bảng có {last_seq} / the chain head records "
            f"{head.seq} entries, the table holds {last_seq}",
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
