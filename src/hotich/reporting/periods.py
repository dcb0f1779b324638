"""Report regimes and periods (Decree 09/2019/NĐ-CP, art. 12).

Every regime counts from a cut-off day: monthly from the 15th of the previous month to the 14th
of the month; quarterly from the 15th of the month before the quarter to the 14th of its last
month; half-yearly from 15 December (or 15 June) to 14 June (or 14 December); yearly from
15 December of the previous year to 14 December. The cut-off day and the deadline are
configuration of each report (``definitions.ReportDefinition``), not constants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed


class Regime(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")


#: the years a period may fall in
YEAR_MIN, YEAR_MAX = 1900, 2999
#: a period code as the API takes it: 2025-Y, 2025-H1, 2025-Q3, 2025-M07
PERIOD_PATTERN = r"^(19|2[0-9])[0-9]{2}-(Y|H[12]|Q[1-4]|M(0?[1-9]|1[0-2]))$"

#: months in one period of each regime
MONTHS: dict[str, int] = {
    Regime.MONTHLY: 1,
    Regime.QUARTERLY: 3,
    Regime.HALF_YEARLY: 6,
    Regime.YEARLY: 12,
}
#: period code letter (``2025-Q3``, ``2025-M07``, ``2025-H1``, ``2025-Y``)
CODE: dict[str, str] = {
    Regime.MONTHLY: "M",
    Regime.QUARTERLY: "Q",
    Regime.HALF_YEARLY: "H",
    Regime.YEARLY: "Y",
}


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """One period of a regime: ``index`` counts from 1 inside ``year`` (month, quarter, half)."""

    regime: str
    year: int
    index: int = 1
    cutoff_day: int = 15

    def __post_init__(self) -> None:
        if self.regime not in MONTHS:
            raise ValidationFailed(_("Chế độ báo cáo không hợp lệ."), field="regime")
        count = 12 // MONTHS[self.regime]
        if not 1 <= self.index <= count:
            raise ValidationFailed(
                format_lazy(_("Kỳ báo cáo phải từ 1 đến {count}."), count=count), field="period"
            )
        if not YEAR_MIN <= self.year <= YEAR_MAX:
            raise ValidationFailed(
                format_lazy(
                    _("Năm báo cáo phải từ {low} đến {high}."), low=YEAR_MIN, high=YEAR_MAX
                ),
                field="year",
            )
        if not 2 <= self.cutoff_day <= 28:
            raise ValidationFailed(_("Ngày chốt số liệu phải từ 2 đến 28."), field="cutoff_day")

    @property
    def months(self) -> int:
        return MONTHS[self.regime]

    @property
    def last_month(self) -> int:
        return self.index * self.months

    @property
    def start(self) -> dt.date:
        """The cut-off day of the month before the period's first month."""
        year, month = _shift(self.year, self.last_month, -self.months)
        return dt.date(year, month, self.cutoff_day)

    @property
    def end(self) -> dt.date:
        """The day before the cut-off day of the period's last month (inclusive)."""
        return dt.date(self.year, self.last_month, self.cutoff_day - 1)

    @property
    def code(self) -> str:
        if self.regime == Regime.YEARLY:
            return f"{self.year}-Y"
        width = 2 if self.regime == Regime.MONTHLY else 1
        return f"{self.year}-{CODE[self.regime]}{self.index:0{width}d}"

    @property
    def label(self) -> Any:
        """Lazy: follows the active language when printed."""
        names = {
            Regime.MONTHLY: _("Tháng {index} năm {year}"),
            Regime.QUARTERLY: _("Quý {index} năm {year}"),
            Regime.HALF_YEARLY: _("6 tháng {index} năm {year}"),
            Regime.YEARLY: _("Năm {year}"),
        }
        return format_lazy(names[Regime(self.regime)], index=self.index, year=self.year)

    @property
    def span_label(self) -> Any:
        return format_lazy(
            _("từ ngày {start} đến ngày {end}"),
            start=self.start.strftime("%d/%m/%Y"),
            end=self.end.strftime("%d/%m/%Y"),
        )

    def has_ended(self, today: dt.date) -> bool:
        return today > self.end

    def deadline(self, days_after: int) -> dt.date:
        return self.end + dt.timedelta(days=days_after)

    @classmethod
    def parse(cls, code: str, *, cutoff_day: int = 15) -> Period:
        """``2025-Y``, ``2025-H1``, ``2025-Q3``, ``2025-M07`` → a period."""
        text = (code or "").strip().upper()
        try:
            year_text, rest = text.split("-", 1)
            year = int(year_text)
            letter, number = rest[:1], rest[1:]
            regime = next(r for r, c in CODE.items() if c == letter)
            index = 1 if regime == Regime.YEARLY and not number else int(number)
        except (ValueError, StopIteration):
            raise ValidationFailed(
                format_lazy(
                    _("Mã kỳ báo cáo “{code}” không hợp lệ (ví dụ 2025-Y, 2025-H1, 2025-Q3)."),
                    code=code,
                ),
                field="period",
            ) from None
        return cls(regime=regime, year=year, index=index, cutoff_day=cutoff_day)


def periods_of_year(regime: str, year: int, *, cutoff_day: int = 15) -> list[Period]:
    return [
        Period(regime=regime, year=year, index=i, cutoff_day=cutoff_day)
        for i in range(1, 12 // MONTHS[regime] + 1)
    ]


def period_containing(regime: str, day: dt.date, *, cutoff_day: int = 15) -> Period:
    """The period of ``regime`` whose span holds ``day`` (days from the cut-off on belong to the
    next month's period, so 20 December 2025 is in the yearly period of 2026)."""
    year, month = (day.year, day.month)
    if day.day >= cutoff_day:
        year, month = _shift(year, month, 1)
    months = MONTHS[regime]
    return Period(regime=regime, year=year, index=(month - 1) // months + 1, cutoff_day=cutoff_day)
