"""Reporting benchmark: a province-year civil-status report over the registry benchmark's data.

Load the data first with the registry benchmark into a database of your own, then time the
report (the three grouped queries of ``hotich.registry.statistics`` plus building the form)::

    createdb -h 127.0.0.1 -U postgres reporting_bench
    .venv/bin/python bench/registry_bench.py --records 2500000 --workers 2 \
        --no-doc --database postgres://postgres@127.0.0.1:5432/reporting_bench
    .venv/bin/python bench/reporting_bench.py \
        --database postgres://postgres@127.0.0.1:5432/reporting_bench --year 2024

It prints a markdown section (machine, data size, median / p95 per step) for
docs/benchmarks.md; it writes nothing to the database except what the report reads.
Target: a province-year report in under 2 s on PostgreSQL at 2.5 million records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    os.environ.setdefault("HOTICH_DATA_DIR", tempfile.mkdtemp(prefix="hotich-rbench-"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _time(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    fn()  # warm-up (plans, caches)
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - start) * 1000)
    return runs, result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _machine() -> str:
    cores = os.cpu_count() or 0
    try:
        pages = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        memory = f", {pages / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        memory = ""
    return f"{platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="postgres://user@host:port/db")
    parser.add_argument("--province", default="40")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    _setup(args.database)

    from django.db import connection

    from hotich.geo.selectors import unit_get
    from hotich.geo.vocabulary import Level
    from hotich.registry.models import Record
    from hotich.registry.statistics import civil_status_counts
    from hotich.reporting.civil_status import civil_status_report, report_units
    from hotich.reporting.definitions import get_definition
    from hotich.reporting.exports import report_payload, report_xlsx

    definition = get_definition("civil_status")
    province = unit_get(level=Level.PROVINCE, code=args.province)
    period = definition.period("yearly", args.year)
    total = Record.objects.count()
    in_period = Record.objects.filter(
        registration_date__gte=period.start, registration_date__lte=period.end
    ).count()
    unit_ids = [u.pk for u in report_units(province)]

    def counts() -> Any:
        return civil_status_counts(
            unit_ids=unit_ids, start=period.start, end=period.end, age_bounds=definition.age_groups
        )

    def report() -> Any:
        return civil_status_report(actor=None, unit=province, period=period, definition=definition)

    steps: list[tuple[str, list[float]]] = []
    runs, _ = _time(counts, args.repeat)
    steps.append(("grouped queries (births, deaths, marriages)", runs))
    runs, built = _time(report, args.repeat)
    steps.append(
        (f"**whole report** (queries + form, 1 province, {len(built.rows)} communes)", runs)
    )
    runs, _ = _time(lambda: report_payload(built), max(3, args.repeat // 3))
    steps.append(("JSON payload + schema validation", runs))
    runs, _ = _time(lambda: report_xlsx(built), max(3, args.repeat // 3))
    steps.append(("XLSX in the form layout", runs))

    vendor = connection.vendor
    median = statistics.median(steps[1][1])
    lines = [
        f"## Reporting — {vendor}, province-year report ({dt.date.today():%Y-%m-%d})",
        "",
        f"`bench/reporting_bench.py --year {args.year}` on {_machine()}; "
        f"{total:,} records in the database (registry benchmark data), "
        f"{in_period:,} registered in the yearly period {period.code} "
        f"({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}). {args.repeat} runs after a warm-up.",
        "",
        "| step | median | p95 | min | max |",
        "|---|---|---|---|---|",
    ]
    for name, values in steps:
        lines.append(
            f"| {name} | {statistics.median(values):.0f} ms | {_p95(values):.0f} ms | "
            f"{min(values):.0f} ms | {max(values):.0f} ms |"
        )
    lines += [
        "",
        f"Target < 2 s for a province-year: {'met' if median < 2000 else 'missed'} "
        f"(median {median:.0f} ms). Figures: births {built.total.values['KS_TONG']:,}, "
        f"deaths {built.total.values['KT_TONG']:,}, marriages {built.total.values['KH_TONG']:,}.",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
