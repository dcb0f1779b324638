"""Analytics over the indicator values: a pivot table (indicators × organizations × periods ×
disaggregations), its trend as an SVG chart, its XLSX export, saved views and the leaders'
dashboard of key indicators.

The aggregation is done by the database in one statement (:func:`pivot`): values are first added
over the disaggregations a view does not show, then combined over time per organization with each
indicator's time rule (sum, average, last), then over the organizations of each row or column
with its unit rule (sum, average; ``last`` over organizations reads as a sum). The statement is
written in SQL (common to SQLite and PostgreSQL) because the three nested groupings and the
"last period" window have no ORM form (ADR 0025).

Scope: a user sees the organizations below the one they act in (their primary membership); a
user without one sees the organizations serving their unit and the units below it. Secret
indicators are seen only with the permission ``reporting.secret``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import is_staff_user, require
from hotich.agencies.selectors import (
    agency_of,
    organizations_below,
    organizations_visible,
    primary_membership,
    user_organizations,
)
from hotich.core.errors import NotFound, ValidationFailed
from hotich.core.text import nfc
from hotich.reporting.indicators import combos
from hotich.reporting.models import (
    Aggregation,
    DataForm,
    Indicator,
    SavedView,
)
from hotich.reporting.reach import tree_only_q
from hotich.reporting.selectors import sees_secret
from hotich.reporting.summaries import ALL_COMBOS

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization

#: the dimensions of a pivot
INDICATOR, ORGANIZATION, PERIOD, COMBO = "indicator", "organization", "period", "combo"
DIMENSIONS = (INDICATOR, ORGANIZATION, PERIOD, COMBO)
DIMENSION_LABELS = {
    INDICATOR: _("Chỉ tiêu"),
    ORGANIZATION: _("Đơn vị"),
    PERIOD: _("Kỳ báo cáo"),
    COMBO: _("Phân tổ"),
}
#: periods as reported, or added up to years
GRAINS = ("period", "year")
MAX_YEARS = 10
_VIEW = _("Bạn không có quyền xem báo cáo.")


# --- scope ----------------------------------------------------------------------------------


def analytics_organizations(actor: Actor) -> QuerySet[Organization]:
    """The organizations whose values ``actor`` may analyse, in tree order: those below the
    agency of the organization they act in (a commune its own, a department its tree, the
    province's People's Committee all), within their unit's subtree; party committees and cells
    only inside the actor's own tree (``reach``)."""
    if actor is None:
        return organizations_visible(actor, everything=True)
    membership = primary_membership(actor)
    visible = organizations_visible(actor).filter(tree_only_q(actor))
    if membership is None:
        return visible
    # a section (the commune's office, a department's division) reports through its agency
    below = organizations_below(agency_of(membership.organization), include_self=True)
    return visible.filter(pk__in=below.values("pk"))


def _root(actor: Actor, code: str) -> Organization:
    allowed = analytics_organizations(actor)
    if code:
        found = allowed.filter(code=code).first()
        if found is None:
            raise NotFound(_("Không tìm thấy cơ quan, đơn vị."), field="org")
        return found
    top = allowed.first()
    if top is None:
        raise NotFound(_("Bạn chưa thuộc cơ quan, đơn vị nào có số liệu báo cáo."), field="org")
    return top


# --- the query ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PivotQuery:
    """What a pivot shows: ``rows`` and ``columns`` are dimensions (at most two rows, one
    column); indicators are those of ``form`` (an indicator group) or ``indicators``; the values
    of ``org`` (an organization code; empty: the top one in scope) and those below it, of the
    years ``year_from``…``year_to``; ``combo`` keeps one disaggregation option combination."""

    rows: tuple[str, ...] = (INDICATOR,)
    columns: tuple[str, ...] = (PERIOD,)
    form: str = ""
    indicators: tuple[str, ...] = ()
    org: str = ""
    year_from: int = 0
    year_to: int = 0
    grain: str = "period"
    combo: str | None = None
    approved_only: bool = True

    @classmethod
    def from_params(cls, params: Any, *, default_year: int) -> PivotQuery:
        """From the page's GET parameters (``hang``, ``cot``, ``bieu``, ``chi_tieu``, ``don_vi``,
        ``tu_nam``, ``den_nam``, ``gop``, ``phan_to``, ``chua_duyet``); bad ones are refused
        with a message naming the field."""

        def dims(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
            raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
            raw = [r for r in raw if r is not None]
            if not raw:
                return default
            found = tuple(d for r in raw for d in str(r).split(",") if d)
            if any(d not in DIMENSIONS for d in found):
                raise ValidationFailed(_("Chiều không hợp lệ."), field=name)
            return found

        def year(name: str) -> int:
            raw = str(params.get(name) or default_year).strip()
            if not raw.isdigit() or not 1900 <= int(raw) <= 2200:
                raise ValidationFailed(_("Năm không hợp lệ."), field=name)
            return int(raw)

        codes = params.getlist("chi_tieu") if hasattr(params, "getlist") else params.get("chi_tieu")
        grain = str(params.get("gop") or "period")
        if grain not in GRAINS:
            raise ValidationFailed(_("Cách gộp kỳ không hợp lệ."), field="gop")
        combo = params.get("phan_to")
        return cls(
            rows=dims("hang", (INDICATOR,)),
            columns=dims("cot", (PERIOD,)),
            form=str(params.get("bieu") or "").strip(),
            indicators=tuple(str(c).strip() for c in (codes or []) if str(c).strip()),
            org=str(params.get("don_vi") or "").strip(),
            year_from=year("tu_nam"),
            year_to=year("den_nam"),
            grain=grain,
            combo=None if combo in (None, "") else str(combo),
            approved_only=not params.get("chua_duyet"),
        )

    def params(self) -> dict[str, Any]:
        """The GET parameters of this query (what a saved view keeps)."""
        out: dict[str, Any] = {
            "hang": ",".join(self.rows),
            "cot": ",".join(self.columns),
            "don_vi": self.org,
            "tu_nam": self.year_from,
            "den_nam": self.year_to,
            "gop": self.grain,
        }
        if self.form:
            out["bieu"] = self.form
        if self.indicators:
            out["chi_tieu"] = list(self.indicators)
        if self.combo is not None:
            out["phan_to"] = self.combo
        if not self.approved_only:
            out["chua_duyet"] = "1"
        return out


def _check(query: PivotQuery) -> None:
    shown = query.rows + query.columns
    if not query.rows or len(query.rows) > 2 or len(query.columns) > 1:
        raise ValidationFailed(
            _("Chọn một hoặc hai chiều ở dòng và tối đa một chiều ở cột."), field="hang"
        )
    if len(set(shown)) != len(shown):
        raise ValidationFailed(_("Mỗi chiều chỉ được đặt ở dòng hoặc ở cột một lần."), field="cot")
    if query.year_to < query.year_from:
        raise ValidationFailed(_("Năm kết thúc phải không trước năm bắt đầu."), field="den_nam")
    if query.year_to - query.year_from >= MAX_YEARS:
        raise ValidationFailed(
            format_lazy(_("Chỉ xem được tối đa {n} năm một lần."), n=MAX_YEARS), field="tu_nam"
        )


def _indicators(actor: Actor, query: PivotQuery) -> list[Indicator]:
    found = Indicator.objects.prefetch_related("categories__options")
    if not sees_secret(actor):
        found = found.filter(is_secret=False)
    if query.form:
        forms = DataForm.objects.filter(code=query.form)
        if not sees_secret(actor):
            forms = forms.filter(is_secret=False)
        form = forms.first()
        if form is None:
            raise NotFound(_("Không có biểu báo cáo này."), field="bieu")
        chosen = list(found.filter(formrow_in(form)).order_by("code"))
        order = {pk: i for i, pk in enumerate(form.rows.values_list("indicator_id", flat=True))}
        chosen.sort(key=lambda i: order.get(i.pk, 0))
    elif query.indicators:
        chosen = list(found.filter(code__in=query.indicators).order_by("code"))
        missing = set(query.indicators) - {i.code for i in chosen}
        if missing:
            raise NotFound(
                format_lazy(_("Không có chỉ tiêu: {codes}."), codes=", ".join(sorted(missing))),
                field="chi_tieu",
            )
    else:
        raise ValidationFailed(_("Chọn một biểu hoặc ít nhất một chỉ tiêu."), field="bieu")
    if not chosen:
        raise ValidationFailed(_("Biểu này không có chỉ tiêu nào bạn được xem."), field="bieu")
    shown = query.rows + query.columns
    if INDICATOR not in shown and len(chosen) > 1:
        raise ValidationFailed(
            _("Khi không đặt chỉ tiêu ở dòng hoặc cột, chỉ chọn một chỉ tiêu."), field="hang"
        )
    return chosen


def formrow_in(form: DataForm) -> Q:
    return Q(pk__in=form.rows.values("indicator_id"))


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    key: str
    label: str


@dataclass
class PivotTable:
    query: PivotQuery
    root: Organization
    indicators: list[Indicator]
    row_headers: list[tuple[Header, ...]]
    column_headers: list[Header]
    values: dict[tuple[tuple[str, ...], str], Decimal] = field(default_factory=dict)

    def value(self, row: tuple[str, ...], column: str) -> Decimal | None:
        return self.values.get((row, column))

    @property
    def lines(self) -> list[tuple[tuple[Header, ...], list[Decimal | None]]]:
        """The body: each row's headers and its values under each column."""
        out = []
        for headers in self.row_headers:
            key = tuple(h.key for h in headers)
            out.append((headers, [self.value(key, c.key) for c in self.column_headers]))
        return out

    @property
    def row_titles(self) -> list[str]:
        return [str(DIMENSION_LABELS[d]) for d in self.query.rows]

    @property
    def column_title(self) -> str:
        return str(DIMENSION_LABELS[self.query.columns[0]]) if self.query.columns else ""


#: the levels above the values: each organization's figure of a bucket with the indicator's time
#: rule, then the organizations of each bucket with its unit rule; ``{inner}`` gives a row per
#: indicator, organization, bucket and period (the values) or year (the summary)
_SQL = """
SELECT indicator_id, b_org, b_period, b_combo,
       CASE WHEN agg_units = 'average' THEN AVG(t)
            WHEN agg_units = 'weighted' THEN SUM(tn) * 1.0 / NULLIF(SUM(td), 0)
            ELSE SUM(t) END AS v
FROM (
    SELECT indicator_id, org_id, b_org, b_period, b_combo, agg_units,
           CASE WHEN agg_time = 'sum' THEN SUM({total})
                WHEN agg_time = 'average' THEN {average}
                ELSE MAX(CASE WHEN rn = 1 THEN {last} END) END AS t,
           SUM(vw) AS tn, SUM(w) AS td
    FROM ({inner}) per_part
    GROUP BY indicator_id, org_id, b_org, b_period, b_combo, agg_units, agg_time
) per_organization
GROUP BY indicator_id, b_org, b_period, b_combo, agg_units
"""

#: one row per indicator, organization, bucket and period (the values, added up over the
#: combinations a view does not show) or year (the yearly summary, ADR 0034)
_INNER = """
SELECT {a}.indicator_id, {a}.organization_id AS org_id, {b_org} AS b_org,
       {b_period} AS b_period, {b_combo} AS b_combo,
       i.aggregation_time AS agg_time, i.aggregation_units AS agg_units,
       {figures},
       {rank} AS rn
FROM {table} {a}
JOIN reporting_indicator i ON i.id = {a}.indicator_id
JOIN agencies_organization o ON o.id = {a}.organization_id
{join}
WHERE {a}.indicator_id IN ({indicators})
  AND o.path LIKE %s
  AND {span}
  {filters}
{group}
"""

#: a weighted indicator's values weigh its weight indicator's value of the same organization,
#: period and combination (``weighted``: Σ(value × weight) / Σ(weight) at every level)
_WEIGHT_JOIN = (
    " LEFT JOIN reporting_datavalue wv ON wv.indicator_id = i.weight_id"
    " AND wv.organization_id = dv.organization_id AND wv.period_code = dv.period_code"
    " AND wv.combo = dv.combo"
)


def summarized(query: PivotQuery) -> bool:
    """Whether the yearly summary of the approved values answers ``query``: approved values
    only, with periods added up to years or not shown (ADR 0034)."""
    shown = query.rows + query.columns
    return query.approved_only and (query.grain == "year" or PERIOD not in shown)


def _aggregate(
    *,
    indicators: list[Indicator],
    root: Organization,
    query: PivotQuery,
    from_summary: bool | None = None,
) -> list[tuple[int, str, str, str, Decimal]]:
    """One statement: (indicator id, organization bucket, period bucket, combination, value),
    read from the yearly summary when it answers the query (``from_summary`` forces either)."""
    if from_summary is None:
        from_summary = summarized(query)
    shown = query.rows + query.columns
    alias = "s" if from_summary else "dv"
    params: list[Any] = []
    join = ""
    b_org = "''"
    if ORGANIZATION in shown:
        # each child of the root stands for its subtree, the root for its own values: the
        # bucket's path is the value's organization's path up to the first "/" after the root's
        find = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
        join = (
            "JOIN agencies_organization b ON b.path ="
            f" SUBSTR(o.path, 1, %s + {find}(SUBSTR(o.path, %s), '/'))"
        )
        params += [len(root.path), len(root.path) + 1]
        b_org = "b.code"
    if PERIOD not in shown:
        b_period = "''"
    elif from_summary:
        b_period = "s.year"
    elif query.grain == "year":
        b_period = "SUBSTR(dv.period_code, 1, 4)"
    else:
        b_period = "dv.period_code"
    b_combo = f"{alias}.combo" if COMBO in shown else "''"
    ids = [i.pk for i in indicators]
    marks = ", ".join(["%s"] * len(indicators))
    params += [*ids, root.path + "%"]
    # PostgreSQL refuses a constant in GROUP BY: only the buckets a view shows are grouped on
    buckets = "".join(f", {b}" for b in (b_org, b_period, b_combo) if b != "''")
    # the latest period (year) of each bucket, for the indicators whose time rule is "last"
    # (a bucket of one year holds one summary row)
    rank = "1"
    if any(i.aggregation_time == "last" for i in indicators) and b_period != "s.year":
        rank = (
            f"ROW_NUMBER() OVER (PARTITION BY {alias}.indicator_id, {alias}.organization_id"
            f"{buckets} ORDER BY {'s.year' if from_summary else 'dv.period_code'} DESC)"
        )
    pieces = {"a": alias, "b_org": b_org, "b_period": b_period, "b_combo": b_combo,
              "rank": rank, "indicators": marks, "join": join}  # fmt: skip
    if from_summary:
        inner, figures = _summary_rows(query, pieces, params)
    else:
        inner, figures = _value_rows(query, indicators, pieces, params, buckets)
    sql = _SQL.format(inner=inner, **figures)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (int(i), str(o), str(p), str(c), Decimal(str(v)))
            for i, o, p, c, v in cursor.fetchall()
            if v is not None
        ]


def _summary_rows(
    query: PivotQuery, pieces: dict[str, str], params: list[Any]
) -> tuple[str, dict[str, str]]:
    """The inner statement over the yearly summary (its parameters added to ``params``) and
    the figures the time rules read from its rows."""
    shown = query.rows + query.columns
    params += [query.year_from, query.year_to + 1]
    if query.combo is not None:
        filters = "AND s.combo = %s"
        params.append(query.combo)
    else:  # each combination's rows, or those of all of them together
        filters = f"AND s.combo {'<>' if COMBO in shown else '='} '{ALL_COMBOS}'"
    inner = _INNER.format(
        **pieces, table="reporting_valuesummary", filters=filters, group="",
        figures="s.total, s.periods, s.last_value, s.weighted_total AS vw, s.weight_total AS w",
        span="s.year >= %s AND s.year < %s",
    )  # fmt: skip
    figures = {"total": "total", "average": "SUM(total) / (SUM(periods) * 1.0)"}
    return inner, {**figures, "last": "last_value"}


def _value_rows(
    query: PivotQuery,
    indicators: list[Indicator],
    pieces: dict[str, str],
    params: list[Any],
    buckets: str,
) -> tuple[str, dict[str, str]]:
    """The inner statement over the values, one row per period (its parameters added to
    ``params``), and the figures the time rules read from its rows."""
    params += [str(query.year_from), str(query.year_to + 1)]
    filters = ""
    if query.approved_only:  # values of approved form reports only (the flag, ADR 0027)
        filters = "AND dv.approved = %s"
        params.append(True)
    if query.combo is not None:
        filters += " AND dv.combo = %s"
        params.append(query.combo)
    # Σ(value × weight) and Σ(weight), read only when a chosen indicator is weighted
    weighted = "CAST(NULL AS NUMERIC) AS vw, CAST(NULL AS NUMERIC) AS w"
    if any(i.aggregation_units == Aggregation.WEIGHTED for i in indicators):
        pieces = {**pieces, "join": _WEIGHT_JOIN + " " + pieces["join"]}
        weighted = "SUM(dv.value * COALESCE(wv.value, 0)) AS vw, SUM(COALESCE(wv.value, 0)) AS w"
    inner = _INNER.format(
        **pieces, table="reporting_datavalue", filters=filters,
        figures=f"SUM(dv.value) AS v, {weighted}",
        span="dv.period_code >= %s AND dv.period_code < %s",
        group=f"GROUP BY dv.indicator_id, dv.organization_id{buckets}, dv.period_code,"
        " i.aggregation_time, i.aggregation_units",
    )  # fmt: skip
    return inner, {"total": "v", "average": "AVG(v)", "last": "v"}


def _round(value: Decimal, indicator: Indicator) -> Decimal:
    places = (
        Decimal(1)
        if indicator.value_type == "integer" and indicator.aggregation_units == "sum"
        else Decimal("0.01")
    )
    return value.quantize(places)


def pivot(*, actor: Actor, query: PivotQuery) -> PivotTable:
    """The pivot table of ``query`` as ``actor`` may see it (scope, secrecy)."""
    require(actor, "reporting.view", message=_VIEW)
    _check(query)
    root = _root(actor, query.org)
    indicators = _indicators(actor, query)
    by_id = {i.pk: i for i in indicators}
    rows = _aggregate(indicators=indicators, root=root, query=query)

    labels: dict[str, dict[str, str]] = {d: {} for d in DIMENSIONS}
    for i in indicators:
        labels[INDICATOR][i.code] = f"{i.code} — {i.name}"
        for key, label in combos(i):
            labels[COMBO].setdefault(key, label or str(_("Tổng")))
    orgs = [root, *organizations_below(root).filter(parent=root)]
    for o in orgs:
        labels[ORGANIZATION][o.code] = o.name

    def key_of(dimension: str, record: tuple[int, str, str, str, Decimal]) -> str:
        return {
            INDICATOR: by_id[record[0]].code,
            ORGANIZATION: record[1],
            PERIOD: record[2],
            COMBO: record[3],
        }[dimension]

    seen: dict[str, set[str]] = {d: set() for d in DIMENSIONS}
    values: dict[tuple[tuple[str, ...], str], Decimal] = {}
    for record in rows:
        for d in DIMENSIONS:
            seen[d].add(key_of(d, record))
        row = tuple(key_of(d, record) for d in query.rows)
        column = key_of(query.columns[0], record) if query.columns else ""
        values[(row, column)] = _round(record[4], by_id[record[0]])

    def ordered(dimension: str) -> list[Header]:
        keys = seen[dimension]
        if dimension == INDICATOR:
            order = [i.code for i in indicators if i.code in keys]
        elif dimension == ORGANIZATION:
            order = [o.code for o in orgs if o.code in keys]
        elif dimension == COMBO:
            known = list(labels[COMBO])
            order = sorted(keys, key=lambda k: (known.index(k) if k in known else len(known), k))
        else:
            order = sorted(keys)
        return [Header(k, labels[dimension].get(k, k) or str(_("Tổng"))) for k in order]

    row_headers: list[tuple[Header, ...]] = []
    if len(query.rows) == 1:
        row_headers = [(h,) for h in ordered(query.rows[0])]
    else:
        inner = ordered(query.rows[1])
        for outer in ordered(query.rows[0]):
            for h in inner:
                if any(k[0][:2] == (outer.key, h.key) for k in values):
                    row_headers.append((outer, h))
    columns = ordered(query.columns[0]) if query.columns else [Header("", str(_("Giá trị")))]
    return PivotTable(
        query=query,
        root=root,
        indicators=indicators,
        row_headers=row_headers,
        column_headers=columns,
        values=values,
    )


def number(value: Decimal | None) -> str:
    """A figure the Vietnamese way: ``12.345,6``; empty for none."""
    if value is None:
        return ""
    text = f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# --- export ---------------------------------------------------------------------------------


def pivot_xlsx(table: PivotTable) -> bytes:
    """The table as shown, as XLSX (numbers as numbers)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "PhanTich"
    sheet.append([str(_("Phân tích số liệu chỉ tiêu")), table.root.name])
    sheet.append(
        [
            str(_("Năm")),
            f"{table.query.year_from}–{table.query.year_to}",
            str(_("Chỉ số liệu đã phê duyệt")) if table.query.approved_only else "",
        ]
    )
    sheet.append([])
    sheet.append([*table.row_titles, *(h.label for h in table.column_headers)])
    for headers, values in table.lines:
        sheet.append(
            [*(h.label for h in headers), *(float(v) if v is not None else None for v in values)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- charts ---------------------------------------------------------------------------------

PALETTE = ("#1f5fa8", "#c0392b", "#1e8449", "#b9770e", "#6c3483", "#117a65", "#7b7d7d", "#a04000")


def trend_svg(
    table: PivotTable, *, width: int = 720, height: int = 260, limit: int = 8
) -> SafeString:
    """A line chart of the table's rows over its period columns, as inline SVG markup (no
    script); empty when periods are not the columns or nothing is there."""
    if table.query.columns != (PERIOD,) or not table.column_headers:
        return SafeString("")
    series = [(" · ".join(h.label for h in headers), values) for headers, values in table.lines]
    series = [(n, v) for n, v in series if any(x is not None for x in v)][:limit]
    if not series:
        return SafeString("")
    figures = [float(x) for _n, vs in series for x in vs if x is not None]
    low, high = min(0.0, min(figures)), max(figures)
    span = (high - low) or 1.0
    legend = 18 * len(series)
    height += legend
    left, right, top, bottom = 70, 36, 12, 40 + legend
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(table.column_headers)
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (v - low) / span * plot_h

    parts = [
        format_html(
            '<svg class="trend" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg">',
            width,
            height,
            _("Xu hướng theo kỳ"),
        )
    ]
    for frac in (0, 0.5, 1):
        level = low + span * frac
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ccc" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                left,
                width - right,
                f"{y(level):.1f}",
                f"{y(level):.1f}",
                left - 6,
                f"{y(level) + 4:.1f}",
                number(Decimal(str(round(level, 2)))),
            )
        )
    every = max(1, n // 10)
    for i, h in enumerate(table.column_headers):
        if i % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                    f"{x(i):.1f}",
                    height - bottom + 16,
                    h.label,
                )
            )
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(
            f"{x(i):.1f},{y(float(v)):.1f}" for i, v in enumerate(values) if v is not None
        )
        parts.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="2" points="{}">'
                "<title>{}</title></polyline>",
                colour,
                points,
                name,
            )
        )
        for i, v in enumerate(values):
            if v is not None:
                parts.append(
                    format_html(
                        '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>',
                        f"{x(i):.1f}",
                        f"{y(float(v)):.1f}",
                        colour,
                        name,
                        number(v),
                    )
                )
    for k, (name, _values) in enumerate(series):  # the legend, under the axis
        row = height - legend + 4 + 18 * k
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="4" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                left,
                row + 4,
                PALETTE[k % len(PALETTE)],
                left + 20,
                row + 10,
                name,
            )
        )
    parts.append(SafeString("</svg>"))
    return format_html_join("", "{}", ((p,) for p in parts))


def sparkline_svg(values: Sequence[Decimal], *, width: int = 120, height: int = 28) -> SafeString:
    """A small line of ``values`` (oldest first) as inline SVG."""
    if len(values) < 2:
        return SafeString("")
    figures = [float(v) for v in values]
    low, high = min(figures), max(figures)
    span = (high - low) or 1.0
    step = (width - 4) / (len(figures) - 1)
    points = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(figures)
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" aria-hidden="true" '
        'xmlns="http://www.w3.org/2000/svg"><polyline fill="none" stroke="#1f5fa8" '
        'stroke-width="1.5" points="{}"/></svg>',
        width,
        height,
        width,
        height,
        points,
    )


# --- saved views ----------------------------------------------------------------------------


def saved_views(actor: Actor) -> QuerySet[SavedView]:
    """The views ``actor`` saved and those shared with an organization they belong to."""
    if not is_staff_user(actor):
        return SavedView.objects.none()
    user: User = actor
    orgs = user_organizations(user).values("organization_id")
    return SavedView.objects.filter(Q(owner=user) | Q(organization_id__in=orgs)).select_related(
        "owner", "organization"
    )


def saved_view_get(*, actor: Actor, view_id: int) -> SavedView:
    found = saved_views(actor).filter(pk=view_id).first()
    if found is None:
        raise NotFound(_("Không tìm thấy bảng phân tích đã lưu."))
    return found


def saved_view_save(*, actor: Actor, name: str, query: PivotQuery, share: bool) -> SavedView:
    """Keeps ``query`` under ``name`` for the actor (``share``: for the members of the
    organization they act in too)."""
    require(actor, "reporting.view", message=_VIEW)
    user = acting_user(actor)
    if user is None:
        raise ValidationFailed(_VIEW)
    name = nfc(name.strip())
    if not name:
        raise ValidationFailed(_("Đặt tên cho bảng phân tích."), field="ten")
    if len(name) > 200:
        raise ValidationFailed(_("Tên dài quá 200 ký tự."), field="ten")
    _check(query)
    organization = None
    if share:
        membership = primary_membership(user)
        if membership is None:
            raise ValidationFailed(
                _("Bạn chưa thuộc cơ quan, đơn vị nào để chia sẻ."), field="chia_se"
            )
        organization = membership.organization
    return SavedView.objects.create(
        name=name, owner=user, organization=organization, query=query.params()
    )


def saved_view_delete(*, actor: Actor, view_id: int) -> None:
    """Deletes a view the actor saved (a shared view only by its owner)."""
    found = saved_view_get(actor=actor, view_id=view_id)
    user = acting_user(actor)
    if user is None or found.owner_id != user.pk:
        raise NotFound(_("Không tìm thấy bảng phân tích đã lưu."))
    found.delete()


# --- the leaders' dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    indicator: Indicator
    period: str
    value: Decimal
    previous_period: str
    previous: Decimal | None
    history: list[Decimal]

    @property
    def change(self) -> Decimal | None:
        if self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.previous in (None, 0):
            return None
        assert self.previous is not None
        return ((self.value - self.previous) / abs(self.previous) * 100).quantize(Decimal("0.1"))

    @property
    def value_text(self) -> str:
        return number(self.value)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return ""
        return ("+" if change > 0 else "") + number(change)

    @property
    def percent_text(self) -> str:
        percent = self.change_percent
        if percent is None:
            return ""
        return ("+" if percent > 0 else "") + number(percent)

    @property
    def sparkline(self) -> SafeString:
        return sparkline_svg(self.history)


def key_figures(
    *, actor: Actor, year: int, years: int = 5, org: str = ""
) -> tuple[Organization, list[KeyFigure]]:
    """The latest approved value of each key indicator the actor may see, over their scope,
    with the previous period's and the history of the last ``years`` years (one query)."""
    require(actor, "reporting.view", message=_VIEW)
    found = Indicator.objects.filter(is_key=True)
    if not sees_secret(actor):
        found = found.filter(is_secret=False)
    codes = tuple(found.order_by("code").values_list("code", flat=True))
    root = _root(actor, org)
    if not codes:
        return root, []
    table = pivot(
        actor=actor,
        query=PivotQuery(
            rows=(INDICATOR,),
            columns=(PERIOD,),
            indicators=codes,
            org=root.code,
            year_from=year - years + 1,
            year_to=year,
        ),
    )
    out = []
    for headers, values in table.lines:
        indicator = next(i for i in table.indicators if i.code == headers[0].key)
        series = [
            (h.key, v) for h, v in zip(table.column_headers, values, strict=True) if v is not None
        ]
        if not series:
            continue
        period, value = series[-1]
        previous_period, previous = series[-2] if len(series) > 1 else ("", None)
        out.append(
            KeyFigure(
                indicator=indicator,
                period=period,
                value=value,
                previous_period=previous_period,
                previous=previous,
                history=[v for _p, v in series],
            )
        )
    return root, out
