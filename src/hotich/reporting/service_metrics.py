"""Service metrics of the online public services per unit and reporting period (Decision 766:
on-time rate, average processing time, online rate, online payment rate, digitization,
satisfaction), a definition of the indicator engine (ADR 0035): the form ``DVC-766``
(``report_forms``), its computed indicators read through ``sources.dossier_values`` (the
portal's ``service_metrics``, which counts a unit together with every unit below it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from hotich.accounts.actors import Actor
from hotich.reporting.civil_status import (
    check_period_ended,
    check_report_access,
    columns,
    report_form,
    report_units,
    shown,
)
from hotich.reporting.periods import Period
from hotich.reporting.report_forms import SERVICE_FORM
from hotich.reporting.sources import dossier_values

if TYPE_CHECKING:
    from hotich.geo.models import Unit


@dataclass(frozen=True)
class Figure:
    """One cell: the report's code of the column (the portal's key of the indicator)."""

    key: str
    value: int | float | None


@dataclass
class ServiceMetricsRow:
    unit: Unit
    indicators: list[Figure]


@dataclass
class ServiceMetricsReport:
    unit: Unit
    period: Period
    labels: list[tuple[str, str]]  # (label, unit of measure) of each indicator, in order
    rows: list[ServiceMetricsRow]
    total: ServiceMetricsRow


def service_metrics_report(*, actor: Actor, unit: Unit, period: Period) -> ServiceMetricsReport:
    """One row per commune below ``unit`` (none for a commune), then ``unit`` as a whole,
    read from the form's computed indicators."""
    check_report_access(actor, unit)
    check_period_ended(period, timezone.localdate())
    form, indicators = report_form(SERVICE_FORM)
    cols, _dimensions = columns(form, indicators)
    communes = [commune for commune in report_units(unit) if commune.pk != unit.pk]
    groups: dict[int | None, Unit] = {commune.pk: commune for commune in communes}
    groups[None] = unit  # the whole unit: its own dossiers and those below it
    values = dossier_values(indicators, groups, period.start, period.end)

    def row(key: int | None) -> ServiceMetricsRow:
        raw = values[key]
        figures = [Figure(c.code, shown(raw.get((c.indicator.pk, c.combo)), c)) for c in cols]
        return ServiceMetricsRow(groups[key], figures)

    return ServiceMetricsReport(
        unit=unit,
        period=period,
        labels=[(c.name, c.unit_of_measure) for c in cols],
        rows=[row(commune.pk) for commune in communes],
        total=row(None),
    )
