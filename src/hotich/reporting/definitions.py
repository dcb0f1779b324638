"""The reports this context produces, each with its regimes, cut-off day and deadline.

Everything here is configuration: the form numbers of the Ministry of Justice's circular and the
deadline of each regime are **unconfirmed** (docs/DOMAIN.md), so a deployment overrides them
with the ``HOTICH_REPORTING`` setting::

    HOTICH_REPORTING = {"civil_status": {"deadline_days": {"yearly": 10}, "cutoff_day": 15}}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import NotFound, ValidationFailed
from hotich.reporting.periods import Period, Regime, periods_of_year

MINISTRY = _("Bộ Tư pháp")


@dataclass(frozen=True)
class ReportDefinition:
    code: str
    name: str | Promise
    form_code: str
    form_name: str | Promise
    regimes: tuple[str, ...]
    default_regime: str
    cutoff_day: int = 15
    #: days after the end of the period by which the unit sends the report, per regime
    deadline_days: dict[str, int] = field(default_factory=dict)
    receiver: str | Promise = MINISTRY
    #: the indicator engine's form that defines the report (``DataForm.code``; ADR 0030)
    data_form: str = ""

    def period(self, regime: str, year: int, index: int = 1) -> Period:
        if regime not in self.regimes:
            raise ValidationFailed(
                format_lazy(
                    _("Báo cáo {name} không có chế độ báo cáo {regime}."),
                    name=self.name,
                    regime=Regime(regime).label if regime in Regime.values else regime,
                ),
                field="regime",
            )
        return Period(regime=regime, year=year, index=index, cutoff_day=self.cutoff_day)

    def deadline(self, period: Period) -> dt.date:
        return period.deadline(self.deadline_days.get(period.regime, 5))


CIVIL_STATUS = ReportDefinition(
    code="civil_status",
    name=_("Thống kê đăng ký hộ tịch"),
    form_code="HT-01/BTP",
    data_form="HT-01-BTP",
    form_name=_("Số liệu đăng ký khai sinh, khai tử, kết hôn theo đơn vị cấp xã"),
    regimes=(Regime.MONTHLY, Regime.QUARTERLY, Regime.HALF_YEARLY, Regime.YEARLY),
    default_regime=Regime.YEARLY,
    deadline_days={
        Regime.MONTHLY: 3,
        Regime.QUARTERLY: 5,
        Regime.HALF_YEARLY: 7,
        Regime.YEARLY: 10,
    },
)

_BUILTIN = {CIVIL_STATUS.code: CIVIL_STATUS}


def get_definition(code: str) -> ReportDefinition:
    base = _BUILTIN.get(code)
    if base is None:
        raise NotFound(_("Không có báo cáo này."), field="report")
    overrides: dict[str, Any] = dict(getattr(settings, "HOTICH_REPORTING", {}).get(code, {}))
    if "deadline_days" in overrides:
        overrides["deadline_days"] = {**base.deadline_days, **overrides["deadline_days"]}
    if "regimes" in overrides:
        overrides["regimes"] = tuple(overrides["regimes"])
    # the age groups at death are data since ADR 0030 (category ``tuoi_khi_mat``)
    overrides.pop("age_groups", None)
    return replace(base, **overrides) if overrides else base


def all_definitions() -> list[ReportDefinition]:
    return [get_definition(code) for code in _BUILTIN]


@dataclass(frozen=True)
class DeadlineRow:
    report: ReportDefinition
    period: Period
    deadline: dt.date

    def status(self, today: dt.date) -> str:
        if not self.period.has_ended(today):
            return "open"
        return "due" if today <= self.deadline else "overdue"


def deadline_calendar(year: int) -> list[DeadlineRow]:
    """Every period of every report ending in ``year``, with its deadline, by deadline."""
    rows = [
        DeadlineRow(report=d, period=p, deadline=d.deadline(p))
        for d in all_definitions()
        for regime in d.regimes
        for p in periods_of_year(regime, year, cutoff_day=d.cutoff_day)
    ]
    return sorted(rows, key=lambda r: (r.deadline, r.period.months))
