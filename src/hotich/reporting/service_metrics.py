"""Service metrics of the online public services per unit and reporting period (Decision 766:
on-time rate, average processing time, online rate, online payment rate, digitization,
satisfaction), read through ``hotich.portal.selectors.service_metrics``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hotich.accounts.actors import Actor
from hotich.portal.selectors import service_metrics
from hotich.reporting.civil_status import check_period_ended, check_report_access, report_units
from hotich.reporting.periods import Period

if TYPE_CHECKING:
    from hotich.geo.models import Unit


@dataclass
class ServiceMetricsRow:
    unit: Unit
    indicators: list[Any]


@dataclass
class ServiceMetricsReport:
    unit: Unit
    period: Period
    labels: list[tuple[str, str]]  # (label, unit of measure) of each indicator, in order
    rows: list[ServiceMetricsRow]
    total: ServiceMetricsRow


def service_metrics_report(*, actor: Actor, unit: Unit, period: Period) -> ServiceMetricsReport:
    """One row per commune below ``unit`` (none for a commune), then ``unit`` as a whole (the
    portal's indicators count a unit together with every unit below it)."""
    check_report_access(actor, unit)
    check_period_ended(period, timezone.localdate())

    def row(of: Unit) -> ServiceMetricsRow:
        return ServiceMetricsRow(of, service_metrics(unit=of, start=period.start, end=period.end))

    total = row(unit)
    rows = [row(commune) for commune in report_units(unit) if commune.pk != unit.pk]
    labels = [(i.label, i.unit) for i in total.indicators]
    return ServiceMetricsReport(unit=unit, period=period, labels=labels, rows=rows, total=total)
