"""Bulk import into a live register: ``hotich records import`` while name + year searches run.

Usage (from the project root), on a database already filled by ``bench/registry_bench.py``::

    .venv/bin/python bench/records_import_bench.py --records 200000 \
        --database postgres://postgres@127.0.0.1:5432/hotich_bench_registry

1. An exchange-format file (docs/interfaces.md) of ``--records`` entries is written: births
   55 %, marriages 20 %, deaths 25 %, registered in the current year in the communes of the
   database, entry numbers after the last ones of those books, names from
   ``hotich.core.names.random_name`` (seeded).
2. A second process runs name + birth year searches (``record_search`` as ``hotich records find``
   calls it), ``--search-rate`` a second (20: a province's officers at a busy hour; 0: back to
   back), first alone (baseline), then during the import, until the import ends; each query's
   time is kept with the phase it fell in.
3. The import is ``call_command("records", "import", FILE)``: the command users run, in this
   process. Its time is split with the run's own timestamps: reading and checking the rows
   (until the ``ImportRun`` row exists) and writing the batches.
4. An imported person is then found by name and year, and the counts are checked.
5. The CPU time of the import is read from ``/proc`` (so PostgreSQL must run on this machine):
   the importing process and its checking workers, its PostgreSQL server process, and the
   server's other processes (WAL writer, checkpointer, autovacuum; the searches' server process
   left out). Their sum per record bounds what the machine's cores can import by this path.

The section written to ``docs/benchmarks.md`` replaces the previous one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from registry_bench import _machine, _percentile, _setup

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
MARK = "records-import-bench"


def _person(rng: random.Random, sex: str | None, born: dt.date, full: bool = True) -> dict:
    from hotich.core.names import random_name

    name = random_name(rng, sex=sex)
    return {
        "full_name": name.full,
        "sex": name.sex,
        "birth_date": born.isoformat() if full else str(born.year),
    }


def write_file(path: Path, n: int, seed: int) -> tuple[int, list[tuple[str, int]]]:
    """The exchange file; returns the registration year and some (name, birth year) to find."""
    from django.db.models import Max

    from hotich.geo.models import Unit
    from hotich.geo.vocabulary import Era, Level
    from hotich.registry.models import Book

    rng = random.Random(seed)
    today = dt.date.today()
    year = today.year
    communes = list(
        Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE)
        .filter(pk__in=Book.objects.values("scope_unit_id"))
        .values_list("pk", "code")
    )
    last = {
        (b["unit_id"], b["event_type"]): b["top"]
        for b in Book.objects.filter(year=year)
        .values("unit_id", "event_type")
        .annotate(top=Max("last_entry_number"))
    }
    columns = [
        "source_id",
        "event_type",
        "unit",
        "registration_date",
        "entry_number",
        "child.full_name",
        "child.sex",
        "child.birth_date",
        "father.full_name",
        "father.birth_date",
        "mother.full_name",
        "mother.birth_date",
        "husband.full_name",
        "husband.birth_date",
        "wife.full_name",
        "wife.birth_date",
        "deceased.full_name",
        "deceased.sex",
        "deceased.birth_date",
        "death_date",
        "death_place",
    ]
    start = dt.date(year, 1, 1)
    span = max(1, (today - start).days - 1)
    found: list[tuple[str, int]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(columns) + "\n")
        for i in range(n):
            unit_id, code = rng.choice(communes)
            kind = rng.choices(["birth", "marriage", "death"], [55, 20, 25])[0]
            number = last.get((unit_id, kind), 0) + 1
            last[(unit_id, kind)] = number
            reg = start + dt.timedelta(days=rng.randrange(span))
            row = dict.fromkeys(columns, "")
            row.update(
                source_id=f"b{seed}-{i}",
                event_type=kind,
                unit=code,
                registration_date=reg.isoformat(),
                entry_number=str(number),
            )
            if kind == "birth":
                born = reg - dt.timedelta(days=rng.randrange(1, 60))
                child = _person(rng, None, born)
                row.update({f"child.{k}": v for k, v in child.items()})
                father = _person(rng, "M", born - dt.timedelta(days=365 * rng.randint(22, 40)))
                mother = _person(rng, "F", born - dt.timedelta(days=365 * rng.randint(20, 38)))
                row.update(
                    {
                        "father.full_name": father["full_name"],
                        "father.birth_date": father["birth_date"][:4],
                        "mother.full_name": mother["full_name"],
                        "mother.birth_date": mother["birth_date"][:4],
                    }
                )
                if i % 97 == 0:
                    found.append((child["full_name"], born.year))
            elif kind == "marriage":
                for role, sex, low in (("husband", "M", 21), ("wife", "F", 19)):
                    p = _person(rng, sex, reg - dt.timedelta(days=365 * rng.randint(low, 40)))
                    row[f"{role}.full_name"], row[f"{role}.birth_date"] = (
                        p["full_name"],
                        p["birth_date"],
                    )
            else:
                died = reg - dt.timedelta(days=rng.randrange(0, 10))
                p = _person(rng, None, died - dt.timedelta(days=365 * rng.randint(40, 95)), False)
                row.update({f"deceased.{k}": v for k, v in p.items()})
                row.update(death_date=died.isoformat(), death_place="Tại nhà")
            f.write(",".join(row[c] for c in columns) + "\n")
    return year, found


def searcher(database: str, queries_file: str, out: str, stop: str, go: str, rate: str) -> None:
    """Run searches until ``stop`` exists, ``rate`` per second (0: back to back); each timing
    is labelled by whether ``go`` existed."""
    _setup(database)
    from django.db import connection

    from hotich.registry.selectors import record_search

    with connection.cursor() as cursor:  # its server process, left out of the import's CPU
        cursor.execute("SELECT pg_backend_pid()")
        Path(out + ".pid").write_text(str(cursor.fetchone()[0]))
    queries = json.loads(Path(queries_file).read_text())
    for q in queries[:20]:
        record_search(actor=None, query=q[0], birth_year=q[1], audit=False)
    timings = []
    interval = 1 / float(rate) if float(rate) > 0 else 0.0
    due = time.perf_counter()
    i = 0
    while not os.path.exists(stop):
        query, year = queries[i % len(queries)]
        phase = "load" if os.path.exists(go) else "before"
        t0 = time.perf_counter()
        record_search(actor=None, query=query, birth_year=year, audit=False)
        timings.append((phase, (time.perf_counter() - t0) * 1000))
        i += 1
        # open loop: the next query is due at a fixed time, whatever this one took
        due += interval
        time.sleep(max(0.0, due - time.perf_counter()))
    Path(out).write_text(json.dumps(timings))


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 if it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_pids() -> set[int]:
    """The PostgreSQL server's processes on this machine (backends, WAL writer, checkpointer,
    autovacuum)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.add(int(entry.name))
            except OSError:
                continue
    return pids


def _own_cpu() -> float:
    """This process's CPU seconds and its finished children's (the checking workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def sample_queries(n: int, seed: int) -> list[tuple[str, int]]:
    from django.db import connection

    from hotich.core.text import fold

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.full_name, p.birth_year FROM registry_person p TABLESAMPLE SYSTEM (0.5) "
            "REPEATABLE (%s) JOIN registry_nametoken t ON t.person_id = p.id "
            "WHERE p.birth_year IS NOT NULL LIMIT %s",
            [seed, n * 4],
        )
        rows = cursor.fetchall()
    random.Random(seed).shuffle(rows)
    return [(fold(name), year) for name, year in rows[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1, help="processes checking the rows")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--baseline", type=float, default=20.0, help="seconds of search alone")
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument(
        "--search-rate",
        type=float,
        default=20.0,
        help="name + year searches per second during the run (0: back to back)",
    )
    parser.add_argument("--searcher", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.searcher:
        searcher(args.database, *args.searcher)
        return
    _setup(args.database)
    from django.core.management import call_command
    from django.db import connection

    from hotich.registry.models import ImportRun
    from hotich.registry.selectors import record_search

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_record")
        before_records = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM registry_person")
        before_persons = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    work = Path(tempfile.mkdtemp(prefix="hotich-import-bench-"))
    data = work / "import.csv"
    t0 = time.perf_counter()
    year, to_find = write_file(data, args.records, args.seed)
    gen_s = time.perf_counter() - t0
    print(f"# file {data.stat().st_size / 1e6:.0f} MB written in {gen_s:.0f} s", file=sys.stderr)
    queries = sample_queries(400, args.seed)
    (work / "queries.json").write_text(json.dumps(queries))
    stop, go, out = work / "stop", work / "go", work / "timings.json"
    searching = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--database",
            args.database,
            "--searcher",
            str(work / "queries.json"),
            str(out),
            str(stop),
            str(go),
            str(args.search_rate),
        ]
    )
    time.sleep(args.baseline)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    searcher_backend = int((work / "timings.json.pid").read_text())
    others = _postgres_pids() - {backend, searcher_backend}
    server0 = _cpu(backend)
    others0 = {pid: _cpu(pid) for pid in others}
    load_avg_start = os.getloadavg()
    go.touch()
    started = time.time()
    t0 = time.perf_counter()
    cpu0 = _own_cpu()
    stdout = StringIO()
    call_command(
        "records",
        "import",
        str(data),
        *("--batch", str(args.batch), "--workers", str(args.workers)),
        stdout=stdout,
    )
    import_s = time.perf_counter() - t0
    cpu_s = _own_cpu() - cpu0
    server_s = _cpu(backend) - server0
    # processes that started during the run (autovacuum workers) count from zero
    others_s = sum(
        _cpu(pid) - others0.get(pid, 0.0) for pid in _postgres_pids() - {backend, searcher_backend}
    )
    load_avg_end = os.getloadavg()
    stop.touch()
    searching.wait()
    timings = json.loads(out.read_text())
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None and run.added == args.records, stdout.getvalue()
    check_s = (run.started_at.timestamp() - started) if run.started_at else 0.0
    write_s = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    name, born = to_find[0]
    hits = record_search(actor=None, query=name, birth_year=born, audit=False)
    assert any(h.as_json()["full_name"] == name for h in hits), name
    before = [t for phase, t in timings if phase == "before"]
    during = [t for phase, t in timings if phase == "load"]
    machine = _machine()
    total_s = cpu_s + server_s + others_s

    def per(seconds: float) -> float:
        return seconds / args.records * 1e6

    shown = re.sub(r"//[^@/]*@", "//postgres@", args.database)
    p95 = _percentile(during, 95)
    rate = args.records / import_s
    lines = [
        f"<!-- {MARK} -->",
        f"## Bulk import into a live register — PostgreSQL, {before_records:,} records",
        "",
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: `{machine['arch']}`, {machine['cpu']}, {machine['cores']} cores (shared "
        f"with other work: load average {load_avg_start[0]:.1f} at the start, "
        f"{load_avg_end[0]:.1f} at the end), {machine['ram']} RAM; Python {machine['python']}; "
        f"PostgreSQL {server}",
        f"- Command: `.venv/bin/python bench/records_import_bench.py --records {args.records} "
        f"--batch {args.batch} --workers {args.workers} --database {shown}` (the database "
        "filled by `bench/registry_bench.py`, every index and constraint in place)",
        f"- Register before: {before_records:,} records, {before_persons:,} persons; file: "
        f"{args.records:,} entries of {year} (births 55 %, marriages 20 %, deaths 25 %), "
        f"{data.stat().st_size / 1e6:,.0f} MB, seed {args.seed}",
        f"- **`hotich records import` (`call_command`, batches of {args.batch:,}, "
        f"{args.workers} checking process(es)): "
        f"{rate:,.0f} records/s** end to end ({import_s:,.1f} s): reading and checking every "
        f"row with the register's rules {check_s:,.1f} s "
        f"({args.records / max(check_s, 1e-9):,.0f} rows/s), writing {run.batches} batches "
        f"(COPY of records, persons, parties, name index, provenance; audit entry; checkpoint) "
        f"{write_s:,.1f} s ({args.records / max(write_s, 1e-9):,.0f} records/s)",
        "- CPU per imported record: "
        f"the importing process (Python: reading, rules, building the rows) "
        f"{per(cpu_s):,.0f} µs; its PostgreSQL server process (COPY into the indexed tables, "
        f"constraint checks, commits) {per(server_s):,.0f} µs; the server's other processes "
        f"(WAL writer, checkpointer, autovacuum) {per(others_s):,.0f} µs; "
        f"**{per(total_s):,.0f} µs in all**, so {machine['cores']} cores fully used "
        f"could import at most {int(machine['cores']) * args.records / total_s:,.0f} "
        "records/s this way",
        f"- Target ≥ 10,000 records/s end to end: {'met' if rate >= 10000 else '**missed**'}; "
        f"writing alone: {'met' if args.records / max(write_s, 1e-9) >= 10000 else 'missed'}",
        "",
        "Name + birth year searches (`record_search` as `hotich records find` calls it, folded "
        "names of persons sampled from the register) run in another process, "
        + (
            f"{args.search_rate:g} a second (a province's officers at a busy hour)"
            if args.search_rate > 0
            else "back to back"
        )
        + ", alone and then during the import:",
        "",
        "| phase | n | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, values in (("alone", before), ("during the import", during)):
        if values:
            lines.append(
                f"| {label} | {len(values)} | {statistics.median(values):.1f} | "
                f"{_percentile(values, 95):.1f} | {_percentile(values, 99):.1f} | "
                f"{max(values):.1f} |"
            )
    lines += [
        "",
        f"Target p95 < 50 ms during the load: {'met' if p95 < 50 else '**missed**'} "
        f"({p95:.1f} ms). After the import an imported child is found by name and birth year.",
        f"<!-- /{MARK} -->",
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_doc:
        text = DOC.read_text()
        pattern = re.compile(rf"<!-- {MARK} -->.*?<!-- /{MARK} -->\n", re.S)
        if pattern.search(text):
            text = pattern.sub(lambda _m: section, text)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        DOC.write_text(text)


if __name__ == "__main__":
    main()
