"""Analytics benchmark: the pivot over millions of indicator values, a cell save and the
completeness of a form, on PostgreSQL.

Builds, in a database of your own, a province of ``--orgs`` communes, ``--forms`` monthly forms
of ten indicators each (one disaggregated by sex: eleven values per form, organization and
month), assigned to every commune, and ``--years`` years of values loaded with COPY; every
month approved except the last one, left open for the cell saves. The yearly summary of the
approved values (ADR 0034) is computed as the values are written and loaded with COPY too; one
form's is then recomputed by ``summaries.summary_refresh`` and must come out the same. Then
times:

- the pivot of one indicator group (a form) over the province for the whole span, twice: the
  province's totals (indicators × years) and the communes (communes × indicators), both read
  from the summary; and the province's totals by month over one year, read from the values;
- cell saves (``datasets.value_save``) in the open month;
- the completeness of one form for a month and for the twelve months of a year, all communes
  (twelve calls of the month's, and ``form_completeness_year``: one grouped query);
- the XLSX upload (``form_sheets.form_values_upload``, what the entry page calls) of a filled
  layout of a form of 200 indicators by ten age groups: 2,000 values.

``--load-only`` loads without timing; ``--reuse`` times a loaded base.

::

    createdb -h 127.0.0.1 -U postgres analytics_bench
    .venv/bin/python bench/analytics_bench.py --orgs 500 --forms 60 --years 5 \\
        --database postgres://postgres@127.0.0.1:5432/analytics_bench

It prints a markdown section for docs/benchmarks.md. Targets (issue 17): the pivot of one
indicator group over the province for 5 years p95 < 500 ms; a cell save p95 < 50 ms; the
completeness dashboard for all organizations and a year < 1 s; one form's XLSX upload of 2,000
values < 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
from _pg import drop_secondary_indexes  # noqa: E402

FIRST_YEAR_END = 2025


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    os.environ.setdefault("HOTICH_DATA_DIR", tempfile.mkdtemp(prefix="hotich-abench-"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


#: the upload form: 200 indicators by ten age groups, 2,000 values in one sheet
UPLOAD_INDICATORS, UPLOAD_GROUPS = 200, 10
UPLOAD_VALUES = UPLOAD_INDICATORS * UPLOAD_GROUPS


class _Summary:
    """The yearly summary rows of one organization's approved values, as they are written
    (months in order): the loader's copy of what ``summaries.summary_refresh`` computes."""

    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id
        self.kept: dict[tuple[int, int, str], list[int]] = {}

    def add(self, indicator_id: int, month: str, combos: tuple[str, ...], value: int) -> None:
        year = int(month[:4])
        for combo, figure in [*((c, value) for c in combos), (".", value * len(combos))]:
            row = self.kept.setdefault((indicator_id, year, combo), [0, 0, 0])
            row[0] += figure
            row[1] += 1
            row[2] = figure

    def rows(self) -> list[tuple[Any, ...]]:
        return [
            (indicator_id, self.organization_id, year, combo, total, periods, last, 0, 0)
            for (indicator_id, year, combo), (total, periods, last) in self.kept.items()
        ]


def _check_summary(indicator_ids: list[int]) -> float:
    """Recompute the summary of ``indicator_ids`` with the service and check it is what was
    loaded; returns the seconds taken."""
    from hotich.reporting.models import ValueSummary
    from hotich.reporting.summaries import summary_refresh

    def rows() -> set[tuple[Any, ...]]:
        return set(
            ValueSummary.objects.filter(indicator_id__in=indicator_ids).values_list(
                "indicator_id", "organization_id", "year", "combo", "total", "periods",
                "last_value", "weighted_total", "weight_total",
            )
        )  # fmt: skip

    loaded = rows()
    start = time.perf_counter()
    summary_refresh(indicator_ids=indicator_ids)
    seconds = time.perf_counter() - start
    if rows() != loaded:
        raise SystemExit("the summary loaded is not what summary_refresh computes")
    return seconds


def _uploads(orgs: list[Any], period_code: str, today: dt.date) -> list[float]:
    """Times of ``form_values_upload`` (what the entry page's upload calls) of a filled
    layout of the upload form, one per organization of ``orgs``; the form is made when
    missing."""
    from openpyxl import load_workbook

    from hotich.reporting.datasets import form_assign, form_save
    from hotich.reporting.form_sheets import form_layout_xlsx, form_values_upload
    from hotich.reporting.indicators import OptionInput, category_save
    from hotich.reporting.models import Category, DataForm, Indicator

    codes = [f"UP_{n:03d}" for n in range(UPLOAD_INDICATORS)]
    form = DataForm.objects.filter(code="UP").first()
    if form is None:
        groups = [OptionInput(f"A{g}", f"Nhóm tuổi {g}") for g in range(UPLOAD_GROUPS)]
        category_save(actor=None, code="age10", name="Nhóm tuổi", options=groups)
        age = Category.objects.get(code="age10")
        for code in codes:
            Indicator.objects.create(code=code, name=f"Chỉ tiêu {code}", value_type="integer",
                                     aggregation_units="sum",
                                     aggregation_time="sum").categories.set([age])  # fmt: skip
        form = form_save(actor=None, code="UP", name="Biểu nhập từ tệp", regime="monthly",
                         indicators=codes, rules=[])  # fmt: skip
    form_assign(actor=None, form=form, organizations=orgs)
    rng = random.Random(2000)
    out = []
    for org in orgs:
        book = load_workbook(io.BytesIO(form_layout_xlsx(
            actor=None, form=form, organization=org, period_code=period_code, filled=False
        )))  # fmt: skip
        sheet = book.active
        for row in sheet.iter_rows(min_row=5, min_col=4, max_col=3 + UPLOAD_GROUPS):
            for cell in row:
                cell.value = rng.randint(0, 500)
        content = io.BytesIO()
        book.save(content)
        start = time.perf_counter()
        saved = form_values_upload(actor=None, form=form, organization=org,
                                   period_code=period_code, content=content.getvalue(),
                                   today=today)  # fmt: skip
        out.append((time.perf_counter() - start) * 1000)
        assert saved.filled == UPLOAD_VALUES, saved.filled
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--forms", type=int, default=60)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded data, time only")
    parser.add_argument("--load-only", action="store_true", help="load the data, time nothing")
    parser.add_argument("--uploads", type=int, default=10)
    args = parser.parse_args()
    _setup(args.database)
    from django.core.management import call_command
    from django.db import connection

    from hotich.agencies.models import Organization
    from hotich.agencies.services import organization_create
    from hotich.agencies.vocabulary import OrganizationKind
    from hotich.geo.models import Era, Level, Unit
    from hotich.reporting.analytics import INDICATOR, ORGANIZATION, PERIOD, PivotQuery, pivot
    from hotich.reporting.datasets import form_completeness, form_completeness_year, value_save
    from hotich.reporting.indicators import OptionInput, category_save
    from hotich.reporting.models import (
        Category,
        DataForm,
        DataValue,
        FormRow,
        Indicator,
        ValueSummary,
    )
    from hotich.reporting.periods import periods_of_year

    years = list(range(FIRST_YEAR_END - args.years + 1, FIRST_YEAR_END + 1))
    months = [p.code for y in years for p in periods_of_year("monthly", y)]
    open_month = months[-1]
    load_seconds = summary_seconds = 0.0
    if not args.reuse:
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        province = Unit.objects.create(era=Era.CURRENT, level=Level.PROVINCE, code="40",
                                       name="Tỉnh Nghệ An", path="n/40/")  # fmt: skip
        root = organization_create(actor=None, code="000.00.00.H41", name="UBND tỉnh",
                                   kind=OrganizationKind.PEOPLES_COMMITTEE,
                                   unit=province)  # fmt: skip
        for i in range(args.orgs):
            code = f"9{i:04d}"
            unit = Unit.objects.create(era=Era.CURRENT, level=Level.COMMUNE, code=code,
                                       name=f"Xã {i}", parent=province,
                                       path=f"n/40/{code}/")  # fmt: skip
            organization_create(actor=None, code=f"{i // 100:03d}.{i % 100:02d}.99.H41",
                                name=f"UBND xã {i}", kind=OrganizationKind.PEOPLES_COMMITTEE,
                                unit=unit, parent=root)  # fmt: skip
        category_save(actor=None, code="sex", name="Giới tính",
                      options=[OptionInput("M", "Nam"), OptionInput("F", "Nữ")])  # fmt: skip
        sex = Category.objects.get(code="sex")
        rules = ("sum", "sum", "average", "last", "sum", "average", "sum", "last", "sum", "sum")
        orgs = list(Organization.objects.exclude(pk=root.pk).values_list("pk", flat=True))
        for f in range(args.forms):
            form = DataForm.objects.create(code=f"F{f:02d}", name=f"Biểu {f}", regime="monthly")
            for n, rule in enumerate(rules):
                indicator = Indicator.objects.create(
                    code=f"F{f:02d}_{n}", name=f"Chỉ tiêu {n} của biểu {f}",
                    value_type="integer", aggregation_units="average" if rule == "average"
                    else "sum", aggregation_time=rule)  # fmt: skip
                if n == 0:
                    indicator.categories.set([sex])
                FormRow.objects.create(form=form, indicator=indicator, order=n)
            form.organizations.set(orgs)
        forms = list(DataForm.objects.filter(code__regex=r"^F[0-9]+$").order_by("code"))
        indicators = {
            f.pk: list(f.rows.order_by("order").values_list("indicator_id", flat=True))
            for f in forms
        }
        rng = random.Random(17)
        summary: list[tuple[Any, ...]] = []
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            # the loader's rows name organizations and indicators it has just made: no
            # foreign-key check per row (40 million at the scale)
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("ALTER TABLE reporting_datavalue SET UNLOGGED")
            cursor.execute(
                "ALTER TABLE reporting_datavalue DROP CONSTRAINT reporting_data_value_unique"
            )
            # the other indexes are built once after the load rather than kept row by row
            secondary = drop_secondary_indexes(cursor, "reporting_datavalue")
            raw = cursor.connection
            now = dt.datetime.now(dt.UTC)
            with raw.cursor().copy(
                "COPY reporting_datavalue (indicator_id, organization_id, period_code, combo,"
                " value, comment, updated_at, approved) FROM STDIN"
            ) as copy:
                for form in forms:
                    for org in orgs:
                        base = rng.randint(50, 5000)
                        kept = _Summary(org)
                        for month in months:
                            ok = month != open_month  # the flag the approval step keeps
                            for n, indicator_id in enumerate(indicators[form.pk]):
                                value = base + rng.randint(0, 50) + n
                                combos = ("M", "F") if n == 0 else ("",)
                                for combo in combos:
                                    copy.write_row(
                                        (indicator_id, org, month, combo, value, "", now, ok)
                                    )
                                if ok:
                                    kept.add(indicator_id, month, combos, value)
                        summary += kept.rows()
            with raw.cursor().copy(
                "COPY reporting_valuesummary (indicator_id, organization_id, year, combo, total,"
                " periods, last_value, weighted_total, weight_total) FROM STDIN"
            ) as copy:
                for row in summary:
                    copy.write_row(row)
            del summary
            with raw.cursor().copy(
                "COPY reporting_formreport (form_id, organization_id, period_code, status,"
                " reason, updated_at) FROM STDIN"
            ) as copy:
                for form in forms:
                    for org in orgs:
                        for month in months:
                            status = "open" if month == open_month else "approved"
                            copy.write_row((form.pk, org, month, status, "", now))
            cursor.execute(
                "ALTER TABLE reporting_datavalue ADD CONSTRAINT reporting_data_value_unique"
                " UNIQUE (indicator_id, organization_id, period_code, combo)"
            )
            cursor.execute("SET session_replication_role = DEFAULT")
            for _name, definition in secondary:
                cursor.execute(definition)
            cursor.execute("ALTER TABLE reporting_datavalue SET LOGGED")
            cursor.execute("ANALYZE")
        load_seconds = time.perf_counter() - start
        # the summary loaded with the values is what the service computes: one form's again
        start = time.perf_counter()
        summary_seconds = _check_summary(indicators[forms[0].pk])
        if args.load_only:
            print(
                f"loaded {DataValue.objects.count():,} values in {load_seconds:.0f} s,"
                f" one form's summary recomputed in {summary_seconds:.0f} s, the same"
            )
            return
    forms = list(DataForm.objects.filter(code__regex=r"^F[0-9]+$").order_by("code"))
    values = DataValue.objects.count()
    rng = random.Random(5)
    last_year = years[-1]

    def province_totals() -> None:
        form = rng.choice(forms)
        pivot(actor=None, query=PivotQuery(rows=(INDICATOR,), columns=(PERIOD,), form=form.code,
                                           year_from=years[0], year_to=last_year,
                                           grain="year"))  # fmt: skip

    def communes() -> None:
        form = rng.choice(forms)
        pivot(actor=None, query=PivotQuery(rows=(ORGANIZATION,), columns=(INDICATOR,),
                                           form=form.code, year_from=years[0],
                                           year_to=last_year))  # fmt: skip

    def months_of_a_year() -> None:  # read from the values: months are not summarized
        form = rng.choice(forms)
        pivot(actor=None, query=PivotQuery(rows=(INDICATOR,), columns=(PERIOD,), form=form.code,
                                           year_from=last_year, year_to=last_year))  # fmt: skip

    totals = _timed(province_totals, args.runs)
    monthly = _timed(months_of_a_year, args.runs)
    by_commune = _timed(communes, args.runs)
    orgs = list(Organization.objects.exclude(parent=None)[:200])
    today = dt.date(FIRST_YEAR_END + 1, 1, 10)
    saves = []
    for _ in range(args.saves):
        form = rng.choice(forms)
        code = f"{form.code}_{rng.randint(1, 9)}"
        org = rng.choice(orgs)
        start = time.perf_counter()
        value_save(actor=None, form=form, organization=org, period_code=open_month,
                   indicator_code=code, combo="", raw=str(rng.randint(1, 900)),
                   today=today)  # fmt: skip
        saves.append((time.perf_counter() - start) * 1000)
    month_runs = _timed(
        lambda: form_completeness(actor=None, form=forms[0], period_code=f"{last_year}-M06"),
        5,
    )
    year_runs = _timed(
        lambda: [
            form_completeness(actor=None, form=forms[0], period_code=p.code)
            for p in periods_of_year("monthly", last_year)
        ],
        3,
    )
    year_one = _timed(lambda: form_completeness_year(actor=None, form=forms[0], year=last_year), 10)
    uploads = _uploads(orgs[: args.uploads], open_month, today)
    summary_rows = ValueSummary.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"## Analytics — PostgreSQL, {values:,} values ({dt.date.today().isoformat()})\n")
    print(f"- Machine: `{platform.machine()}`, {os.cpu_count()} cores (shared with other work), "
          f"Python {platform.python_version()}, {version}")  # fmt: skip
    print(f"- Command: `bench/analytics_bench.py --orgs {args.orgs} --forms {args.forms} "
          f"--years {args.years}`; loading with COPY (values and form reports) and the "
          f"indexes rebuilt, with the yearly summary ({summary_rows:,} rows) computed as the "
          f"values are written: {load_seconds:.0f} s; one form's summary recomputed by "
          f"`summary_refresh` and found the same: {summary_seconds:.0f} s\n")  # fmt: skip
    print("| measure | target | median | p95 |\n|---|---|---|---|")
    print(f"| pivot, one form (10 indicators), province totals × {args.years} years "
          f"({args.runs} runs) | p95 < 500 ms | {_p(totals, 0.5):.0f} ms | "
          f"{_p(totals, 0.95):.0f} ms |")  # fmt: skip
    print(f"| pivot, one form, province totals × the 12 months of a year, from the values "
          f"({args.runs} runs) | — | {_p(monthly, 0.5):.0f} ms | "
          f"{_p(monthly, 0.95):.0f} ms |")  # fmt: skip
    print(f"| pivot, one form, {args.orgs} communes × indicators over {args.years} years "
          f"({args.runs} runs) | p95 < 500 ms | {_p(by_commune, 0.5):.0f} ms | "
          f"{_p(by_commune, 0.95):.0f} ms |")  # fmt: skip
    print(f"| cell save ({args.saves}) | p95 < 50 ms | {_p(saves, 0.5):.1f} ms | "
          f"{_p(saves, 0.95):.1f} ms |")  # fmt: skip
    print(f"| completeness, one form, {args.orgs} communes, one month | < 1 s | "
          f"{_p(month_runs, 0.5):.0f} ms | {_p(month_runs, 0.95):.0f} ms |")  # fmt: skip
    print(f"| completeness, one form, {args.orgs} communes, the 12 months of a year | < 1 s | "
          f"{_p(year_runs, 0.5):.0f} ms | {_p(year_runs, 0.95):.0f} ms |")  # fmt: skip
    print(f"| completeness, one form, {args.orgs} communes, a year in one call "
          f"(`form_completeness_year`, 10 runs) | < 1 s | "
          f"{_p(year_one, 0.5):.0f} ms | {_p(year_one, 0.95):.0f} ms |")  # fmt: skip
    print(f"| XLSX upload of one form's {UPLOAD_VALUES:,} values "
          f"(`form_values_upload`, {len(uploads)} communes) | < 2 s | "
          f"{_p(uploads, 0.5):.0f} ms | {_p(uploads, 0.95):.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
