"""The civil-status statistics report: births, deaths and marriages per commune for one period.

The report is a definition of the indicator engine (ADR 0030): its indicators, their
disaggregations and its form (``HT-01/BTP``, with the codes under which the national payload names
each cell, ``DataForm.report_columns``) are data (``civil_status_form``); the figures are
those of the indicators' computed sources (``computed.register_values``: the register's grouped
counts, one row per unit), and the total row adds the rows up by each indicator's own rule
(``datasets.combine``: a sum, or the mean age weighted by the persons counted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.core.errors import NotFound, PermissionDenied, ValidationFailed
from hotich.core.replica import replica_reads
from hotich.geo.selectors import units_below
from hotich.geo.vocabulary import Level
from hotich.reporting.computed import register_values
from hotich.reporting.datasets import combine
from hotich.reporting.definitions import ReportDefinition, get_definition
from hotich.reporting.models import CategoryOption, DataForm, FormRow, ValueType
from hotich.reporting.models import Indicator as EngineIndicator
from hotich.reporting.periods import Period

if TYPE_CHECKING:
    from hotich.geo.models import Unit

KINH = "Kinh"
#: the engine's values of one row: (indicator id, combination) → value
Values = dict[tuple[int, str], Decimal]


@dataclass(frozen=True)
class Indicator:
    """One column of the report: a combination of one of the form's indicators."""

    code: str
    name: str
    group: str
    unit_of_measure: str
    decimals: int
    indicator: EngineIndicator
    combo: str


@dataclass(frozen=True)
class Dimension:
    """Figures reported one per option of an indicator's category (births by ethnicity)."""

    code: str
    name: str
    group: str
    indicator: EngineIndicator
    dimension: str
    #: option code → its name, in the category's order
    options: dict[str, str]


@dataclass
class UnitFigures:
    unit: Unit
    values: dict[str, int | float | None] = field(default_factory=dict)
    births_by_ethnicity: dict[str, int] = field(default_factory=dict)
    #: the engine's values (indicator id, combination) → value, before rounding (not shown)
    raw: dict[tuple[int, str], Decimal] = field(default_factory=dict)


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
    form: DataForm | None = None

    @property
    def ethnicities(self) -> list[str]:
        names = set(self.total.births_by_ethnicity)
        return sorted(names, key=lambda e: (e != KINH, e))


def _text(entry: dict[str, Any], key: str, default: str = "") -> str:
    english = (translation.get_language() or "vi").startswith("en")
    return str((english and entry.get(f"{key}_en")) or entry.get(key) or default)


def report_form(code: str) -> tuple[DataForm, list[EngineIndicator]]:
    """The engine's form of a report (its code) and its indicators in row order, with their
    categories and options (three queries)."""
    options = CategoryOption.objects.order_by("order", "pk")
    rows = list(
        FormRow.objects.filter(form__code=code)
        .select_related("form", "indicator")
        .prefetch_related(Prefetch("indicator__categories__options", queryset=options))
        .order_by("order", "pk")
    )
    form = rows[0].form if rows else None
    if form is None or not form.report_columns:
        raise NotFound(
            format_lazy(_("Biểu {form} chưa được định nghĩa trong danh mục chỉ tiêu."), form=code),
            field="report",
        )
    return form, [row.indicator for row in rows]


def _option_names(indicator: EngineIndicator) -> dict[str, str]:
    """Option code → name (in the language in use) of an indicator with one category."""
    out: dict[str, str] = {}
    for category in indicator.categories.all():
        for option in category.options.all():
            out[option.code] = _text({"name": option.name, "name_en": option.name_en}, "name")
    return out


def columns(
    form: DataForm, indicators: list[EngineIndicator]
) -> tuple[list[Indicator], list[Dimension]]:
    """The report's columns and its per-option figures, from the form's ``report_columns``."""
    by_code = {i.code: i for i in indicators}
    out: list[Indicator] = []
    dimensions: list[Dimension] = []
    for entry in form.report_columns:
        indicator = by_code[entry["indicator"]]
        names = _option_names(indicator)
        if entry.get("dimension"):
            dimensions.append(Dimension(
                code=entry["code"], name=_text(entry, "name"), group=_text(entry, "group"),
                indicator=indicator, dimension=entry["dimension"], options=names,
            ))  # fmt: skip
            continue
        combo = str(entry.get("combo") or "")
        out.append(Indicator(
            code=entry["code"],
            name=_text(entry, "name", names.get(combo, combo) if combo else _text(
                {"name": indicator.name, "name_en": indicator.name_en}, "name")),
            group=_text(entry, "group"),
            unit_of_measure=indicator.unit_of_measure,
            decimals=0 if indicator.value_type == ValueType.INTEGER else 1,
            indicator=indicator,
            combo=combo,
        ))  # fmt: skip
    return out, dimensions


def shown(value: Decimal | None, column: Indicator) -> int | float | None:
    """A value as the report shows it: an integer, or rounded to the column's places."""
    if value is None:
        return None
    return int(value) if column.decimals == 0 else round(float(value), column.decimals)


def _fill(fig: UnitFigures, cols: list[Indicator], dimensions: list[Dimension]) -> None:
    for col in cols:
        fig.values[col.code] = shown(fig.raw.get((col.indicator.pk, col.combo)), col)
    for dim in dimensions:
        for code, name in dim.options.items():
            n = int(fig.raw.get((dim.indicator.pk, code)) or 0)
            if n:
                fig.births_by_ethnicity[name] = fig.births_by_ethnicity.get(name, 0) + n


def rows_total(rows: list[Values], indicators: list[EngineIndicator]) -> Values:
    """The rows' values added up by each indicator's rule over units (``combine``; a weighted
    one by its weight's values in the same rows)."""
    total: Values = {}
    by_id = {i.pk: i for i in indicators}
    for indicator_id, combo in {key for raw in rows for key in raw}:
        indicator = by_id[indicator_id]
        present = [raw for raw in rows if (indicator_id, combo) in raw]
        weights = None
        if indicator.weight_id is not None:
            weights = [raw.get((indicator.weight_id, combo), Decimal(0)) for raw in present]
        value = combine(
            [raw[(indicator_id, combo)] for raw in present],
            indicator.aggregation_units,
            weights=weights,
        )
        if value is not None:
            total[(indicator_id, combo)] = value
    return total


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
    form, indicators = report_form(definition.data_form)
    cols, dimensions = columns(form, indicators)
    units = report_units(unit)
    values = register_values(indicators, {u.pk: [u.pk] for u in units}, period)
    rows = {u.pk: UnitFigures(unit=u, raw=values[u.pk]) for u in units}
    for fig in rows.values():
        _fill(fig, cols, dimensions)
    own = rows.get(unit.pk)
    if own is not None and unit.level != Level.COMMUNE and not any(own.values.values()):
        del rows[unit.pk]
    total = UnitFigures(unit=unit, raw=rows_total([f.raw for f in rows.values()], indicators))
    _fill(total, cols, dimensions)
    return CivilStatusReport(
        definition=definition,
        period=period,
        unit=unit,
        rows=list(rows.values()),
        total=total,
        indicators=cols,
        generated_at=timezone.now(),
        deadline=definition.deadline(period),
        form=form,
    )
