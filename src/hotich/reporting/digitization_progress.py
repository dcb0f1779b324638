"""Digitization progress of the historic register books, per unit (today's commune holding the
book), read through ``hotich.digitization.selectors`` (``books_in_scope`` and
``book_progress``, one call per book: a state, not a period)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hotich.accounts.actors import Actor
from hotich.digitization.selectors import book_progress, books_in_scope
from hotich.geo.selectors import within_unit
from hotich.reporting.civil_status import check_report_access

if TYPE_CHECKING:
    from hotich.geo.models import Unit

STAGES = ("new", "keyed_once", "arbitration", "verified", "published")


@dataclass
class ProgressRow:
    unit_id: int
    unit_name: str
    books: int = 0
    pages: int = 0
    expected: int = 0  # entries the closed paper books hold (their closing totals)
    entries: int = 0  # entries marked on the page images
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    @property
    def published_share(self) -> float | None:
        """Published entries over the larger of the closing totals and the marked entries."""
        base = max(self.expected, self.entries)
        return round(100 * self.stages["published"] / base, 1) if base else None

    def add(self, other: ProgressRow) -> None:
        self.books += other.books
        self.pages += other.pages
        self.expected += other.expected
        self.entries += other.entries
        for stage in STAGES:
            self.stages[stage] += other.stages[stage]


@dataclass
class DigitizationProgress:
    unit: Unit
    rows: list[ProgressRow]
    total: ProgressRow


def digitization_progress(*, actor: Actor, unit: Unit) -> DigitizationProgress:
    check_report_access(actor, unit)
    books = within_unit(books_in_scope(actor), unit, "scope_unit")
    rows: dict[int, ProgressRow] = {}
    for book in books.order_by("scope_unit__path", "year", "pk"):
        counts = book_progress(book)
        row = rows.get(book.scope_unit_id)
        if row is None:
            row = rows[book.scope_unit_id] = ProgressRow(book.scope_unit_id, book.scope_unit.name)
        row.books += 1
        row.pages += counts.get("pages", 0)
        row.entries += counts.get("entries", 0)
        row.expected += book.total_entries or 0
        for stage in STAGES:
            row.stages[stage] += counts.get(stage, 0)
    total = ProgressRow(unit.pk, unit.name)
    for row in rows.values():
        total.add(row)
    return DigitizationProgress(unit=unit, rows=list(rows.values()), total=total)
