"""Computed indicators from the platform's data beyond the register (ADR 0035): the
public-service dossiers (Decision 766, ``hotich.portal.selectors.service_metrics``), the
documents of an agency (``hotich.documents.selectors.organization_document_figures``), the
documents signed digitally (``hotich.signing.selectors.signature_counts``) and the digitization
of the historic books (``hotich.digitization.selectors.progress_per_unit``).

Each ``*_values`` function answers for any grouping of units, as
:func:`hotich.reporting.computed.register_values` does, so the service-metrics, signature-use
and digitization reports read the same sources as an organization's grid. A source split by a
category (the kind of document signed, the step of an entry, how an incoming document was
handled) fills an indicator without disaggregation with its total, one with that category
with a value per option, and leaves out an indicator with any other category.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.utils import timezone

from hotich.digitization.selectors import progress_per_unit
from hotich.documents.selectors import organization_document_figures
from hotich.geo.selectors import units_below
from hotich.portal.selectors import service_metrics
from hotich.reporting.indicators import combos
from hotich.reporting.models import Indicator, Source
from hotich.signing.selectors import signature_counts

if TYPE_CHECKING:
    from hotich.accounts.actors import Actor
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit
    from hotich.reporting.periods import Period

K = TypeVar("K", bound=Hashable)
Values = dict[tuple[int, str], Decimal]

#: a dossier source: the Decision 766 indicator it reads (``hotich.portal.metrics``) and
#: which of its figures, the rate itself or the number it is a share of (its weight)
DOSSIER_METRICS: dict[str, tuple[str, str]] = {
    Source.DOSSIERS_RECEIVED: ("online_rate", "denominator"),
    Source.DOSSIERS_RESOLVED: ("on_time_rate", "denominator"),
    Source.DOSSIERS_WITH_FEE: ("online_payment_rate", "denominator"),
    Source.DOSSIERS_WITH_RESULT: ("result_digitization_rate", "denominator"),
    Source.DOSSIERS_RATED: ("satisfaction_rate", "denominator"),
    Source.DOSSIERS_ON_TIME_RATE: ("on_time_rate", "value"),
    Source.DOSSIERS_PROCESSING_DAYS: ("avg_processing_days", "value"),
    Source.DOSSIERS_ONLINE_RATE: ("online_rate", "value"),
    Source.DOSSIERS_PAID_ONLINE_RATE: ("online_payment_rate", "value"),
    Source.DOSSIERS_DIGITIZED_RATE: ("dossier_digitization_rate", "value"),
    Source.RESULTS_DIGITIZED_RATE: ("result_digitization_rate", "value"),
    Source.DOSSIERS_SATISFACTION_RATE: ("satisfaction_rate", "value"),
}
SIGNATURES = {Source.DOCUMENTS_SIGNED, Source.DOCUMENT_SIGNERS}
DIGITIZATION = {
    Source.HISTORIC_BOOKS,
    Source.HISTORIC_PAGES,
    Source.HISTORIC_ENTRIES_EXPECTED,
    Source.HISTORIC_ENTRIES,
}
DOCUMENTS = {Source.DOCUMENTS_INCOMING, Source.DOCUMENTS_OUTGOING, Source.DOCUMENTS_HANDLING}

#: the categories a source splits by (their option codes: the platform's own codes)
SIGNED_KIND = "loai_van_ban_ky_so"
ENTRY_STEP = "buoc_so_hoa"
HANDLING = "ket_qua_xu_ly_van_ban"
#: the option of a kind of document signed that the category does not list
OTHER = "KHAC"


def _split(indicator: Indicator, category: str, counts: Mapping[str, int]) -> dict[str, Decimal]:
    """The indicator's values from counts per option of ``category``: the total without a
    disaggregation, one value per option with that category, nothing with another one."""
    categories = list(indicator.categories.all())
    if not categories:
        return {"": Decimal(sum(counts.values()))}
    if len(categories) != 1 or categories[0].code != category:
        return {}
    valid = {key for key, _label in combos(indicator)}
    out = dict.fromkeys(valid, Decimal(0))
    for option, n in counts.items():
        key = option if option in valid else OTHER
        if key in out:
            out[key] += n
    return out


def _whole(indicator: Indicator, value: Decimal) -> dict[str, Decimal]:
    """A figure no category splits: the value of an indicator without disaggregation."""
    return {"": value} if not indicator.categories.all() else {}


def _store(out: Values, indicator: Indicator, values: Mapping[str, Decimal]) -> None:
    for combo, value in values.items():
        out[(indicator.pk, combo)] = value


def dossier_values(
    indicators: Sequence[Indicator], groups: Mapping[K, Unit], start: dt.date, end: dt.date
) -> dict[K, Values]:
    """The dossier-sourced ``indicators`` for each group (key → a unit, counted with the units
    below it) over the days ``start`` to ``end``: one call of the portal's selector per group.
    A rate with nothing to be a share of has no value."""
    wanted = [i for i in indicators if i.source in DOSSIER_METRICS]
    out: dict[K, Values] = {key: {} for key in groups}
    if not wanted:
        return out
    for key, unit in groups.items():
        metrics = {m.key: m for m in service_metrics(unit=unit, start=start, end=end)}
        for indicator in wanted:
            name, part = DOSSIER_METRICS[indicator.source]
            metric = metrics.get(name)
            raw = None if metric is None else getattr(metric, part)
            if raw is not None:
                _store(out[key], indicator, _whole(indicator, Decimal(str(raw))))
    return out


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants from the first moment of ``start`` to the first one after ``end``."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _members(groups: Mapping[K, Sequence[int]]) -> dict[int, list[K]]:
    owners: dict[int, list[K]] = defaultdict(list)
    for key, unit_ids in groups.items():
        for unit_id in unit_ids:
            owners[unit_id].append(key)
    return owners


def signature_values(
    indicators: Sequence[Indicator],
    groups: Mapping[K, Sequence[int]],
    start: dt.datetime,
    end: dt.datetime,
) -> dict[K, Values]:
    """The documents signed digitally (by kind) and the officials who signed them, for each
    group of issuing units (key → unit ids) in ``[start, end)``: two grouped queries."""
    wanted = [i for i in indicators if i.source in SIGNATURES]
    out: dict[K, Values] = {key: {} for key in groups}
    if not wanted:
        return out
    owners = _members(groups)
    kinds: dict[K, dict[str, int]] = {key: defaultdict(int) for key in groups}
    signers: dict[K, int] = dict.fromkeys(groups, 0)
    for use in signature_counts(start, end, unit_ids=list(owners)):
        for key in owners[use.unit_id]:
            signers[key] += use.signers
            for kind, n in use.by_kind.items():
                kinds[key][kind] += n
    for indicator in wanted:
        for key in groups:
            if indicator.source == Source.DOCUMENTS_SIGNED:
                values = _split(indicator, SIGNED_KIND, kinds[key])
            else:
                values = _whole(indicator, Decimal(signers[key]))
            _store(out[key], indicator, values)
    return out


def digitization_values(
    indicators: Sequence[Indicator], groups: Mapping[K, Sequence[int]], *, actor: Actor = None
) -> dict[K, Values]:
    """The historic books held by each group of units (key → unit ids), among those in the
    actor's scope (every one for the system): books, pages scanned, the entries their closing
    totals give and the entries marked (by step). A state, not a period's flow: the figures of
    the moment they are read. Three grouped queries."""
    wanted = [i for i in indicators if i.source in DIGITIZATION]
    out: dict[K, Values] = {key: {} for key in groups}
    if not wanted:
        return out
    owners = _members(groups)
    figures: dict[K, dict[str, int]] = {key: defaultdict(int) for key in groups}
    stages: dict[K, dict[str, int]] = {key: defaultdict(int) for key in groups}
    for unit_id, progress in progress_per_unit(actor, list(owners)).items():
        for key in owners[unit_id]:
            figures[key][Source.HISTORIC_BOOKS] += progress.books
            figures[key][Source.HISTORIC_PAGES] += progress.pages
            figures[key][Source.HISTORIC_ENTRIES_EXPECTED] += progress.expected
            for step, n in progress.stages.items():
                stages[key][step] += n
    for indicator in wanted:
        for key in groups:
            if indicator.source == Source.HISTORIC_ENTRIES:
                values = _split(indicator, ENTRY_STEP, stages[key])
            else:
                values = _whole(indicator, Decimal(figures[key][indicator.source]))
            _store(out[key], indicator, values)
    return out


def document_values(
    indicators: Sequence[Indicator], organization: Organization, start: dt.date, end: dt.date
) -> Values:
    """The agency's incoming documents received, outgoing ones issued and incoming ones with a
    deadline by how their handling went (as of today), from ``start`` to ``end``."""
    wanted = [i for i in indicators if i.source in DOCUMENTS]
    out: Values = {}
    if not wanted:
        return out
    figures = organization_document_figures(organization=organization, start=start, end=end)
    handling = figures.handling
    outcomes = {
        "on_time": handling.on_time,
        "late": handling.late,
        "overdue": handling.overdue,
        "open": handling.open,
    }
    for indicator in wanted:
        if indicator.source == Source.DOCUMENTS_HANDLING:
            values = _split(indicator, HANDLING, outcomes)
        else:
            count = (
                figures.incoming
                if indicator.source == Source.DOCUMENTS_INCOMING
                else (figures.outgoing)
            )
            values = _whole(indicator, Decimal(count))
        _store(out, indicator, values)
    return out


def platform_values(
    indicators: Sequence[Indicator], organization: Organization, period: Period
) -> Values:
    """The values of the computed ``indicators`` these sources serve, for ``organization``
    (its unit and the units below it; its documents: its own and its sections') and
    ``period``."""
    out: Values = {}
    me = organization.pk
    if any(i.source in DOSSIER_METRICS for i in indicators):
        out.update(
            dossier_values(indicators, {me: organization.unit}, period.start, period.end)[me]
        )
    if any(i.source in SIGNATURES | DIGITIZATION for i in indicators):
        unit_ids = list(
            units_below(organization.unit, include_self=True).values_list("pk", flat=True)
        )
        start, end = day_bounds(period.start, period.end)
        out.update(signature_values(indicators, {me: unit_ids}, start, end)[me])
        out.update(digitization_values(indicators, {me: unit_ids})[me])
    out.update(document_values(indicators, organization, period.start, period.end))
    return out
