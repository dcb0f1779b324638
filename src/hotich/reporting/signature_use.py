"""Signature use per unit and quarter, ranked for the quarterly commendation.

A definition of the indicator engine (ADR 0035): the form ``KSO-Q`` (``report_forms``), its
computed indicators (documents signed digitally, by kind, and the officials who signed) read for
each issuing unit through ``sources.signature_values`` over the calendar quarter (as
``hotich.signing.selectors.signature_use`` counts it); this module checks scope and the quarter,
and ranks (equal totals share a rank).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.core.errors import ValidationFailed
from hotich.geo.selectors import units_below
from hotich.reporting.civil_status import check_report_access, columns, report_form
from hotich.reporting.report_forms import SIGNATURE_FORM
from hotich.reporting.sources import signature_values
from hotich.signing.selectors import quarter_bounds

if TYPE_CHECKING:
    from hotich.geo.models import Unit

#: the years a quarterly ranking can be asked for
SIGNATURE_YEARS = (2000, 2999)


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit_id: int
    unit_name: str
    total: int
    signers: int
    by_kind: dict[str, int]


@dataclass(frozen=True)
class SignatureRanking:
    unit: Unit
    year: int
    quarter: int
    start: dt.date
    end: dt.date  # inclusive
    rows: list[RankRow]
    kinds: list[str]  # the kinds signed (option codes of the form's category), in its order
    kind_names: dict[str, str]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


def signature_ranking(
    *, actor: Actor, unit: Unit, year: int, quarter: int, now: dt.datetime | None = None
) -> SignatureRanking:
    """Units under ``unit`` (and itself) ranked by documents signed in the quarter."""
    check_report_access(actor, unit)
    if not 1 <= quarter <= 4:
        raise ValidationFailed(_("Quý phải từ 1 đến 4."), field="quarter")
    if not SIGNATURE_YEARS[0] <= year <= SIGNATURE_YEARS[1]:
        raise ValidationFailed(
            format_lazy(
                _("Năm phải từ {low} đến {high}."), low=SIGNATURE_YEARS[0], high=SIGNATURE_YEARS[1]
            ),
            field="year",
        )
    start, end = quarter_bounds(year, quarter)
    if (now or timezone.now()) < end:
        raise ValidationFailed(
            format_lazy(_("Quý {q} năm {y} chưa kết thúc: chưa xếp hạng được."), q=quarter, y=year),
            field="quarter",
            code="period_not_ended",
        )
    form, indicators = report_form(SIGNATURE_FORM)
    cols, dimensions = columns(form, indicators)
    by_code = {c.code: c for c in cols}
    total, signers, kind = by_code["KSO_TONG"], by_code["KSO_NGUOI_KY"], dimensions[0]
    units = {u.pk: u for u in units_below(unit, include_self=True).only("pk", "name")}
    values = signature_values(indicators, {pk: [pk] for pk in units}, start, end)
    uses = []
    for pk, raw in values.items():
        count = int(raw.get((total.indicator.pk, total.combo)) or 0)
        if count:
            by_kind = {code: int(raw.get((kind.indicator.pk, code)) or 0) for code in kind.options}
            people = int(raw.get((signers.indicator.pk, signers.combo)) or 0)
            uses.append((units[pk], count, people, {k: n for k, n in by_kind.items() if n}))
    rows: list[RankRow] = []
    for of, count, people, by_kind in sorted(uses, key=lambda u: (-u[1], u[0].name)):
        rank = rows[-1].rank if rows and rows[-1].total == count else len(rows) + 1
        rows.append(RankRow(rank, of.pk, of.name, count, people, by_kind))
    kinds = {k: name for k, name in kind.options.items() if any(k in r.by_kind for r in rows)}
    last_day = timezone.localtime(end).date() - dt.timedelta(days=1)
    return SignatureRanking(
        unit=unit,
        year=year,
        quarter=quarter,
        start=timezone.localtime(start).date(),
        end=last_day,
        rows=rows,
        kinds=list(kinds),
        kind_names=kinds,
    )
