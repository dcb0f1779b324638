"""The civil-status statistics report: births, deaths and marriages per commune for one period.

The figures come from ``hotich.registry.statistics`` (grouped in the database); this module
only turns grouped rows into the form's indicators, per commune and in total.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.core.replica import replica_reads
from hotich.geo.selectors import units_below
from hotich.geo.vocabulary import Level
from hotich.registry.statistics import UNKNOWN_AGE, civil_status_counts
from hotich.reporting.definitions import ReportDefinition, get_definition
from hotich.reporting.periods import Period

if TYPE_CHECKING:
    from hotich.geo.models import Unit

KINH = "Kinh"
CASES = _("trường hợp")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    group: str | Promise
    unit_of_measure: str | Promise = CASES
    decimals: int = 0


def age_group_labels(bounds: tuple[int, ...]) -> list[str]:
    labels = [str(format_lazy(_("Dưới {n} tuổi"), n=bounds[0]))]
    for low, high in itertools.pairwise(bounds):
        labels.append(str(format_lazy(_("Từ {a} đến {b} tuổi"), a=low, b=high - 1)))
    labels.append(str(format_lazy(_("Từ {n} tuổi trở lên"), n=bounds[-1])))
    return labels


def indicators(definition: ReportDefinition) -> list[Indicator]:
    """The form's columns, in order."""
    births, deaths, marriages = _("Khai sinh"), _("Khai tử"), _("Kết hôn")
    out = [
        Indicator("KS_TONG", _("Tổng số"), births),
        Indicator("KS_NAM", _("Nam"), births),
        Indicator("KS_NU", _("Nữ"), births),
        Indicator("KS_KINH", _("Dân tộc Kinh"), births),
        Indicator("KS_DTTS", _("Dân tộc khác"), births),
        Indicator("KS_DUNG_HAN", _("Đúng hạn"), births),
        Indicator("KS_QUA_HAN", _("Quá hạn"), births),
        Indicator("KS_DANG_KY_LAI", _("Đăng ký lại"), births),
        Indicator("KT_TONG", _("Tổng số"), deaths),
        Indicator("KT_NAM", _("Nam"), deaths),
        Indicator("KT_NU", _("Nữ"), deaths),
    ]
    for i, label in enumerate(age_group_labels(definition.age_groups)):
        out.append(Indicator(f"KT_TUOI_{i}", label, deaths))
    out += [
        Indicator("KT_TUOI_KXD", _("Không rõ tuổi"), deaths),
        Indicator("KH_TONG", _("Tổng số"), marriages),
        Indicator("KH_LAN_DAU_NAM", _("Nam kết hôn lần đầu"), marriages, _("người")),
        Indicator("KH_LAN_DAU_NU", _("Nữ kết hôn lần đầu"), marriages, _("người")),
        Indicator(
            "KH_TUOI_TB_NAM", _("Tuổi kết hôn lần đầu trung bình, nam"), marriages, _("tuổi"), 1
        ),
        Indicator(
            "KH_TUOI_TB_NU", _("Tuổi kết hôn lần đầu trung bình, nữ"), marriages, _("tuổi"), 1
        ),
    ]
    return out


@dataclass
class UnitFigures:
    unit: Unit
    values: dict[str, int | float | None] = field(default_factory=dict)
    births_by_ethnicity: dict[str, int] = field(default_factory=dict)
    # running sums for the averages (not shown)
    age_sums: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class CivilStatusReport:
    definition: ReportDefinition
    period: Period
    unit: Unit
    rows: list[UnitFigures]
    total: UnitFigures
    indicators: list[Indicator]
    generated_at: dt.datetime
    deadline: dt.date

    @property
    def ethnicities(self) -> list[str]:
        names = set(self.total.births_by_ethnicity)
        return sorted(names, key=lambda e: (e != KINH, e))


def _empty(unit: Unit, codes: Iterable[str]) -> UnitFigures:
    figures = UnitFigures(unit=unit, values=dict.fromkeys(codes, 0))
    figures.age_sums = {"husband": [0, 0], "wife": [0, 0]}
    return figures


def _add(figures: UnitFigures, code: str, n: int) -> None:
    figures.values[code] = int(figures.values.get(code) or 0) + n


def report_units(unit: Unit) -> list[Unit]:
    """The units a report on ``unit`` has one row for: a commune itself; for a province, the
    province (events its own department registered; the row is dropped when empty) and then
    each of its communes."""
    if unit.level == Level.COMMUNE:
        return [unit]
    communes = units_below(unit).filter(level=Level.COMMUNE, era=unit.era).order_by("code")
    return [unit, *communes]


def check_report_access(actor: Actor, unit: Unit) -> None:
    """A report on ``unit`` for ``actor`` (None: the system) or a clear refusal."""
    user = require(actor, "reporting.view", message=_("Bạn không có quyền xem báo cáo thống kê."))
    if user is None:
        return
    own = user.unit
    if own is None or not unit.path.startswith(own.path):
        raise PermissionDenied(
            format_lazy(
                _(
                    "{unit} nằm ngoài phạm vi của bạn: bạn chỉ xem được báo cáo của {own} và các "
                    "đơn vị trực thuộc."
                ),
                unit=unit.name,
                own=own.name if own else "—",
            ),
            field="unit",
            code="out_of_scope",
        )


def check_period_ended(period: Period, today: dt.date) -> None:
    if not period.has_ended(today):
        raise ValidationFailed(
            format_lazy(
                _("Kỳ báo cáo {period} ({span}) chưa kết thúc: số liệu được chốt sau ngày {end}."),
                period=period.label,
                span=period.span_label,
                end=period.end.strftime("%d/%m/%Y"),
            ),
            field="period",
            code="period_not_ended",
        )


@replica_reads()
def civil_status_report(
    *,
    actor: Actor,
    unit: Unit,
    period: Period,
    today: dt.date | None = None,
    definition: ReportDefinition | None = None,
) -> CivilStatusReport:
    """Civil-status statistics of ``unit`` (a province: one row per commune; a commune: one
    row) for a period that has ended, within the actor's scope."""
    definition = definition or get_definition("civil_status")
    check_report_access(actor, unit)
    check_period_ended(period, today or timezone.localdate())
    inds = indicators(definition)
    codes = [i.code for i in inds]
    units = report_units(unit)
    rows = {u.pk: _empty(u, codes) for u in units}
    counts = civil_status_counts(
        unit_ids=list(rows),
        start=period.start,
        end=period.end,
        age_bounds=definition.age_groups,
    )
    for row in counts.births:
        fig, n = rows[row["unit_id"]], row["n"]
        _add(fig, "KS_TONG", n)
        if row["sex"] == "M":
            _add(fig, "KS_NAM", n)
        elif row["sex"] == "F":
            _add(fig, "KS_NU", n)
        ethnicity = (row["ethnicity"] or "").strip() or str(_("Không rõ"))
        _add(fig, "KS_KINH" if ethnicity == KINH else "KS_DTTS", n)
        fig.births_by_ethnicity[ethnicity] = fig.births_by_ethnicity.get(ethnicity, 0) + n
        kind = {"on_time": "KS_DUNG_HAN", "late": "KS_QUA_HAN", "re_registration": "KS_DANG_KY_LAI"}
        if row["kind"] in kind:
            _add(fig, kind[row["kind"]], n)
    for row in counts.deaths:
        fig, n = rows[row["unit_id"]], row["n"]
        _add(fig, "KT_TONG", n)
        if row["sex"] in ("M", "F"):
            _add(fig, "KT_NAM" if row["sex"] == "M" else "KT_NU", n)
        group = row["age_group"]
        _add(fig, "KT_TUOI_KXD" if group == UNKNOWN_AGE else f"KT_TUOI_{group}", n)
    for row in counts.marriages:
        fig, n = rows[row["unit_id"]], row["n"]
        if row["role"] == "husband":
            _add(fig, "KH_TONG", n)
        if row["first"]:
            _add(fig, "KH_LAN_DAU_NAM" if row["role"] == "husband" else "KH_LAN_DAU_NU", n)
            sums = fig.age_sums[row["role"]]
            sums[0] += int(row["age_sum"] or 0)
            sums[1] += int(row["age_n"] or 0)
    own = rows.get(unit.pk)
    if own is not None and unit.level != Level.COMMUNE and not any(own.values.values()):
        del rows[unit.pk]
    total = _empty(unit, codes)
    for fig in rows.values():
        for code in codes:
            _add(total, code, int(fig.values[code] or 0))
        for ethnicity, n in fig.births_by_ethnicity.items():
            total.births_by_ethnicity[ethnicity] = total.births_by_ethnicity.get(ethnicity, 0) + n
        for role in ("husband", "wife"):
            total.age_sums[role][0] += fig.age_sums[role][0]
            total.age_sums[role][1] += fig.age_sums[role][1]
    for fig in [*rows.values(), total]:
        for role, code in (("husband", "KH_TUOI_TB_NAM"), ("wife", "KH_TUOI_TB_NU")):
            age_sum, age_n = fig.age_sums[role]
            fig.values[code] = round(age_sum / age_n, 1) if age_n else None
    return CivilStatusReport(
        definition=definition,
        period=period,
        unit=unit,
        rows=list(rows.values()),
        total=total,
        indicators=inds,
        generated_at=timezone.now(),
        deadline=definition.deadline(period),
    )
