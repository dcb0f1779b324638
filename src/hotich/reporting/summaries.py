"""The yearly summary of the approved indicator values (ADR 0034).

A pivot over years reads :class:`~hotich.reporting.models.ValueSummary` rows, one per indicator,
organization, year and option combination, instead of every monthly value: five years of a form
of ten indicators over 500 communes are some 50,000 rows instead of 330,000 values. The summary
holds what the pivot's time rules need: the sum and the number of periods (sum, average), the
last period's value (last), Σ(value × weight) and Σ(weight) (weighted). Each combination has its
row, and ``"."`` the combinations together (summed period by period, as a pivot that does not
show them adds them up).

It is kept where the approved values change: :func:`approval_flags.approved_refresh` (approve,
reopen, a write into an open form of an indicator another approved form holds, a change of a
form's rows) and a cell save that writes an approved value or a weight. A refresh recomputes the
rows of the indicators it is given (and those they weigh) for one organization and year, or for
all of them, from the values as they stand: one DELETE and one INSERT … SELECT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from hotich.reporting.models import Indicator

#: the combination key of the rows holding all combinations together (a key has no empty part)
ALL_COMBOS = "."

#: a row per indicator, organization, period and combination (a value: ``{agg}`` empty), or
#: per indicator, organization and period (``{agg}`` SUM over the combinations)
_PER_PERIOD = """
SELECT dv.indicator_id, dv.organization_id,
       CAST(SUBSTR(dv.period_code, 1, 4) AS INTEGER) AS year, {combo} AS combo, dv.period_code,
       {agg}(dv.value) AS v, {weighted}
FROM reporting_datavalue dv
{weight_join}
WHERE dv.approved = %s AND dv.indicator_id IN ({ids}){filters}
{group}
"""

#: the weight of a weighted indicator's value: its weight indicator's value of the same
#: organization, period and combination, approved or not (as the pivot reads it); the weight
#: indicators are named so that only their values are read
_WEIGHT_JOIN = """
JOIN reporting_indicator i ON i.id = dv.indicator_id
LEFT JOIN reporting_datavalue wv ON wv.indicator_id = i.weight_id
     AND wv.organization_id = dv.organization_id AND wv.period_code = dv.period_code
     AND wv.combo = dv.combo AND wv.indicator_id IN ({weights})
"""
_WEIGHTED = "{agg}(dv.value * COALESCE(wv.value, 0)) AS vw, {agg}(COALESCE(wv.value, 0)) AS w"

_DELETE = "DELETE FROM reporting_valuesummary WHERE indicator_id IN ({ids}){scope}"

_INSERT = """
INSERT INTO reporting_valuesummary (indicator_id, organization_id, year, combo, total, periods,
                                    last_value, weighted_total, weight_total)
SELECT indicator_id, organization_id, year, combo, SUM(v), COUNT(*),
       MAX(CASE WHEN rn = 1 THEN v END), SUM(vw), SUM(w)
FROM (
    SELECT per_period.*, ROW_NUMBER() OVER (
               PARTITION BY indicator_id, organization_id, year, combo
               ORDER BY period_code DESC) AS rn
    FROM ({per_combo} UNION ALL {all_combos}) per_period
) ranked
GROUP BY indicator_id, organization_id, year, combo
ON CONFLICT (indicator_id, organization_id, year, combo) DO UPDATE SET
    total = excluded.total, periods = excluded.periods, last_value = excluded.last_value,
    weighted_total = excluded.weighted_total, weight_total = excluded.weight_total
"""


def summary_refresh(
    *,
    indicator_ids: Iterable[int],
    organization_id: int | None = None,
    period_code: str | None = None,
) -> None:
    """Recompute the summary rows of ``indicator_ids`` and of the indicators they weigh (of
    one organization and of the year of ``period_code`` when given) from the approved values:
    one DELETE, then one INSERT for the indicators without a weight and one for those with."""
    ids = set(indicator_ids)
    if not ids:
        return
    ids |= set(Indicator.objects.filter(weight_id__in=ids).values_list("pk", flat=True))
    weights = dict(Indicator.objects.filter(pk__in=ids).values_list("pk", "weight_id"))
    scope, source = "", ""
    scope_params: list[Any] = []
    source_params: list[Any] = []
    if organization_id is not None:
        scope += " AND organization_id = %s"
        source += " AND dv.organization_id = %s"
        scope_params.append(organization_id)
        source_params.append(organization_id)
    if period_code is not None:
        year = int(period_code[:4])
        scope += " AND year = %s"
        source += " AND dv.period_code >= %s AND dv.period_code < %s"
        scope_params.append(year)
        source_params += [str(year), str(year + 1)]
    with connection.cursor() as cursor:
        cursor.execute(_DELETE.format(ids=_marks(ids), scope=scope), [*ids, *scope_params])
        plain = [pk for pk, weight in weights.items() if weight is None]
        weighted = [pk for pk, weight in weights.items() if weight is not None]
        if plain:
            _insert(cursor, plain, [], source, source_params)
        if weighted:
            _insert(cursor, weighted, sorted({weights[pk] for pk in weighted}), source,
                    source_params)  # fmt: skip


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("%s" for _v in values)


def _insert(
    cursor: Any, ids: list[int], weight_ids: list[int], filters: str, filter_params: list[Any]
) -> None:
    """The INSERT … SELECT of the summary rows of ``ids`` (weighed by ``weight_ids``)."""
    weight_join = _WEIGHT_JOIN.format(weights=_marks(weight_ids)) if weight_ids else ""
    weighted = _WEIGHTED if weight_ids else "0 AS vw, 0 AS w"

    def rows(combo: str, agg: str, group: str) -> str:
        return _PER_PERIOD.format(
            combo=combo, agg=agg, group=group, ids=_marks(ids), filters=filters,
            weight_join=weight_join, weighted=weighted.format(agg=agg),
        )  # fmt: skip

    per_combo = rows("dv.combo", "", "")
    all_combos = rows(
        f"'{ALL_COMBOS}'", "SUM", "GROUP BY dv.indicator_id, dv.organization_id, dv.period_code"
    )
    branch = [*weight_ids, True, *ids, *filter_params]
    cursor.execute(_INSERT.format(per_combo=per_combo, all_combos=all_combos), [*branch, *branch])


def summary_rebuild() -> int:
    """Recompute the whole summary, one indicator at a time (each a short statement over that
    indicator's values); returns the indicators summarized."""
    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # each indicator's sort in memory, not on disk
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("DELETE FROM reporting_valuesummary")
        for indicator_id in ids:
            summary_refresh(indicator_ids=[indicator_id])
    return len(ids)
