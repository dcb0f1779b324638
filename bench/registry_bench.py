"""Registry benchmark: generate a province of civil-status records, bulk-load, time searches.

Usage (from the project root)::

    .venv/bin/python bench/registry_bench.py --records 2500000 --workers 2 \
        --database postgres://postgres@127.0.0.1:5432/hotich_bench
    .venv/bin/python bench/registry_bench.py --records 500000 \
        --database sqlite:////tmp/bench.sqlite3

The database must be empty (the script migrates it). Records are spread over the current
communes of Nghệ An (province 40) in one register book per commune / event type / year, with
names from ``hotich.core.names.random_name`` and personal IDs from
``hotich.people.personal_id.generate_personal_id``. Generation is seeded and split into one chunk
per registration year, each generated from its own seed, so the data do not depend on the number
of worker processes. The name index (``registry_nametoken``) is filled with the app's
``search_index.name_tokens``.

PostgreSQL, in three phases timed apart (``load_postgresql``):

1. generation: ``--workers`` processes write the COPY text (text format), one file per table
   and year, into a temporary directory (or ``--data DIR``, kept and reused by later runs with
   the same records and seed). Not part of the load figure; reported as end to end.
2. COPY: the indexes, primary keys, unique and foreign keys of the five tables (and foreign keys
   pointing at them) are dropped; each table is filled in one transaction, ``TRUNCATE`` then
   ``COPY … FROM STDIN WITH (FREEZE)`` (rows written frozen and all-visible, so the index builds
   and VACUUM do not rewrite the pages for hint bits), the tables spread over ``--streams``
   connections (default 2, one per core).
3. rebuild: every index and constraint is recreated exactly as the migrations define it, on
   ``--streams`` connections: ``CREATE INDEX``, then ``ADD CONSTRAINT … USING INDEX`` for
   primary keys and unique constraints, foreign keys ``ADD … NOT VALID`` then ``VALIDATE``. A
   small scheduler (``run_tasks``) starts the heaviest runnable step first and never two steps
   whose locks conflict. The schema is then compared with the one ``migrate`` made (indexes,
   constraints, validation state) and the run fails if they differ.

The load rate of the target is records / (COPY + rebuild). Only session settings are used
(``SESSION``); the server's configuration is not changed.

SQLite: generation and ``executemany`` interleaved, one transaction per year, same tables.

Searches go through ``hotich.registry.selectors.record_search`` called as ``hotich records find``
calls it (``actor=None``). The section written to ``docs/benchmarks.md`` replaces the previous
one for the same database vendor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
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
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PROVINCE = "40"  # Nghệ An
FIRST_YEAR, LAST_YEAR = 1990, 2025
LAST_DATE = dt.date(2025, 6, 30)  # registrations of 2025 stop here (before the benchmark date)
EVENT_MIX = (("birth", 0.55), ("marriage", 0.20), ("death", 0.25))
IDS_PER_RECORD = 3  # person / party ids are record_id * 3 + position (gaps are harmless)
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
    """What the workers need: units, commune weights, per-year record counts and id offsets."""

    vendor: str
    seed: int
    units: list[tuple[int, str]]  # (unit id, name) of the current communes
    weights: list[float]
    years: list[tuple[int, int, int]]  # (year, record count, first record id)
    columns: dict[str, list[str]] = field(default_factory=dict)  # table -> attnames
    extra: dict[str, list[Any]] = field(default_factory=dict)  # table -> default values
    now: str = ""
    data_dir: str = ""  # PostgreSQL: where workers write the COPY text, one file per table/year


_PLAN: Plan | None = None
STATS: dict[str, Any] = {}


def _init_worker(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


@functools.lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    from hotich.core.text import fold

    return fold(text)


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


def _pg_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, dict | list):
        return _pg_text(json.dumps(value, ensure_ascii=False))
    return str(value)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _birth(rng: random.Random, before: dt.date, low: int, high: int) -> tuple[dt.date, str]:
    """A birth date ``low``..``high`` years before ``before``; precision day (or year, 10%)."""
    days = rng.randint(low * 365, high * 365)
    date = before - dt.timedelta(days=days)
    if rng.random() < 0.1:
        return dt.date(date.year, 1, 1), "y"
    return date, "d"


def _iso(date: dt.date, precision: str) -> str:
    return str(date.year) if precision == "y" else date.isoformat()


def generate_year(job: tuple[int, int, int]) -> dict[str, Any]:
    """All books, records, persons and parties of one registration year (one seeded chunk)."""
    from hotich.core.names import random_name
    from hotich.people.personal_id import generate_personal_id
    from hotich.registry.search_index import name_tokens, words_field

    plan = _PLAN
    assert plan is not None
    year, count, first_id = job
    rng = random.Random(f"{plan.seed}:{year}")
    now = plan.now
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
    book_base = (year - FIRST_YEAR) * len(units) * len(event_names)
    books: dict[tuple[int, int], list[Any]] = {}
    records, persons, parties, tokens, samples = [], [], [], [], []

    def person(
        pid: int,
        name: Any,
        birth: tuple[dt.date, str],
        place: str,
        home: str,
        indexed: bool = True,
    ) -> dict:
        bdate, prec = birth
        pid_number = ""
        if bdate.year >= 1900 and rng.random() < 0.97:
            pid_number = generate_personal_id(
                rng, province_code=PROVINCE, sex=name.sex, birth_year=bdate.year
            )
        values = {
            "full_name": name.full,
            "surname": name.surname,
            "middle": name.middle,
            "given": name.given,
            "sex": name.sex,
            "birth_date": _iso(bdate, prec),
            "birth_place": place,
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": home,
            "home_town": home,
            "personal_id": pid_number,
        }
        folded = _fold(name.full)
        persons.append(
            {
                "id": pid,
                "surname": name.surname,
                "middle": name.middle,
                "given": name.given,
                "full_name": name.full,
                "name_folded": folded,
                "given_folded": _fold(name.given),
                "sex": name.sex,
                "birth_date": bdate,
                "birth_precision": prec,
                "birth_year": bdate.year,
                "birth_place": place,
                "ethnicity": "Kinh",
                "nationality": "Việt Nam",
                "personal_id": pid_number,
                "residence": home,
                "home_town": home,
                "created_at": now,
                "updated_at": now,
            }
        )
        name_words = name_tokens(folded) if indexed else []  # search indexes principals only
        words = words_field(name_words)
        for k, token in enumerate(name_words):
            tokens.append(
                {
                    "id": pid * 8 + k,
                    "person_id": pid,
                    "token": token,
                    "birth_year": bdate.year,
                    "words": words,
                }
            )
        return values

    for offset, (ui, ei, reg) in enumerate(draws):
        rid = first_id + offset
        unit_id, unit_name = units[ui]
        event = event_names[ei]
        key = (ui, ei)
        book = books.get(key)
        if book is None:
            book = books[key] = [book_base + ui * len(event_names) + ei + 1, unit_id, 0]
        book[2] += 1
        home = f"Xóm {rng.randint(1, 15)}, {unit_name}, tỉnh Nghệ An"
        base = rid * IDS_PER_RECORD
        roles: list[tuple[str, dict]] = []
        principal = None
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
            roles.append(("child", person(base, child, child_birth, place, home)))
            roles.append(
                (
                    "father",
                    person(base + 1, father, _birth(rng, child_birth[0], 20, 45), "", home, False),
                )
            )
            roles.append(
                (
                    "mother",
                    person(base + 2, mother, _birth(rng, child_birth[0], 18, 40), "", home, False),
                )
            )
            principal = (child, child_birth[0].year)
            data = {
                "kind": "late" if late else "on_time",
                "declarant_name": father.full,
                "declarant_relation": "Cha",
            }
        elif event == "marriage":
            husband, wife = random_name(rng, "M"), random_name(rng, "F")
            hb, wb = _birth(rng, reg, 20, 40), _birth(rng, reg, 18, 35)
            hb, wb = (hb[0], "d"), (wb[0], "d")
            roles.append(("husband", person(base, husband, hb, "", home)))
            roles.append(("wife", person(base + 1, wife, wb, "", home)))
            principal = rng.choice(((husband, hb[0].year), (wife, wb[0].year)))
            data = {}
        else:
            deceased = random_name(rng)
            db = _birth(rng, reg, 30, 100)
            death = reg - dt.timedelta(days=rng.randint(0, 15))
            roles.append(("deceased", person(base, deceased, db, "", home)))
            principal = (deceased, db[0].year)
            data = {
                "death_date": death.isoformat(),
                "death_place": home,
                "death_cause": rng.choice(("Bệnh", "Già yếu", "Tai nạn")),
                "declarant_name": random_name(rng, surname=deceased.surname).full,
            }
        records.append(
            {
                "id": rid,
                "event_type": event,
                "status": "registered",
                "unit_id": unit_id,
                "book_id": book[0],
                "entry_number": book[2],
                "registration_date": reg,
                "registration_precision": "d",
                "is_historic": is_historic,
                "officer_name": "",
                "signer_name": "",
                "signer_title": "",
                "legal_basis": "",
                "data": data,
                "related_record_id": None,
                "page_number": None,
                "page_image_id": None,
                "page_region": None,
                "registered_at": now,
                "created_by_id": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        for position, (role, values) in enumerate(roles):
            parties.append(
                {
                    "id": base + position,
                    "record_id": rid,
                    "person_id": base + position,
                    "role": role,
                    "position": position,
                    "as_written": values,
                }
            )
        if rng.random() < 0.02:
            name, birth_year = principal
            samples.append((name.surname, name.middle, name.given, name.sex, birth_year))
    book_rows = []
    for (_ui, ei), (book_id, unit_id, last) in books.items():
        closed = year < LAST_YEAR
        book_rows.append(
            {
                "id": book_id,
                "unit_id": unit_id,
                "scope_unit_id": unit_id,
                "event_type": event_names[ei],
                "year": year,
                "volume": 1,
                "is_historic": is_historic,
                "status": "closed" if closed else "open",
                "last_entry_number": last,
                "total_entries": last if closed else None,
                "total_pages": (last + 1) // 2 if closed else None,
                "closed_on": dt.date(year, 12, 31) if closed else None,
                "closed_by": "",
                "created_at": now,
            }
        )
    out: dict[str, Any] = {
        "year": year,
        "records": count,
        "persons": len(persons),
        "samples": samples,
    }
    tables = (
        ("book", book_rows),
        ("record", records),
        ("person", persons),
        ("party", parties),
        ("nametoken", tokens),
    )
    for table, rows in tables:
        cols = plan.columns[table]
        extra = plan.extra[table]
        if plan.vendor == "postgresql":
            extra_text = "".join("\t" + _pg_text(v) for v in extra)
            lines = ["\t".join([_pg_text(r[c]) for c in cols]) + extra_text for r in rows]
            if lines:
                path = Path(plan.data_dir) / f"{table}-{year}.copy"
                path.write_bytes(("\n".join(lines) + "\n").encode())
            out[table] = len(rows)
        else:
            extra_values = tuple(_sqlite_value(v) for v in extra)
            out[table] = [tuple(_sqlite_value(r[c]) for c in cols) + extra_values for r in rows]
    return out


# --- main process ---------------------------------------------------------------------------


def _table_layout(
    model: Any, filled: list[str], connection: Any
) -> tuple[list[str], list[str], list[Any]]:
    """(attnames we fill, db columns in COPY order, default values for the other columns)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in filled if name not in fields]
    if unknown:
        raise SystemExit(f"{model.__name__}: the model has no field {unknown}")
    others = [f for name, f in fields.items() if name not in filled]
    columns = [fields[n].column for n in filled] + [f.column for f in others]
    defaults = []
    for f in others:
        if not f.has_default() and not f.null:
            raise SystemExit(f"{model.__name__}.{f.name}: new required field, update the bench")
        value = f.get_default() if f.has_default() else None
        defaults.append(value)
    return filled, columns, defaults


TABLES = ("book", "record", "person", "party", "nametoken")

FILLED = {
    "book": [
        "id",
        "unit_id",
        "scope_unit_id",
        "event_type",
        "year",
        "volume",
        "is_historic",
        "status",
        "last_entry_number",
        "total_entries",
        "total_pages",
        "closed_on",
        "closed_by",
        "created_at",
    ],
    "record": [
        "id",
        "event_type",
        "status",
        "unit_id",
        "book_id",
        "entry_number",
        "registration_date",
        "registration_precision",
        "is_historic",
        "officer_name",
        "signer_name",
        "signer_title",
        "legal_basis",
        "data",
        "related_record_id",
        "page_number",
        "page_image_id",
        "page_region",
        "registered_at",
        "created_by_id",
        "created_at",
        "updated_at",
    ],
    "person": [
        "id",
        "surname",
        "middle",
        "given",
        "full_name",
        "name_folded",
        "given_folded",
        "sex",
        "birth_date",
        "birth_precision",
        "birth_year",
        "birth_place",
        "ethnicity",
        "nationality",
        "personal_id",
        "residence",
        "home_town",
        "created_at",
        "updated_at",
    ],
    "party": ["id", "record_id", "person_id", "role", "position", "as_written"],
    "nametoken": ["id", "person_id", "token", "birth_year", "words"],
}


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
        sql = ctx.captured_queries[-1]["sql"] if ctx.captured_queries else ""
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
    from django.utils import timezone

    from hotich.geo.models import Unit
    from hotich.geo.services import units_load
    from hotich.geo.vocabulary import Level
    from hotich.registry.models import Book, NameToken, Party, Person, Record

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
        .values_list("id", "name")
    )
    rng = random.Random(args.seed)
    # Communes differ in size: wards of Vinh are big, mountain communes small (log-normal).
    weights = [rng.lognormvariate(0, 0.6) for _ in communes]
    years = _year_counts(args.records, rng)
    plan = Plan(
        vendor=vendor,
        seed=args.seed,
        units=communes,
        weights=weights,
        years=years,
        now=timezone.now().isoformat()
        if vendor == "postgresql"
        else timezone.now().replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f"),
    )
    models = {
        "book": Book,
        "record": Record,
        "person": Person,
        "party": Party,
        "nametoken": NameToken,
    }
    copy_sql = {}
    for table, model in models.items():
        filled, columns, defaults = _table_layout(model, FILLED[table], connection)
        plan.columns[table] = filled
        plan.extra[table] = defaults
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        db_table = model._meta.db_table
        if vendor == "postgresql":
            copy_sql[table] = f"COPY {db_table} ({quoted}) FROM STDIN WITH (FREEZE)"
        else:
            marks = ", ".join("?" for _c in columns)
            copy_sql[table] = f"INSERT INTO {db_table} ({quoted}) VALUES ({marks})"
    print(
        f"# {vendor}: {args.records:,} records, {len(communes)} communes, "
        f"{len(years)} years, {args.workers} worker(s)",
        file=sys.stderr,
    )
    if vendor == "postgresql":
        tables = {t: m._meta.db_table for t, m in models.items()}
        totals, samples = load_postgresql(args, plan, tables, copy_sql)
    else:
        totals, samples = load_sqlite(args, plan, copy_sql)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            for model in models.values():
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
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


def load_sqlite(
    args: argparse.Namespace, plan: Plan, insert_sql: dict[str, str]
) -> tuple[dict[str, int], list[tuple]]:
    """Generate in worker processes and insert each year as it comes (one transaction each)."""
    from django.db import connection, connections, transaction

    connections.close_all()  # workers are forked
    by_table: dict[str, float] = {}
    totals = {"records": 0, "persons": 0, "books": 0}
    samples: list[tuple] = []
    load_seconds = 0.0
    t_all = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.workers, initializer=_init_worker, initargs=(plan,)) as pool:
        for out in pool.imap(generate_year, plan.years):
            t0 = time.perf_counter()
            connection.ensure_connection()
            with transaction.atomic():
                cur = connection.connection.cursor()
                for table in TABLES:
                    t1 = time.perf_counter()
                    cur.executemany(insert_sql[table], out[table])
                    by_table[table] = by_table.get(table, 0.0) + time.perf_counter() - t1
            load_seconds += time.perf_counter() - t0
            totals["records"] += out["records"]
            totals["persons"] += out["persons"]
            totals["books"] += len(out["book"])
            samples.extend(out["samples"])
            print(
                f"  {out['year']}: {totals['records']:,} records, load "
                f"{totals['records'] / load_seconds:,.0f}/s",
                file=sys.stderr,
            )
    STATS.update(load_seconds=load_seconds, wall_seconds=time.perf_counter() - t_all)
    STATS["by_table"] = by_table
    return totals, samples


# --- PostgreSQL: generate to files, COPY on parallel connections, rebuild the schema -------


def load_postgresql(
    args: argparse.Namespace, plan: Plan, tables: dict[str, str], copy_sql: dict[str, str]
) -> tuple[dict[str, int], list[tuple]]:
    """Three timed phases: generate the COPY text into files (worker processes), drop the
    tables' indexes and constraints and COPY the files on ``args.streams`` connections, then
    recreate every index and constraint on as many connections. Checks at the end that the
    schema is exactly the one the migrations made."""
    from django.db import connection, connections

    data_dir = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="hotich-copy-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    STATS["load_avg_start"] = os.getloadavg()
    try:
        t0 = time.perf_counter()
        totals, samples = generate_files(args, plan, data_dir)
        STATS["gen_seconds"] = time.perf_counter() - t0

        with connection.cursor() as cursor:
            before = _schema(cursor, list(tables.values()))
            rebuild = _drop_schema(cursor, list(tables.values()))
        connections.close_all()
        loads = [
            Task(
                name=f"copy {table}",
                tables=frozenset([db_table]),
                exclusive=True,
                weight=sum(f.stat().st_size for f in data_dir.glob(f"{table}-*.copy")),
                run=functools.partial(
                    _copy_table,
                    db_table=db_table,
                    sql=copy_sql[table],
                    files=sorted(data_dir.glob(f"{table}-*.copy")),
                ),
            )
            for table, db_table in tables.items()
        ]
        t0 = time.perf_counter()
        run_tasks(args.database, loads, args.streams)
        STATS["load_seconds"] = time.perf_counter() - t0
        STATS["load_avg_load"] = os.getloadavg()
        STATS["by_table"] = {t.name.removeprefix("copy "): t.seconds for t in loads}
        print(f"  load {STATS['load_seconds']:.1f} s", file=sys.stderr)

        with connection.cursor() as cursor:  # heaviest first: weigh by the table's size
            cursor.execute(
                "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
                [list(tables.values())],
            )
            sizes = dict(cursor.fetchall())
        for task in rebuild:
            task.weight = max(sizes.get(t, 0) for t in task.tables)
        connections.close_all()
        t0 = time.perf_counter()
        run_tasks(args.database, rebuild, args.streams)
        STATS["build_seconds"] = time.perf_counter() - t0
        STATS["load_avg_build"] = os.getloadavg()
        STATS["build_tasks"] = sorted(rebuild, key=lambda t: -t.seconds)
        print(f"  indexes and constraints {STATS['build_seconds']:.1f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            after = _schema(cursor, list(tables.values()))
        if after != before:
            missing = sorted(set(before) - set(after))
            extra = sorted(set(after) - set(before))
            raise SystemExit(
                f"schema differs from the migrations: missing {missing}, extra {extra}"
            )
    finally:
        if not args.data:
            shutil.rmtree(data_dir, ignore_errors=True)
    return totals, samples


def generate_files(
    args: argparse.Namespace, plan: Plan, data_dir: Path
) -> tuple[dict[str, int], list[tuple]]:
    """Generate every year in ``args.workers`` processes, each writing one COPY-ready text file
    per table and year into ``data_dir``. With ``--data`` the files and a manifest are kept, and
    a later run with the same records and seed uses them instead of generating again."""
    from django.db import connections

    manifest = data_dir / "manifest.json"
    key = {"records": args.records, "seed": args.seed, "columns": plan.columns}
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved["key"] == key:
            print(f"  using the files in {data_dir}", file=sys.stderr)
            STATS["reused"] = str(data_dir)
            return saved["totals"], [tuple(s) for s in saved["samples"]]
        for old in data_dir.glob("*.copy"):
            old.unlink()
    plan.data_dir = str(data_dir)
    connections.close_all()  # workers are forked
    totals = {"records": 0, "persons": 0, "books": 0}
    samples: list[tuple] = []
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.workers, initializer=_init_worker, initargs=(plan,)) as pool:
        for out in pool.imap_unordered(generate_year, plan.years):
            totals["records"] += out["records"]
            totals["persons"] += out["persons"]
            totals["books"] += out["book"]
            samples.extend(out["samples"])
            print(f"  {out['year']}: {totals['records']:,} records generated", file=sys.stderr)
    samples.sort()  # imap_unordered: make the query sample independent of the finishing order
    if args.data:
        manifest.write_text(json.dumps({"key": key, "totals": totals, "samples": samples}))
    return totals, samples


# Session settings of every loading / indexing connection. Nothing here changes the server's
# configuration; the COPYs are single transactions, so synchronous_commit barely matters.
SESSION = (
    "SET synchronous_commit = off",
    "SET maintenance_work_mem = '1GB'",
    "SET max_parallel_maintenance_workers = 0",  # the parallelism is across connections
    "SET work_mem = '256MB'",
)


@dataclass(eq=False)
class Task:
    """One step of the load or of the schema rebuild, run on one of the parallel connections.

    ``tables`` are locked as ``CREATE INDEX`` does (shared: several builds may read one table)
    or, when ``exclusive``, as ``ALTER TABLE`` / ``COPY … FREEZE`` do; a task starts only when
    every task in ``after`` has finished and no running task conflicts on its tables, so the
    connections never wait on each other's locks. ``instant`` tasks (catalog changes) start as
    soon as they can, then the heaviest ``weight`` first.
    """

    name: str
    tables: frozenset[str]
    run: Any  # callable(psycopg connection)
    exclusive: bool = False
    after: frozenset[str] = frozenset()
    weight: float = 0.0
    instant: bool = False
    seconds: float = 0.0


def run_tasks(database: str, tasks: list[Task], streams: int) -> None:
    """Run ``tasks`` on ``streams`` connections (one thread each), heaviest runnable first."""
    import psycopg

    pending = sorted(tasks, key=lambda t: (not t.instant, -t.weight))
    running: list[Task] = []
    done: set[str] = set()
    errors: list[BaseException] = []
    cond = threading.Condition()

    def runnable(task: Task) -> bool:
        return task.after <= done and not any(
            (task.exclusive or other.exclusive) and task.tables & other.tables for other in running
        )

    def next_task() -> Task | None:
        with cond:
            while pending and not errors:
                task = next((t for t in pending if runnable(t)), None)
                if task is not None:
                    pending.remove(task)
                    running.append(task)
                    return task
                if not running:
                    errors.append(RuntimeError(f"unsatisfiable: {[t.name for t in pending]}"))
                    break
                cond.wait()
            cond.notify_all()
            return None

    def stream() -> None:
        with psycopg.connect(database, autocommit=True) as conn:
            for setting in SESSION:
                conn.execute(setting)
            while (task := next_task()) is not None:
                t0 = time.perf_counter()
                try:
                    task.run(conn)
                except Exception as exc:  # noqa: BLE001 - re-raised by run_tasks
                    with cond:
                        errors.append(exc)
                        running.remove(task)
                        cond.notify_all()
                    return
                task.seconds = time.perf_counter() - t0
                print(f"  {task.seconds:6.1f} s {task.name}", file=sys.stderr)
                with cond:
                    running.remove(task)
                    done.add(task.name)
                    cond.notify_all()

    threads = [threading.Thread(target=stream) for _ in range(streams)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _copy_table(conn: Any, db_table: str, sql: str, files: list[Path]) -> None:
    """COPY ``files`` into ``db_table`` in one transaction that first truncates it, so that
    ``FREEZE`` can write the rows frozen and all-visible (no hint-bit writes later)."""
    with conn.transaction():
        conn.execute(f"TRUNCATE {db_table}")
        with conn.cursor() as cursor, cursor.copy(sql) as copy:
            for path in files:
                with path.open("rb") as f:
                    while block := f.read(COPY_BLOCK):
                        copy.write(block)


COPY_BLOCK = 4 * 1024 * 1024


def _sql(statement: str) -> Any:
    return lambda conn: conn.execute(statement)


def _schema(cursor: Any, tables: list[str]) -> list[tuple]:
    """Indexes and constraints (with their validation state) of ``tables`` and of the foreign
    keys pointing at them, as comparable rows."""
    cursor.execute(
        "SELECT i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indisvalid "
        "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s)",
        [tables],
    )
    rows = [("index", *r) for r in cursor.fetchall()]
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated, "
        "conindid::regclass::text FROM pg_constraint "
        "WHERE conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s)",
        [tables, tables],
    )
    rows += [("constraint", *r) for r in cursor.fetchall()]
    return sorted(rows, key=str)


def _drop_schema(cursor: Any, tables: list[str]) -> list[Task]:
    """Drop every index and every primary-key, unique and foreign-key constraint of ``tables``
    (and the foreign keys of other tables pointing at them); return the tasks that recreate
    them exactly: ``CREATE [UNIQUE] INDEX``, then ``ADD CONSTRAINT … USING INDEX`` for the
    primary keys and unique constraints, then each foreign key added ``NOT VALID`` (instant)
    and validated (one anti-join), so that validations and index builds can share the two
    connections without waiting on each other's locks."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype, "
        "confrelid::regclass::text, conindid::regclass::text FROM pg_constraint "
        "WHERE (conrelid::regclass::text = ANY(%s) AND contype IN ('p', 'u', 'f')) "
        "OR (confrelid::regclass::text = ANY(%s))",
        [tables, tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, "
        "pg_get_indexdef(i.indexrelid), pg_relation_size(i.indrelid) "
        "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s)",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _d, _kind, _rt, _ri in sorted(constraints, key=lambda c: c[3] != "f"):
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    owned = {c[5] for c in constraints if c[3] in "pu"}
    for _table, name, _d, _size in indexes:
        if name not in owned:
            cursor.execute(f"DROP INDEX {name}")
    tasks = [
        Task(name=f"index {name}", tables=frozenset([table]), run=_sql(definition))
        for table, name, definition, _size in indexes
    ]
    for table, name, definition, kind, ref_table, index in constraints:
        if kind in "pu":
            tasks.append(
                Task(
                    name=f"constraint {name}",
                    tables=frozenset([table]),
                    exclusive=True,
                    after=frozenset([f"index {index}"]),
                    run=_sql(
                        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" '
                        f'{definition.split(" (")[0]} USING INDEX "{index}"'
                    ),
                    instant=True,
                )
            )
        elif kind == "f":
            needs = [f"constraint {c[1]}" for c in constraints if c[5] == index and c[3] in "pu"]
            tasks.append(
                Task(
                    name=f"add {name}",
                    tables=frozenset([table, ref_table]),
                    exclusive=True,
                    after=frozenset(needs),
                    run=_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID'),
                    instant=True,
                )
            )
            tasks.append(
                Task(
                    name=f"validate {name}",
                    tables=frozenset([table]),
                    exclusive=True,
                    after=frozenset([f"add {name}"]),
                    run=_sql(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"'),
                )
            )
    return tasks


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
    if vendor == "postgresql" and args.streams != 2:
        command += f" --streams {args.streams}"
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
    if vendor == "postgresql":
        lines += _postgresql_load_lines(args, totals)
    else:
        load_s, wall_s = STATS["load_seconds"], STATS["wall_seconds"]
        lines.append(
            f"- Load (`executemany` in one transaction per year, name tokens included): "
            f"**{totals['records'] / load_s:,.0f} records/s** ({load_s:,.1f} s in the database); "
            f"end to end with generation in {args.workers} worker process(es): "
            f"{totals['records'] / wall_s:,.0f} records/s ({wall_s:,.1f} s)"
        )
        lines.append(
            "- Time in the database per table: "
            + ", ".join(f"{k} {v:,.1f} s" for k, v in STATS["by_table"].items())
        )
    lines.append(
        f"- {'VACUUM ANALYZE' if vendor == 'postgresql' else 'ANALYZE + checkpoint'} "
        f"{analyze_s:,.1f} s (not counted); whole run {total_s / 60:,.1f} min"
    )
    lines += [
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
    lines += [
        "",
        f"Target p95 < 25 ms for name + birth year: {verdict} ({target:.1f} ms). "
        f"Load target ≥ 20,000 records/s (with every index and constraint): "
        f"{'met' if _load_rate(totals) >= 20000 else '**missed**'}.",
        "",
        f"Slowest name + birth year query ({result['slow'][0]:.1f} ms, "
        f"`{result['slow'][1]['query']}` {result['slow'][1]['birth_year']}):",
        "",
        "```",
        result["explain"],
        "```",
        f"<!-- /registry-bench:{vendor} -->",
    ]
    return "\n".join(lines) + "\n"


def _load_rate(totals: dict[str, int]) -> float:
    """Records per second of the load as the target counts it: COPY plus, for PostgreSQL, the
    rebuild of every index and constraint."""
    return totals["records"] / (STATS["load_seconds"] + STATS.get("build_seconds", 0.0))


def _postgresql_load_lines(args: argparse.Namespace, totals: dict[str, int]) -> list[str]:
    load_s, build_s, gen_s = STATS["load_seconds"], STATS["build_seconds"], STATS["gen_seconds"]
    n = totals["records"]
    tasks = STATS["build_tasks"]
    slowest = ", ".join(f"{t.name.split(' ', 1)[1]} {t.seconds:,.1f} s" for t in tasks[:6])
    by_kind: dict[str, float] = {}
    for task in tasks:
        kind = task.name.split(" ", 1)[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + task.seconds
    if "reused" in STATS:
        end_to_end = f"generation skipped (files reused from `{STATS['reused']}`)"
    else:
        end_to_end = (
            f"end to end with the generation ({gen_s:,.1f} s): "
            f"{n / (gen_s + load_s + build_s):,.0f} records/s"
        )
    return [
        f"- Method: the data are generated first ({args.workers} worker processes write "
        "COPY-ready text, one file per table and year); the five (still empty) tables' "
        "indexes, primary keys, unique and foreign keys are dropped; then, timed as the load, "
        "each table is "
        f"filled by one `TRUNCATE` + `COPY … FROM STDIN WITH (FREEZE)` transaction (psycopg 3, "
        f"text format), the tables spread over {args.streams} connections; then every index and "
        f"constraint of the migrations is recreated on {args.streams} connections (`CREATE "
        "INDEX`; primary keys and unique constraints `ADD CONSTRAINT … USING INDEX`; foreign "
        "keys `ADD … NOT VALID` then `VALIDATE CONSTRAINT`), scheduled so that no connection "
        "waits on another's locks, and the schema is checked equal to the migrated one. "
        "Session settings only: `" + "`, `".join(s.removeprefix("SET ") for s in SESSION) + "`",
        f"- **Load with every index and constraint: {_load_rate(totals):,.0f} records/s** "
        f"({load_s + build_s:,.1f} s = COPY {load_s:,.1f} s + indexes and constraints "
        f"{build_s:,.1f} s); COPY alone {n / load_s:,.0f} records/s "
        f"({totals['persons'] / load_s:,.0f} persons/s); {end_to_end}",
        f"- COPY per table (one transaction each, {args.streams} at a time): "
        + ", ".join(f"{k} {v:,.1f} s" for k, v in STATS["by_table"].items()),
        "- Rebuild, summed over the connections: "
        + ", ".join(f"{k} {v:,.1f} s" for k, v in by_kind.items())
        + f"; slowest: {slowest}",
        "- Load average (1, 5, 15 min) before the generation: "
        + ", ".join(f"{x:.2f}" for x in STATS["load_avg_start"])
        + "; at the end of the COPY: "
        + ", ".join(f"{x:.2f}" for x in STATS["load_avg_load"])
        + "; at the end of the rebuild: "
        + ", ".join(f"{x:.2f}" for x in STATS["load_avg_build"]),
    ]


def write_doc(vendor: str, section: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
    pattern = re.compile(
        rf"<!-- registry-bench:{vendor} -->.*?<!-- /registry-bench:{vendor} -->\n", re.S
    )
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
    parser.add_argument(
        "--streams", type=int, default=2, help="PostgreSQL: connections for COPY and indexes"
    )
    parser.add_argument(
        "--data",
        help="PostgreSQL: keep the generated COPY files here and reuse them when they match",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    load(parser.parse_args())


if __name__ == "__main__":
    main()
