"""Build an :class:`ExtractDocument` from a registry record's current values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from hotich.agencies.selectors import user_position
from hotich.core.text import lower_first, vn_long_date
from hotich.registry.dates import PartialDate
from hotich.registry.extracts.document import ExtractDocument, Kind
from hotich.registry.extracts.layouts import (
    RecordData,
    document_kind,
    event_label,
    format_date,
    number_suffix,
    sections_for,
)
from hotich.registry.models import Record
from hotich.registry.services import current_values
from hotich.signing.services import verify_url

PREVIEW_CODE = "XEM-TRUOC"

SIGNER_HEADINGS = {
    Kind.BIRTH_CERTIFICATE: "Người ký giấy khai sinh",
    Kind.MARRIAGE_CERTIFICATE: "Người ký giấy chứng nhận kết hôn",
    Kind.EXTRACT: "Người ký trích lục",
}


def authority_name(unit: Any) -> str:
    """``Ủy ban nhân dân xã Nghi Phú, tỉnh Nghệ An`` from a ``geo.Unit`` (its name and its
    parents' names)."""
    names: list[str] = []
    current = unit
    while current is not None:
        names.append(lower_first(str(current.name)))
        current = current.parent
    return "Ủy ban nhân dân " + ", ".join(names)


def place_name(unit: Any) -> str:
    return str(getattr(unit, "short_name", "") or unit.name)


def registration_text(value: PartialDate | None) -> str:
    if value is None:
        return ""
    if value.day is not None:
        return vn_long_date(value.first_day())
    if value.month is not None:
        return f"tháng {value.month} năm {value.year}"
    return f"năm {value.year}"


def book_text(record: Record) -> str:
    book = record.book
    if book is None:
        return ""
    return f"{book.volume:02d}/{book.year}"


def margin_notes(record: Record) -> tuple[str, ...]:
    notes = []
    for amendment in record.amendments.all():
        text = amendment.note or "Thay đổi, cải chính hộ tịch"
        basis = f" (căn cứ: {amendment.legal_basis})" if amendment.legal_basis else ""
        notes.append(f"Ngày {format_date(amendment.amended_on)}: {text}{basis}.")
    return tuple(notes)


def extract_document_for(
    record: Record,
    *,
    copy: bool,
    number: str = "",
    verify_code: str = PREVIEW_CODE,
    issuing_unit: Any = None,
    issue_date: dt.date | None = None,
    signer: Any = None,
) -> ExtractDocument:
    """The paper for ``record`` as it stands today (margin notes applied).

    ``number`` and ``verify_code`` are given by ``extract_issue``; without them the document
    is a preview. ``issuing_unit`` defaults to the unit that holds the record. ``signer``, the
    staff user who signs it, is printed under the heading: their position and name (the
    settings ``HOTICH_EXTRACT_SIGNER_NAME``/``_TITLE`` win; an original issued by the system
    names the record's signer).
    """
    values = current_values(record)
    data = RecordData(
        event_type=record.event_type,
        parties=values.get("parties", {}),
        data=values.get("data", {}),
    )
    kind = document_kind(record.event_type, copy=copy)
    unit = issuing_unit or record.unit
    registering_unit = record.book.unit if record.book is not None else record.unit
    signer_name = str(getattr(settings, "HOTICH_EXTRACT_SIGNER_NAME", "") or "")
    signer_title = str(getattr(settings, "HOTICH_EXTRACT_SIGNER_TITLE", "") or "")
    full_name = getattr(signer, "full_name", "") or getattr(signer, "username", "")
    if not signer_name and full_name:
        signer_name, position = full_name, user_position(signer)
        signer_title = signer_title or (
            f"{SIGNER_HEADINGS[kind]}\n{position}" if position else SIGNER_HEADINGS[kind]
        )
    if not copy and not signer_name:
        signer_name, signer_title = record.signer_name, record.signer_title or signer_title
    return ExtractDocument(
        kind=kind,
        is_copy=copy,
        issuing_authority=authority_name(unit),
        event_label=event_label(record.event_type),
        number=number or f"…/{number_suffix(record.event_type, copy=copy)}",
        book=book_text(record),
        entry_number=str(record.entry_number or ""),
        registration_date=registration_text(record.registration),
        sections=sections_for(data),
        place_of_issue=place_name(unit),
        issue_date=issue_date or timezone.localdate(),
        signer_title=signer_title or SIGNER_HEADINGS[kind],
        signer_name=signer_name,
        verify_code=verify_code,
        verify_url=verify_url(verify_code),
        notes=margin_notes(record),
        registering_authority=authority_name(registering_unit),
    )
