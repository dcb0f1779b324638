"""Digitization progress of the historic register books, per unit (today's commune holding the
book), a definition of the indicator engine (ADR 0035): the form ``SHS-Q`` (``report_forms``),
its computed indicators (books, pages, the entries of the closing totals, the entries marked
and at each step) read through ``sources.digitization_values`` (three grouped queries for the
whole tree: a state, not a period)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hotich.accounts.actors import Actor
from hotich.geo.selectors import units_below
from hotich.reporting.civil_status import (
    Values,
    check_report_access,
    columns,
    report_form,
    rows_total,
)
from hotich.reporting.report_forms import DIGITIZATION_FORM, STEPS
from hotich.reporting.sources import digitization_values

if TYPE_CHECKING:
    from hotich.geo.models import Unit

STAGES = tuple(code for code, _vi, _en in STEPS)
#: the row's figures → the report's column codes (``report_forms.DIGITIZATION``)
FIGURES = {"books": "SO_SO", "pages": "SO_TRANG", "expected": "MUC_THEO_SO",
           "entries": "MUC_DANH_DAU"}  # fmt: skip


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


@dataclass
class DigitizationProgress:
    unit: Unit
    rows: list[ProgressRow]
    total: ProgressRow


def digitization_progress(*, actor: Actor, unit: Unit) -> DigitizationProgress:
    """One row per unit under ``unit`` (and itself) holding historic books in the actor's
    scope, by path, and their total by each indicator's rule over units."""
    check_report_access(actor, unit)
    form, indicators = report_form(DIGITIZATION_FORM)
    cols, _dimensions = columns(form, indicators)
    cell = {c.code: (c.indicator.pk, c.combo) for c in cols}
    units = list(units_below(unit, include_self=True).only("pk", "name", "path").order_by("path"))
    values = digitization_values(indicators, {u.pk: [u.pk] for u in units}, actor=actor)

    def row(pk: int, name: str, raw: Values) -> ProgressRow:
        def n(code: str) -> int:
            return int(raw.get(cell[code]) or 0)

        figures = {name: n(code) for name, code in FIGURES.items()}
        return ProgressRow(pk, name, **figures, stages={s: n(s.upper()) for s in STAGES})

    rows = [row(u.pk, u.name, values[u.pk]) for u in units]
    rows = [r for r in rows if r.books]
    total = row(unit.pk, unit.name, rows_total([values[r.unit_id] for r in rows], indicators))
    return DigitizationProgress(unit=unit, rows=rows, total=total)
