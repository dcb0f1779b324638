"""Registry benchmark: generate a province of civil-status records, load them with
``hotich records import``, time searches.

Usage (from the project root)::

    .venv/bin/python bench/registry_bench.py --records 2500000 --workers 2 \
        --database postgres://postgres@127.0.0.1:5432/hotich_bench
    .venv/bin/python bench/registry_bench.py --records 500000 \
        --database sqlite:////tmp/bench.sqlite3

The database must be empty (the script migrates it). Records are spread over the current
communes of Nghệ An (province 40), with names from ``hotich.core.names.random_name`` and personal
IDs from ``hotich.people.personal_id.generate_personal_id``. Generation is seeded and split into
one chunk per registration year, each generated from its own seed, so the data do not depend on
the number of worker processes.

Each year is written by a worker process as a file of the platform's exchange format
(docs/interfaces.md) and loaded, in year order, by ``hotich records import`` (``call_command``):
the register's rules on every row, books opened as registrations open them, the name index,
provenance and one audit entry per batch, into the fully indexed tables. There is no loader of
the benchmark's own: the load figure is the command's. Years before 2016 are marked historic
(digitized paper books).

Searches go through ``hotich.registry.selectors.record_search`` called as ``hotich records find``
calls it (``actor=None``). The section written to ``docs/benchmarks.md`` replaces the previous
one for the same database vendor.

``--search-only`` times the searches alone on a register already in the database (a larger one
than an import run can fill in an afternoon, say), with the persons searched for sampled from
it; its section (``registry-search``) is written beside the load's.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PROVINCE = "40"  # Nghệ An
FIRST_YEAR, LAST_YEAR = 1990, 2025
LAST_DATE = dt.date(2025, 6, 30)  # registrations of 2025 stop here (before the benchmark date)
EVENT_MIX = (("birth", 0.55), ("marriage", 0.20), ("death", 0.25))
DIGITAL_FROM = 2016  # books before this year are digitized paper books (is_historic)


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    os.environ["HOTICH_DATA_DIR"] = tempfile.mkdtemp(prefix="hotich-bench-")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- generation (runs in worker processes) -----------------------------------------------


@dataclass
class Plan:
    """What the workers need: units, commune weights, per-year record counts."""

    seed: int
    units: list[tuple[int, str, str]]  # (unit id, code, name) of the current communes
    weights: list[float]
    years: list[tuple[int, int, int]]  # (year, record count, first record number)
    data_dir: str = ""  # where the workers write the exchange files, one per year


_PLAN: Plan | None = None
STATS: dict[str, Any] = {}


def _init_worker(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def wrong_tone(word: str, rng: random.Random) -> str:
    """The word with its tone mark changed (or one added): same letters, wrong diacritic."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [i for i, ch in enumerate(decomposed) if ch in _TONES]
    if tones:
        i = tones[0]
        new = rng.choice([t for t in _TONES if t != decomposed[i]])
        decomposed = decomposed[:i] + new + decomposed[i + 1 :]
    else:
        vowels = [i for i, ch in enumerate(decomposed) if ch.lower() in "aeiouy"]
        i = vowels[-1] if vowels else len(decomposed) - 1
        decomposed = decomposed[: i + 1] + rng.choice(_TONES) + decomposed[i + 1 :]
    return unicodedata.normalize("NFC", decomposed)


def _birth(rng: random.Random, before: dt.date, low: int, high: int) -> tuple[dt.date, str]:
    """A birth date ``low``..``high`` years before ``before``; precision day (or year, 10%)."""
    days = rng.randint(low * 365, high * 365)
    date = before - dt.timedelta(days=days)
    if rng.random() < 0.1:
        return dt.date(date.year, 1, 1), "y"
    return date, "d"


def _iso(date: dt.date, precision: str) -> str:
    return str(date.year) if precision == "y" else date.isoformat()


#: the columns of the exchange files (docs/interfaces.md)
PERSON_COLUMNS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "ethnicity",
    "nationality",
    "residence",
    "home_town",
    "personal_id",
)
ROLES = ("child", "father", "mother", "husband", "wife", "deceased")
DATA_COLUMNS = (
    "kind",
    "declarant_name",
    "declarant_relation",
    "death_date",
    "death_place",
    "death_cause",
)
COLUMNS = (
    "source_id",
    "event_type",
    "unit",
    "registration_date",
    "entry_number",
    "is_historic",
    *(f"{role}.{key}" for role in ROLES for key in PERSON_COLUMNS),
    *DATA_COLUMNS,
)


def generate_year(job: tuple[int, int, int]) -> dict[str, Any]:
    """The exchange file of one registration year (one seeded chunk): every entry of its books,
    numbered per book by date."""
    from hotich.core.names import random_name
    from hotich.people.personal_id import generate_personal_id

    plan = _PLAN
    assert plan is not None
    year, count, first = job
    rng = random.Random(f"{plan.seed}:{year}")
    units, weights = plan.units, plan.weights
    start = dt.date(year, 1, 1)
    end = LAST_DATE if year == LAST_YEAR else dt.date(year, 12, 31)
    span = (end - start).days
    is_historic = year < DIGITAL_FROM
    event_names = [e for e, _w in EVENT_MIX]
    event_weights = [w for _e, w in EVENT_MIX]
    # Draw (unit, event type, date) for every record, then number them per book by date.
    draws = []
    unit_idx = rng.choices(range(len(units)), weights=weights, k=count)
    events = rng.choices(range(len(event_names)), weights=event_weights, k=count)
    for i in range(count):
        draws.append((unit_idx[i], events[i], start + dt.timedelta(days=rng.randint(0, span))))
    draws.sort()
    numbers: dict[tuple[int, int], int] = {}
    samples = []

    def person(name: Any, birth: tuple[dt.date, str], place: str, home: str) -> dict[str, str]:
        bdate, prec = birth
        pid_number = ""
        if bdate.year >= 1900 and rng.random() < 0.97:
            pid_number = generate_personal_id(
                rng, province_code=PROVINCE, sex=name.sex, birth_year=bdate.year
            )
        return {
            "full_name": name.full,
            "sex": name.sex,
            "birth_date": _iso(bdate, prec),
            "birth_place": place,
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": home,
            "home_town": home,
            "personal_id": pid_number,
        }

    path = Path(plan.data_dir) / f"registry-{year}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for offset, (ui, ei, reg) in enumerate(draws):
            _unit_id, code, unit_name = units[ui]
            event = event_names[ei]
            numbers[(ui, ei)] = number = numbers.get((ui, ei), 0) + 1
            home = f"Xóm {rng.randint(1, 15)}, {unit_name}, tỉnh Nghệ An"
            row: dict[str, str] = {
                "source_id": f"{plan.seed}-{first + offset}",
                "event_type": event,
                "unit": code,
                "registration_date": reg.isoformat(),
                "entry_number": str(number),
                "is_historic": "1" if is_historic else "",
            }
            parties: dict[str, dict[str, str]] = {}
            if event == "birth":
                late = rng.random() < 0.06
                child_birth = (
                    reg - dt.timedelta(days=rng.randint(61, 3650) if late else rng.randint(0, 60)),
                    "d",
                )
                father = random_name(rng, "M")
                mother = random_name(rng, "F")
                child = random_name(rng, surname=father.surname)
                place = rng.choice(("Trạm Y tế " + unit_name, "Bệnh viện Đa khoa tỉnh Nghệ An"))
                parties["child"] = person(child, child_birth, place, home)
                parties["father"] = person(father, _birth(rng, child_birth[0], 20, 45), "", home)
                parties["mother"] = person(mother, _birth(rng, child_birth[0], 18, 40), "", home)
                principal = (child, child_birth[0].year)
                row.update(
                    kind="late" if late else "on_time",
                    declarant_name=father.full,
                    declarant_relation="Cha",
                )
            elif event == "marriage":
                husband, wife = random_name(rng, "M"), random_name(rng, "F")
                hb, wb = _birth(rng, reg, 21, 40), _birth(rng, reg, 19, 35)
                hb, wb = (hb[0], "d"), (wb[0], "d")
                parties["husband"] = person(husband, hb, "", home)
                parties["wife"] = person(wife, wb, "", home)
                principal = rng.choice(((husband, hb[0].year), (wife, wb[0].year)))
            else:
                deceased = random_name(rng)
                db = _birth(rng, reg, 30, 100)
                death = reg - dt.timedelta(days=rng.randint(0, 15))
                parties["deceased"] = person(deceased, db, "", home)
                principal = (deceased, db[0].year)
                row.update(
                    death_date=death.isoformat(),
                    death_place=home,
                    death_cause=rng.choice(("Bệnh", "Già yếu", "Tai nạn")),
                    declarant_name=random_name(rng, surname=deceased.surname).full,
                )
            for role, values in parties.items():
                row.update({f"{role}.{key}": value for key, value in values.items()})
            out.writerow([row.get(c, "") for c in COLUMNS])
            if rng.random() < 0.02:
                name, birth_year = principal
                samples.append((name.surname, name.middle, name.given, name.sex, birth_year))
    return {"year": year, "records": count, "path": str(path), "samples": samples}


def _year_counts(total: int, rng: random.Random) -> list[tuple[int, int, int]]:
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [1.0 + 0.02 * (y - FIRST_YEAR) for y in years]
    weights[-1] *= 0.5  # half a year of 2025
    total_w = sum(weights)
    counts = [int(total * w / total_w) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    out, next_id = [], 1
    for year, count in zip(years, counts, strict=True):
        out.append((year, count, next_id))
        next_id += count
    return out


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    arch = subprocess.run(["uname", "-m"], capture_output=True, text=True).stdout.strip()
    return {
        "arch": arch,
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MiB"


def build_queries(samples: list[tuple], n: int, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` queries per kind, from persons that exist (principal roles)."""
    from hotich.core.text import fold

    picks = [samples[i] for i in sorted(rng.sample(range(len(samples)), min(len(samples), 4 * n)))]
    rng.shuffle(picks)
    kinds = []
    for i, (surname, middle, given, _sex, year) in enumerate(picks):
        kind = i % 4
        full = f"{surname} {middle} {given}"
        if kind == 0:
            kinds.append(
                {"kind": "folded name + birth year", "query": fold(full), "birth_year": year}
            )
        elif kind == 1:
            kinds.append({"kind": "full name with diacritics", "query": full, "birth_year": None})
        elif kind == 2:
            kinds.append(
                {"kind": "surname + given name", "query": f"{surname} {given}", "birth_year": None}
            )
        else:
            wrong = f"{surname} {middle} {wrong_tone(given, rng)}"
            kinds.append(
                {"kind": "wrong tone marks + birth year", "query": wrong, "birth_year": year}
            )
    return kinds


def run_queries(queries: list[dict[str, Any]], vendor: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hotich.registry.selectors import record_search

    for q in queries[:20]:  # warm-up (connection, caches of Python code); not counted
        record_search(actor=None, query=q["query"], birth_year=q["birth_year"], audit=False)
    timings: list[tuple[float, dict[str, Any], int, str]] = []
    for q in queries:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            hits = record_search(
                actor=None, query=q["query"], birth_year=q["birth_year"], audit=False
            )
            elapsed = (time.perf_counter() - t0) * 1000
        slowest = max(ctx.captured_queries, key=lambda c: float(c["time"]), default=None)
        sql = slowest["sql"] if slowest else ""  # the statement that took longest
        timings.append((elapsed, q, len(hits), sql))
    # As the command really runs it: with the audit entry of the result list.
    audited = []
    for q in queries[:100]:
        t0 = time.perf_counter()
        record_search(actor=None, query=q["query"], birth_year=q["birth_year"])
        audited.append((time.perf_counter() - t0) * 1000)
    by_kind: dict[str, list[float]] = {}
    hits_by_kind: dict[str, list[int]] = {}
    for elapsed, q, nhits, _sql in timings:
        by_kind.setdefault(q["kind"], []).append(elapsed)
        hits_by_kind.setdefault(q["kind"], []).append(nhits)
    slow = max((t for t in timings if t[1]["kind"].startswith("folded")), key=lambda t: t[0])
    explain = ""
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slow[3])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + slow[3])
        explain = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
    return {
        "all": [t[0] for t in timings],
        "by_kind": by_kind,
        "hits": hits_by_kind,
        "audited": audited,
        "slow": slow,
        "explain": explain,
    }


def load(args: argparse.Namespace) -> None:
    _setup(args.database)
    from django.core.management import call_command
    from django.db import connection

    from hotich.geo.models import Unit
    from hotich.geo.services import units_load
    from hotich.geo.vocabulary import Level

    vendor = connection.vendor
    started_all = time.perf_counter()
    if "registry_record" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM registry_record")
            if cursor.fetchone()[0]:
                raise SystemExit("the database is not empty: use a new one")
    call_command("migrate", verbosity=0, interactive=False)
    units_load(provinces=[PROVINCE])
    communes = list(
        Unit.objects.filter(era="n", level=Level.COMMUNE, path__startswith=f"n/{PROVINCE}/")
        .order_by("path")
        .values_list("id", "code", "name")
    )
    rng = random.Random(args.seed)
    # Communes differ in size: wards of Vinh are big, mountain communes small (log-normal).
    weights = [rng.lognormvariate(0, 0.6) for _ in communes]
    years = _year_counts(args.records, rng)
    print(
        f"# {vendor}: {args.records:,} records, {len(communes)} communes, "
        f"{len(years)} years, {args.workers} worker(s)",
        file=sys.stderr,
    )
    data_dir = Path(tempfile.mkdtemp(prefix="hotich-registry-"))
    plan = Plan(seed=args.seed, units=communes, weights=weights, years=years)
    plan.data_dir = str(data_dir)
    try:
        totals, samples = import_years(args, plan)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            connection.connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    analyze_seconds = time.perf_counter() - t0

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
            cursor.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid) "
                "FROM pg_class c WHERE c.relname IN ('registry_person','registry_record',"
                "'registry_party','registry_book','registry_nametoken')"
            )
            rel_sizes = {r[0]: (r[1], r[2]) for r in cursor.fetchall()}
            cursor.execute(
                "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes "
                "WHERE relname = 'registry_person' ORDER BY 2 DESC"
            )
            person_indexes = cursor.fetchall()
        else:
            path = Path(connection.settings_dict["NAME"])
            size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
            rel_sizes, person_indexes = {}, []
        counts = {}
        for table in ("registry_book", "registry_record", "registry_person", "registry_party"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]

    qrng = random.Random(args.seed + 1)
    queries = build_queries(samples, args.queries // 4, qrng)
    result = run_queries(queries, vendor)
    section = report(
        args,
        vendor,
        totals,
        counts,
        analyze_seconds,
        size,
        rel_sizes,
        person_indexes,
        result,
        time.perf_counter() - started_all,
    )
    print(section)
    if not args.no_doc:
        write_doc(vendor, section)


def import_years(args: argparse.Namespace, plan: Plan) -> tuple[dict[str, int], list[tuple]]:
    """Generate the years' exchange files in worker processes and import each, in year order,
    with ``hotich records import`` while the next ones are generated."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()  # workers are forked
    totals = {"records": 0}
    samples: list[tuple] = []
    import_seconds = 0.0
    t_all = time.perf_counter()
    STATS["load_avg_start"] = os.getloadavg()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.workers, initializer=_init_worker, initargs=(plan,)) as pool:
        for out in pool.imap(generate_year, plan.years):
            t0 = time.perf_counter()
            call_command(
                "records", "import", out["path"], "--batch", str(args.batch), stdout=io.StringIO()
            )
            import_seconds += time.perf_counter() - t0
            Path(out["path"]).unlink()
            totals["records"] += out["records"]
            samples.extend(out["samples"])
            print(
                f"  {out['year']}: {totals['records']:,} records, import "
                f"{totals['records'] / import_seconds:,.0f}/s",
                file=sys.stderr,
            )
    STATS.update(
        import_seconds=import_seconds,
        wall_seconds=time.perf_counter() - t_all,
        load_avg_end=os.getloadavg(),
    )
    return totals, samples


def report(
    args: argparse.Namespace,
    vendor: str,
    totals: dict[str, int],
    counts: dict[str, int],
    analyze_s: float,
    size: int,
    rel_sizes: dict[str, tuple[int, int]],
    person_indexes: list[tuple[str, int]],
    result: dict[str, Any],
    total_s: float,
) -> str:
    machine = _machine()
    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[vendor]
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        server = cursor.fetchone()[0]
    shown_url = re.sub(r"//[^@/]*@", "//postgres@", args.database)
    command = (
        f".venv/bin/python bench/registry_bench.py --records {args.records} --database {shown_url}"
    )
    if args.workers != 1:
        command += f" --workers {args.workers}"
    if args.batch != 5000:
        command += f" --batch {args.batch}"
    lines = [
        f"<!-- registry-bench:{vendor} -->",
        f"## Registry — {name}, {totals['records']:,} records",
        "",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: `{machine['arch']}`, {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram']} RAM; {machine['os']}; Python {machine['python']}; "
        f"{name} {server}",
        f"- Command: `{command}`",
        f"- Data: {counts['registry_record']:,} records, {counts['registry_person']:,} persons, "
        f"{counts['registry_party']:,} parties, {counts['registry_book']:,} books "
        f"(seed {args.seed}; Nghệ An, {FIRST_YEAR}–{LAST_YEAR}; births 55 % with child, father "
        "and mother, marriages 20 %, deaths 25 %)",
        f"- Database size: {_mb(size)}"
        + (" (`pg_database_size`)" if vendor == "postgresql" else " (file + WAL)"),
    ]
    if rel_sizes:
        parts = [
            f"{t.removeprefix('registry_')} {_mb(total)} (heap {_mb(heap)})"
            for t, (total, heap) in sorted(rel_sizes.items())
        ]
        lines.append("- Tables with indexes: " + ", ".join(parts))
    if person_indexes:
        lines.append("- Person indexes: " + ", ".join(f"`{n}` {_mb(s)}" for n, s in person_indexes))
    import_s, wall_s = STATS["import_seconds"], STATS["wall_seconds"]
    lines.append(
        f"- Load: `hotich records import` of one exchange file per year (batches of "
        f"{args.batch:,}; every row checked by the register's rules, books opened, name index, "
        f"provenance, one audit entry per batch; every index and constraint in place): "
        f"**{totals['records'] / import_s:,.0f} records/s** ({import_s:,.1f} s in the command); "
        f"end to end with the generation in {args.workers} worker process(es): "
        f"{totals['records'] / wall_s:,.0f} records/s ({wall_s:,.1f} s)"
    )
    lines.append(
        "- Load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in STATS["load_avg_start"])
        + "; at the end: "
        + ", ".join(f"{x:.2f}" for x in STATS["load_avg_end"])
    )
    lines.append(
        f"- {'VACUUM ANALYZE' if vendor == 'postgresql' else 'ANALYZE + checkpoint'} "
        f"{analyze_s:,.1f} s (not counted); whole run {total_s / 60:,.1f} min"
    )
    lines += search_lines(result)
    lines += [
        f"Load target ≥ 10,000 records/s (`hotich records import`, every index and constraint): "
        f"{'met' if totals['records'] / import_s >= 10000 else '**missed**'}.",
        "",
        *slowest_lines(result),
        f"<!-- /registry-bench:{vendor} -->",
    ]
    return "\n".join(lines) + "\n"


def search_lines(result: dict[str, Any]) -> list[str]:
    """The searches' table and the verdict on the name + birth year target."""
    lines = [
        "",
        f"Search: `hotich.registry.selectors.record_search(actor=None, query=…, birth_year=…, "
        f"audit=False)` (what `hotich records find` calls), limit 50, {len(result['all'])} "
        "queries built from persons in the data, one run each after 20 warm-up queries:",
        "",
        "| queries | n | p50 ms | p95 ms | p99 ms | max ms | median hits |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def row(label: str, values: list[float], hits: list[int] | None) -> str:
        med = f"{statistics.median(hits):.0f}" if hits else "–"
        return (
            f"| {label} | {len(values)} | {_percentile(values, 50):.1f} | "
            f"{_percentile(values, 95):.1f} | {_percentile(values, 99):.1f} | "
            f"{max(values):.1f} | {med} |"
        )

    for kind, values in result["by_kind"].items():
        lines.append(row(kind, values, result["hits"][kind]))
    lines.append(row("**all**", result["all"], None))
    lines.append(row("with the audit entry (first 100, as the command)", result["audited"], None))
    target = _percentile(result["by_kind"]["folded name + birth year"], 95)
    verdict = "met" if target < 25 else "**missed**"
    lines += ["", f"Target p95 < 25 ms for name + birth year: {verdict} ({target:.1f} ms)."]
    return lines


def slowest_lines(result: dict[str, Any]) -> list[str]:
    return [
        f"Slowest name + birth year query ({result['slow'][0]:.1f} ms, "
        f"`{result['slow'][1]['query']}` {result['slow'][1]['birth_year']}):",
        "",
        "```",
        result["explain"],
        "```",
    ]


def sample_persons(n: int, rng: random.Random) -> list[tuple]:
    """``n`` principal persons of the register in the database, drawn at random (seeded):
    (surname, middle, given, sex, birth year), as the generator's samples."""
    from django.db.models import Max

    from hotich.registry.models import Party, Person
    from hotich.registry.vocabulary import PRINCIPAL_ROLES

    top = Person.objects.aggregate(top=Max("id"))["top"] or 0
    found: dict[int, tuple] = {}
    for _ in range(20 * n):
        if len(found) == n:
            break
        row = (
            Party.objects.filter(
                role__in=PRINCIPAL_ROLES,
                person_id__gte=rng.randint(1, top),
                person__birth_year__isnull=False,
            )
            .order_by("person_id")
            .values_list(
                "person_id",
                "person__surname",
                "person__middle",
                "person__given",
                "person__sex",
                "person__birth_year",
            )
            .first()
        )
        if row is not None:
            found[row[0]] = row[1:]
    return [found[k] for k in sorted(found)]


def search_only(args: argparse.Namespace) -> None:
    """The searches alone, on a register already in the database (filled by an earlier run of
    this script, or by any loader): nothing is written, and the persons searched for are
    sampled from the database."""
    _setup(args.database)
    from django.db import connection

    from hotich.registry.models import Record

    vendor = connection.vendor
    records = Record.objects.count()
    if not records:
        raise SystemExit("the database holds no register: run without --search-only first")
    load_before = os.getloadavg()
    samples = sample_persons(4 * (args.queries // 4), random.Random(args.seed))
    queries = build_queries(samples, args.queries // 4, random.Random(args.seed + 1))
    # The same queries twice: first as they find the caches, then with their pages read once.
    passes = [run_queries(queries, vendor) for _ in range(2)]
    load_after = os.getloadavg()
    machine = _machine()
    name = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[vendor]
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            size = f"{_mb(cursor.fetchone()[0])} (`pg_database_size`)"
        else:
            cursor.execute("SELECT sqlite_version()")
            server = cursor.fetchone()[0]
            path = Path(connection.settings_dict["NAME"])
            size = _mb(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")))
        counts = {}
        for table in ("registry_record", "registry_person", "registry_nametoken"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    shown_url = re.sub(r"//[^@/]*@", "//postgres@", args.database)
    lines = [
        f"<!-- registry-search:{vendor} -->",
        f"## Registry search — {name}, {records:,} records",
        "",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: `{machine['arch']}`, {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram']} RAM; {machine['os']}; Python {machine['python']}; "
        f"{name} {server}",
        f"- Command: `.venv/bin/python bench/registry_bench.py --search-only --database "
        f"{shown_url}` (the register already in the database; persons sampled from it, seed "
        f"{args.seed})",
        f"- Register: {counts['registry_record']:,} records, {counts['registry_person']:,} "
        f"persons, {counts['registry_nametoken']:,} name-index rows; database size {size}",
        "- Load average (1, 5, 15 min) before the searches: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in load_after),
        "",
        "**First pass** (the pages as the caches hold them: on a database larger than the "
        "memory, many are read from disk):",
        *search_lines(passes[0]),
        "",
        "**Second pass** (the same queries again):",
        *search_lines(passes[1]),
        "",
        *slowest_lines(passes[0]),
        f"<!-- /registry-search:{vendor} -->",
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_doc:
        write_doc(vendor, section, tag="registry-search")


def write_doc(vendor: str, section: str, tag: str = "registry-bench") -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
    pattern = re.compile(rf"<!-- {tag}:{vendor} -->.*?<!-- /{tag}:{vendor} -->\n", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument(
        "--database",
        required=True,
        help="postgres://user@host:port/db or sqlite:////path (empty database)",
    )
    parser.add_argument("--seed", type=int, default=40)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1, help="generator processes")
    parser.add_argument("--batch", type=int, default=5000, help="rows per import batch")
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="time the searches on the register already in the database (loads nothing)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    if args.search_only:
        search_only(args)
    else:
        load(args)


if __name__ == "__main__":
    main()
