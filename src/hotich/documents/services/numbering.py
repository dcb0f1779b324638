"""Document numbers: one counter per unit, year and series, locked while a number is taken."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from hotich.documents.models import Counter, Document
from hotich.documents.vocabulary import (
    DEFAULT_AGENCY_ABBREV,
    DocType,
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


def format_number(sequence: int, doc_type: str, section_abbrev: str) -> str:
    """``12/QĐ-UBND``; a công văn ``123/UBND-TP`` (agency, then drafting section)."""
    if doc_type == DocType.OFFICIAL_LETTER:
        return f"{sequence}/{DEFAULT_AGENCY_ABBREV}-{section_abbrev}"
    return f"{sequence}/{doc_type}-{DEFAULT_AGENCY_ABBREV}"


def number_document(document: Document, now: dt.datetime) -> dt.date:
    today = timezone.localdate(now)
    document.year = today.year
    document.sequence = next_sequence(document.unit, today.year, document.doc_type)
    document.number = format_number(document.sequence, document.doc_type, document.section_abbrev)
    document.dated = today
    return today
