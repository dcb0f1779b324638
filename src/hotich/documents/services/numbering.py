"""Document numbers: one counter per unit, year and series, locked while a number is taken."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from hotich.documents.models import Counter, Document
from hotich.documents.vocabulary import (
    DEFAULT_AGENCY_ABBREV,
    DocType,
    issuing_body,
)

if TYPE_CHECKING:
    from hotich.geo.models import Unit

INCOMING_SERIES = "den"


def next_sequence(unit: Unit, year: int, series: str) -> int:
    """The next number of ``series`` in ``unit``'s register for ``year``; the counter row is
    locked until the transaction ends, so two documents never get the same number."""
    counter, _created = Counter.objects.select_for_update().get_or_create(
        unit=unit, year=year, series=series
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def format_number(
    sequence: int, doc_type: str, section_abbrev: str, agency: str = DEFAULT_AGENCY_ABBREV
) -> str:
    """``12/QĐ-UBND``; a People's Council's ``3/NQ-HĐND``; a công văn ``123/UBND-TP``
    (agency, then drafting section)."""
    if doc_type == DocType.OFFICIAL_LETTER:
        return f"{sequence}/{agency}-{section_abbrev}"
    return f"{sequence}/{doc_type}-{agency}"


def number_document(document: Document, now: dt.datetime) -> dt.date:
    """Number the document in its body's register: the People's Council keeps its own series
    (``NQ-HĐND``), apart from the People's Committee's of the same unit."""
    today = timezone.localdate(now)
    agency, _name = issuing_body(document.organization)
    series = (
        document.doc_type if agency == DEFAULT_AGENCY_ABBREV else f"{document.doc_type}-{agency}"
    )
    document.year = today.year
    document.sequence = next_sequence(document.unit, today.year, series)
    document.number = format_number(
        document.sequence, document.doc_type, document.section_abbrev, agency
    )
    document.dated = today
    return today
