"""Small makers for the register's tests (plain functions: a document needs only a unit)."""

from __future__ import annotations

from typing import Any

from hotich.documents.models import Document
from hotich.documents.vocabulary import Direction, DocType, Status


def outgoing_factory(unit: Any, **extra: Any) -> Document:
    values: dict[str, Any] = {
        "direction": Direction.OUTGOING,
        "unit": unit,
        "doc_type": DocType.REPORT,
        "status": Status.DRAFT,
        "title": "Báo cáo công tác hộ tịch quý I",
        "body": "Ủy ban nhân dân báo cáo kết quả đăng ký hộ tịch.",
        "recipient_name": "Sở Tư pháp",
    }
    values.update(extra)
    return Document.objects.create(**values)


def incoming_factory(unit: Any, **extra: Any) -> Document:
    values: dict[str, Any] = {
        "direction": Direction.INCOMING,
        "unit": unit,
        "doc_type": DocType.OFFICIAL_LETTER,
        "status": Status.RECEIVED,
        "title": "Hướng dẫn số hóa sổ hộ tịch",
        "sender_name": "Sở Tư pháp tỉnh Nghệ An",
        "sender_number": "45/STP-HCTP",
        "number": "1",
        "sequence": 1,
        "year": 2026,
    }
    values.update(extra)
    return Document.objects.create(**values)
