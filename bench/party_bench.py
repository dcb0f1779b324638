"""Party records at the size of a province: ``--members`` members (50,000) in ``--cells`` cells
(1,500) under ``--committees`` grassroots committees (30) of one top committee, with last year's
ratings decided and one month of fees recorded.

Usage (from the project root)::

    .venv/bin/python bench/party_bench.py [--members 50000] [--cells 1500] [--committees 30] \
        [--samples 30] [--database postgres://postgres@127.0.0.1:5432/hotich_party_bench]

The database (created when missing, emptied first; never ``test`` nor ``postgres``) is migrated;
the tree is made through ``agencies`` services, the members, ratings and fee payments in bulk.
The pages are then read as the top committee's secretary through Django's test client (the
whole request: middleware, session, scope, the audited read, the template):

- the committee's member list (all 50,000 members below it), first page, with each filter of
  the page alone and in pairs (target p95 < 100 ms);
- a cell's monthly fee ledger (target < 200 ms);
- the statistics page of the whole committee (seven breakdowns in one pass of filtered counts).

Prints the figures as markdown and writes them as the "Party records" section of
docs/benchmarks.md (replacing the previous one); exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
from _pg import create_database, django_setup  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Party records"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/hotich_party_bench"
PERIOD = "2026-11"


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quang"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Sơn", "Tâm"]
ETHNICITIES = ["Kinh"] * 12 + ["Thái", "Tày", "Mường", "Khơ Mú", "H'Mông"]


def _tree(committees: int, cells: int) -> tuple[Any, list[Any], list[Any]]:
    """The top committee, its grassroots committees, and the cells spread among them."""
    from hotich.agencies.services import organization_create
    from hotich.geo.testing import load_nghe_an

    province = load_nghe_an().province
    top = organization_create(
        actor=None,
        code="000.00.00.H40",
        name="Đảng ủy Khối các cơ quan tỉnh (đo tải)",
        short_name="ĐUK",
        kind="dang_uy",
        unit=province,
    )
    middle = [
        organization_create(
            actor=None,
            code=f"000.00.{c:02d}.H40",
            name=f"Đảng ủy cơ sở {c:02d}",
            short_name=f"ĐU{c:02d}",
            kind="dang_uy",
            unit=province,
            parent=top,
        )
        for c in range(1, committees + 1)
    ]
    made = []
    for n in range(cells):
        parent = middle[n % committees]
        index = n // committees + 1
        made.append(
            organization_create(
                actor=None,
                code=f"{index:03d}.{middle.index(parent) + 1:02d}.00.H40",
                name=f"Chi bộ {index} — {parent.short_name}",
                short_name=f"CB{index}-{parent.short_name}",
                kind="chi_bo",
                unit=province,
                parent=parent,
            )
        )
    return top, middle, made


def _members(cells: list[Any], count: int, seed: int = 7) -> None:
    from hotich.core.text import fold
    from hotich.party.models import FeePayment, Member, Rating

    rng = random.Random(seed)
    today = dt.date(2026, 12, 1)
    rows = []
    for n in range(count):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 53))
        admitted = born + dt.timedelta(days=365 * 18 + rng.randrange(0, 365 * 15))
        admitted = min(admitted, today - dt.timedelta(days=30))
        official = admitted + dt.timedelta(days=366)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        rows.append(
            Member(
                full_name=name,
                search_key=fold(name),
                sex=rng.choice(["male", "female"]),
                birth_date=born,
                ethnicity=rng.choice(ETHNICITIES),
                card_number=f"B{n:09d}",
                admitted_on=admitted,
                official_on=official if official is None or official < today else None,
                cell=cells[n % len(cells)],
                education=rng.choice(["university", "university", "master", "college", ""]),
                theory=rng.choice(["no_theory", "elementary", "intermediate", "advanced"]),
                fee_base=rng.randrange(5, 30) * 1_000_000,
            )
        )
    Member.objects.bulk_create(rows, batch_size=5000)
    members = list(Member.objects.values_list("pk", "cell_id", "fee_base"))
    grades = ["excellent", "good", "good", "good", "fulfilled", "unfulfilled"]
    Rating.objects.bulk_create(
        (
            Rating(
                member_id=pk,
                year=2025,
                status="decided",
                self_grade="good",
                review_grade="good",
                decided_grade=rng.choice(grades),
                decided_on=dt.date(2025, 12, 20),
            )
            for pk, _cell, _base in members
        ),
        batch_size=5000,
    )
    FeePayment.objects.bulk_create(
        (
            FeePayment(
                member_id=pk,
                cell_id=cell,
                period=PERIOD,
                due=base // 100,
                paid=base // 100,
                paid_on=dt.date(2026, 11, 25),
            )
            for pk, cell, base in members
        ),
        batch_size=5000,
    )


def _existing() -> tuple[Any, list[Any], list[Any]]:
    """The tree of the last run (``--reuse``)."""
    from hotich.agencies.selectors import organization_by_code, organizations_below

    top = organization_by_code("000.00.00.H40")
    if top is None:
        raise SystemExit("no tree to reuse: run once without --reuse")
    below = list(organizations_below(top))
    middle = [o for o in below if o.kind == "dang_uy"]
    return top, middle, sorted((o for o in below if o.kind == "chi_bo"), key=lambda o: o.pk)


def _client(top: Any) -> Any:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hotich.accounts.models import User
    from hotich.agencies.services import membership_add

    secretary, made = User.objects.get_or_create(
        username="bench-bithu",
        defaults={"role": "province", "unit": top.unit, "full_name": "Bí thư (đo tải)"},
    )
    if made:
        membership_add(
            actor=None, user=secretary, organization=top, position="bi_thu", primary=True
        )
    device, _made = TOTPDevice.objects.get_or_create(user=secretary, defaults={"confirmed": True})
    client = Client(HTTP_HOST="localhost")
    client.force_login(secretary)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def _time(client: Any, url: str, samples: int) -> list[float]:
    client.get(url)  # warm the plan and the template
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(client: Any, top: Any, middle: list[Any], cells: list[Any], samples: int) -> Any:
    base = f"/dang-vien/to-chuc/{top.pk}/"
    filters = [
        ("no filter", ""),
        ("sex", "gioi_tinh=female"),
        ("age band", "tuoi=from_41"),
        ("probation", "du_bi=1"),
        ("theory", "llct=advanced"),
        ("one cell", f"chi_bo={cells[len(cells) // 2].pk}"),
        ("sex + age band", "gioi_tinh=male&tuoi=under_30"),
        ("theory + age band", "llct=intermediate&tuoi=over_60"),
        ("age band, page 20", "tuoi=from_30&trang=20"),
    ]
    lists = [(label, _time(client, f"{base}?{query}", samples)) for label, query in filters]
    grassroots = f"/dang-vien/to-chuc/{middle[0].pk}/?tuoi=from_51"
    lists.append(("a grassroots committee's, age band", _time(client, grassroots, samples)))
    ledger = _time(client, f"/dang-vien/dang-phi/{cells[7].pk}/?ky={PERIOD}", samples)
    stats_top = _time(client, f"/dang-vien/thong-ke/{top.pk}/", max(5, samples // 3))
    stats_middle = _time(client, f"/dang-vien/thong-ke/{middle[0].pk}/", samples)
    return lists, ledger, stats_top, stats_middle


def _memory() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "memory unknown"
    return f"{pages / 2**30:.1f} GiB"


def _row(label: str, values: list[float]) -> str:
    return (
        f"| {label} | {len(values)} | {statistics.median(values):.0f} | {_p95(values):.0f} "
        f"| {max(values):.0f} |"
    )


def _markdown(args: argparse.Namespace, measured: Any, build_s: float) -> str:
    lists, ledger, stats_top, stats_middle = measured
    today = dt.datetime.now(dt.UTC).date().isoformat()
    worst = max(_p95(v) for _l, v in lists)
    lines = [
        SECTION,
        "",
        f"`bench/party_bench.py --members {args.members} --cells {args.cells} --committees "
        f"{args.committees} --samples {args.samples}` on {today} (UTC); {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (load average {args.load:.1f} when it "
        f"started), {_memory()}, Python {platform.python_version()}, PostgreSQL "
        f"(`{args.database.rsplit('/', 1)[-1]}`). {args.members:,} members in {args.cells:,} "
        f"cells under {args.committees} grassroots committees of one top committee, last "
        f"year's ratings decided, one month of fees recorded "
        f"({'built by the previous run, `--reuse`' if args.reuse else f'{build_s:.0f} s to build'}"
        "). Each "
        "figure is a whole request through Django's test client as the top committee's "
        "secretary (session, scope, the audited read, the template), in milliseconds.",
        "",
        "| page | requests | median | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [_row(f"member list, {label}", v) for label, v in lists]
    lines += [
        _row("a cell's monthly fee ledger", ledger),
        _row("statistics of the top committee (all members)", stats_top),
        _row("statistics of one grassroots committee", stats_middle),
        "",
        f"Member list: worst p95 **{worst:.0f} ms** (target < 100 ms); fee ledger p95 "
        f"**{_p95(ledger):.0f} ms** (target < 200 ms); statistics of the whole committee median "
        f"**{statistics.median(stats_top):.0f} ms** (one pass of filtered counts by cell over "
        f"{args.members:,} members, added up the tree in Python over {args.cells:,} cells).",
        "",
    ]
    return "\n".join(lines)


def _write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--cells", type=int, default=1_500)
    parser.add_argument("--committees", type=int, default=30)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the database of the last run"
    )
    args = parser.parse_args()
    args.load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="party-bench-") as data_dir:
        if not args.reuse:
            create_database(args.database)
        django_setup(data_dir, args.database)
        from django.core.management import call_command
        from django.db import connection

        t0 = time.perf_counter()
        if args.reuse:
            top, middle, cells = _existing()
        else:
            call_command("migrate", verbosity=0)
            top, middle, cells = _tree(args.committees, args.cells)
            _members(cells, args.members)
            with connection.cursor() as cursor:  # what autovacuum does after a bulk load
                cursor.execute("VACUUM ANALYZE")
        build_s = time.perf_counter() - t0
        client = _client(top)
        measured = _measure(client, top, middle, cells, args.samples)
    section = _markdown(args, measured, build_s)
    print(section)
    if not args.no_write:
        _write(section)
    lists, ledger, _top, _middle = measured
    good = max(_p95(v) for _l, v in lists) < 100 and _p95(ledger) < 200
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
