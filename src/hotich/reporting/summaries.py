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

from django.db import connection

from hotich.reporting.models import Indicator

#: the combination key of the rows holding all combinations together (a key has no empty part)
ALL_COMBOS = "."

_PER_PERIOD = """
SELECT dv.indicator_id, dv.organization_id,
       CAST(SUBSTR(dv.period_code, 1, 4) AS INTEGER) AS year, {combo} AS combo, dv.period_code,
       SUM(dv.value) AS v, SUM(dv.value * COALESCE(wv.value, 0)) AS vw,
       SUM(COALESCE(wv.value, 0)) AS w
FROM reporting_datavalue dv
JOIN reporting_indicator i ON i.id = dv.indicator_id
LEFT JOIN reporting_datavalue wv ON wv.indicator_id = i.weight_id
     AND wv.organization_id = dv.organization_id AND wv.period_code = dv.period_code
     AND wv.combo = dv.combo
WHERE dv.approved = %s AND dv.indicator_id IN ({ids}){filters}
GROUP BY dv.indicator_id, dv.organization_id, dv.period_code{group}
"""

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
    one organization and of the year of ``period_code`` when given) from the approved values."""
    ids = set(indicator_ids)
    if not ids:
        return
    ids |= set(Indicator.objects.filter(weight_id__in=ids).values_list("pk", flat=True))
    marks = ", ".join(["%s"] * len(ids))
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
    per_combo = _PER_PERIOD.format(combo="dv.combo", ids=marks, filters=source, group=", dv.combo")
    all_combos = _PER_PERIOD.format(combo=f"'{ALL_COMBOS}'", ids=marks, filters=source, group="")
    branch = [True, *ids, *source_params]
    with connection.cursor() as cursor:
        cursor.execute(_DELETE.format(ids=marks, scope=scope), [*ids, *scope_params])
        cursor.execute(
            _INSERT.format(per_combo=per_combo, all_combos=all_combos), [*branch, *branch]
        )


def summary_rebuild() -> int:
    """Recompute the whole summary, one indicator at a time (each a short statement over that
    indicator's values); returns the indicators summarized."""
    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_valuesummary")
    for indicator_id in ids:
        summary_refresh(indicator_ids=[indicator_id])
    return len(ids)
