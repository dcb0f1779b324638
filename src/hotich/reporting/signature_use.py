"""Signature use per unit and quarter, ranked for the quarterly commendation.

The counts come from ``hotich.signing.selectors.signature_use`` (documents signed digitally per
issuing unit, by kind, with the number of officials who signed); this module only checks scope
and the quarter, and ranks (equal totals share a rank).
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
from hotich.reporting.civil_status import check_report_access
from hotich.signing.selectors import quarter_bounds, signature_use

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
    kinds: list[str]

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
    unit_ids = list(units_below(unit, include_self=True).values_list("pk", flat=True))
    uses = signature_use(year, quarter, unit_ids=unit_ids)
    rows: list[RankRow] = []
    for use in uses:  # sorted by total, most first
        rank = rows[-1].rank if rows and rows[-1].total == use.total else len(rows) + 1
        rows.append(
            RankRow(rank, use.unit_id, use.unit_name, use.total, use.signers, dict(use.by_kind))
        )
    kinds = sorted({k for r in rows for k in r.by_kind})
    last_day = timezone.localtime(end).date() - dt.timedelta(days=1)
    return SignatureRanking(
        unit=unit,
        year=year,
        quarter=quarter,
        start=timezone.localtime(start).date(),
        end=last_day,
        rows=rows,
        kinds=kinds,
    )
