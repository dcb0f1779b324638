"""The hash chain of the audit log: the canonical content of an entry, its hash, and where the
chain breaks. Writing entries is :mod:`hotich.audit.services`, walking the chain
:mod:`hotich.audit.selectors`; both build on this."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from hotich.audit.models import Entry

GENESIS = "0" * 64
BEYOND_HEAD = "mục nằm sau đầu chuỗi (bị chèn?) / an entry beyond the chain head (inserted?)"
TAIL_MISSING = "thiếu các mục cuối (bị xóa?) / the last entries are missing (deleted?)"
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


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain is broken: the first entry that does not fit, and why (the reason holds
    sequence numbers only, never an entry's content)."""

    entry_id: int | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry id={self.entry_id} seq={self.seq}" if self.entry_id else f"seq={self.seq}"
        return f"{where}: {self.reason}"


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
