"""Computed indicators: values that come from the platform's own data instead of being typed.

An indicator with a ``source`` (:class:`~hotich.reporting.models.Source`) is filled for an
organization and a period from the register (births, deaths, marriages registered by the
organization's unit and the units below it, split by sex when the indicator is disaggregated by
``sex``) or from the public-service dossiers (received, resolved). The grid shows such cells
read-only and marked computed; :func:`computed_fill` stores them when the grid of an open form is
opened and again when the form is submitted, so the approved figures are those of that moment.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from hotich.audit.services import audit_record
from hotich.geo.selectors import units_below
from hotich.portal.selectors import service_metrics
from hotich.registry.statistics import civil_status_counts
from hotich.reporting.approval_flags import approved_refresh
from hotich.reporting.indicators import combos
from hotich.reporting.models import DataValue, Indicator, Source

if TYPE_CHECKING:
    from hotich.accounts.actors import Actor
    from hotich.agencies.models import Organization
    from hotich.reporting.periods import Period

_REGISTER = {Source.BIRTHS: "births", Source.DEATHS: "deaths", Source.MARRIAGES: "marriages"}
_DOSSIERS = {Source.DOSSIERS_RECEIVED: "online_rate", Source.DOSSIERS_RESOLVED: "on_time_rate"}


def computed_values(
    indicators: list[Indicator], organization: Organization, period: Period
) -> dict[tuple[int, str], Decimal]:
    """(indicator id, combination) → value for the computed ones among ``indicators`` (a
    combination the source cannot split is left out)."""
    wanted = [i for i in indicators if i.source]
    if not wanted:
        return {}
    out: dict[tuple[int, str], Decimal] = {}
    register = [i for i in wanted if i.source in _REGISTER]
    if register:
        unit_ids = list(
            units_below(organization.unit, include_self=True).values_list("pk", flat=True)
        )
        counts = civil_status_counts(unit_ids=unit_ids, start=period.start, end=period.end)
        for indicator in register:
            rows = getattr(counts, _REGISTER[Source(indicator.source)])
            if indicator.source == Source.MARRIAGES:  # one marriage: a husband and a wife
                rows = [r for r in rows if r.get("role") == "husband"]
            by_sex: dict[str, int] = defaultdict(int)
            for row in rows:
                by_sex[str(row.get("sex") or "")] += int(row["n"])
            for key, _label in combos(indicator):
                if key == "":
                    out[(indicator.pk, key)] = Decimal(sum(by_sex.values()))
                elif key in ("M", "F"):
                    out[(indicator.pk, key)] = Decimal(by_sex.get(key, 0))
    dossiers = [i for i in wanted if i.source in _DOSSIERS]
    if dossiers:
        metrics = {
            m.key: m
            for m in service_metrics(unit=organization.unit, start=period.start, end=period.end)
        }
        for indicator in dossiers:
            metric = metrics.get(_DOSSIERS[Source(indicator.source)])
            if metric is not None and ("", "") in [(k, "") for k, _l in combos(indicator)]:
                out[(indicator.pk, "")] = Decimal(int(metric.denominator))
    return out


def computed_fill(
    *, actor: Actor, indicators: list[Indicator], organization: Organization, period: Period
) -> int:
    """Store the computed values of ``indicators`` for ``organization`` and ``period`` (the
    caller checks the form is open); returns how many changed. Each change is audited."""
    values = computed_values(indicators, organization, period)
    if not values:
        return 0
    by_id = {i.pk: i for i in indicators}
    stored = {
        (v.indicator_id, v.combo): v
        for v in DataValue.objects.filter(
            organization=organization,
            period_code=period.code,
            indicator_id__in={k[0] for k in values},
        )
    }
    changed = 0
    for (indicator_id, combo), value in values.items():
        existing = stored.get((indicator_id, combo))
        if existing is not None and existing.value == value:
            continue
        DataValue.objects.update_or_create(
            indicator_id=indicator_id,
            organization=organization,
            period_code=period.code,
            combo=combo,
            defaults={"value": value, "updated_by": None},
        )
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.data_value",
            object_id=f"{by_id[indicator_id].code}/{organization.code}/{period.code}/{combo}",
            before=None if existing is None else {"value": str(existing.value)},
            after={"value": str(value)},
            detail={"source": by_id[indicator_id].source},
        )
        changed += 1
    if changed:  # another form holding the indicator may be approved already
        approved_refresh(
            indicator_ids={k[0] for k in values},
            organization_id=organization.pk,
            period_code=period.code,
        )
    return changed
