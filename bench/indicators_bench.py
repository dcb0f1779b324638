"""Indicator engine benchmark: data-entry cell saves and the completeness of one form.

Builds, in a database of your own, a province with ``--orgs`` communes (organizations), the demo
catalogue's twelve indicators in one yearly form assigned to all of them, then times cell saves
(``datasets.value_save``: checks, the upsert, the audit entry and the recomputed rules) and the
completeness of the form for a period over every organization::

    createdb -h 127.0.0.1 -U postgres indicators_bench
    .venv/bin/python bench/indicators_bench.py --orgs 500 \
        --database postgres://postgres@127.0.0.1:5432/indicators_bench

It prints a markdown section for docs/benchmarks.md. Targets (issue 17): a cell save p95 < 50 ms;
the completeness of all organizations for a year < 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    os.environ.setdefault("HOTICH_DATA_DIR", tempfile.mkdtemp(prefix="hotich-ibench-"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    _setup(args.database)
    from django.core.management import call_command
    from django.db import connection

    from hotich.agencies.services import organization_create
    from hotich.agencies.vocabulary import OrganizationKind
    from hotich.geo.models import Era, Level, Unit
    from hotich.reporting.datasets import form_assign, form_completeness, form_save, value_save
    from hotich.reporting.demo import YEARLY, _catalogue

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    province = Unit.objects.create(era=Era.CURRENT, level=Level.PROVINCE, code="40",
                                   name="Tỉnh Nghệ An", path="n/40/")  # fmt: skip
    root = organization_create(actor=None, code="000.00.00.H41", name="UBND tỉnh",
                               kind=OrganizationKind.PEOPLES_COMMITTEE, unit=province)  # fmt: skip
    orgs = []
    for i in range(args.orgs):
        code = f"9{i:04d}"
        unit = Unit.objects.create(
            era=Era.CURRENT,
            level=Level.COMMUNE,
            code=code,
            name=f"Xã {i}",
            parent=province,
            path=f"n/40/{code}/",
        )
        orgs.append(organization_create(
            actor=None, code=f"{i // 100:03d}.{i % 100:02d}.99.H41", name=f"UBND xã {i}",
            kind=OrganizationKind.PEOPLES_COMMITTEE, unit=unit, parent=root))  # fmt: skip
    _catalogue()
    form = form_save(actor=None, code="B", name="Biểu", regime="yearly", indicators=YEARLY,
                     rules=[{"expression": "DS_NU <= DS_TB"}])  # fmt: skip
    form_assign(actor=None, form=form, organizations=orgs)
    rng = random.Random(1)
    today = dt.date(2026, 1, 10)
    cells = [("DS_TB", ""), ("DS_NU", ""), ("KS_SINH", "M"), ("KS_SINH", "F"), ("LUA_DT", "")]
    saves = []
    for _ in range(args.saves):
        org = rng.choice(orgs)
        code, combo = rng.choice(cells)
        start = time.perf_counter()
        value_save(actor=None, form=form, organization=org, period_code="2025-Y",
                   indicator_code=code, combo=combo, raw=str(rng.randint(1, 900)),
                   today=today)  # fmt: skip
        saves.append((time.perf_counter() - start) * 1000)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        value_save(actor=None, form=form, organization=orgs[0], period_code="2025-Y",
                   indicator_code="DS_TB", combo="", raw="1000", today=today)  # fmt: skip
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        rows = form_completeness(actor=None, form=form, period_code="2025-Y")
        runs.append((time.perf_counter() - start) * 1000)
    print(f"## Indicators — {connection.vendor}, {args.orgs} organizations\n")
    print("| measure | target | p50 | p95 |\n|---|---|---|---|")
    print(f"| cell save ({args.saves}) | p95 < 50 ms | {_p(saves, 0.5):.1f} ms | "
          f"{_p(saves, 0.95):.1f} ms |")  # fmt: skip
    print(f"| completeness, {len(rows)} organizations | < 1 s | {_p(runs, 0.5):.0f} ms | "
          f"{_p(runs, 0.95):.0f} ms |")  # fmt: skip
    print(f"| queries per cell save | – | {len(queries.captured_queries)} | |")


if __name__ == "__main__":
    main()
