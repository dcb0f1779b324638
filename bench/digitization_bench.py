"""Digitization speed: scan intake (check, hash, store, derivatives) and double-keying comparison.

    .venv/bin/python bench/digitization_bench.py [--pages 200] [--entries 100000] [--seed 1]
        [--runs 3] [--keying-page]

Intake: synthetic A4 register pages at 150 dpi (1240×1754, PNG, aged and skewed, made by
``hotich.digitization.demo``) are imported into a historic book through ``page_import`` with the
derivatives made in-process (immediate task backend), so the figure covers magic-byte and pixel
checks, full decoding, SHA-256, storing the master, deskew, web image and thumbnail. Comparison:
pairs of keyings of a birth entry (every field, ~15% of entries with one field different) are
compared with ``services.compare`` (NFC, spacing and case normalization). With ``--keying-page``
the keying page is also timed through Django's test client. Uses a throw-away data directory.
Prints a markdown table (median and p95 over ``--runs`` runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(data_dir: Path) -> None:
    os.environ["HOTICH_DATA_DIR"] = str(data_dir)
    os.environ["HOTICH_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["HOTICH_OCR"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotich.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def make_book(year: int) -> Any:
    from hotich.geo.models import Unit, UnitMapping
    from hotich.geo.vocabulary import Era, Level
    from hotich.registry.services import book_open

    def unit(era: str, level: str, code: str, name: str, parent: Any = None) -> Any:
        return Unit.objects.get_or_create(
            era=era,
            level=level,
            code=code,
            defaults={
                "name": name,
                "short_name": name.split(" ", 1)[-1],
                "unit_type": name.split(" ", 1)[0],
                "parent": parent,
                "path": f"{parent.path if parent else era + '/'}{code}/",
                "search_key": name.lower(),
            },
        )[0]

    province = unit(Era.CURRENT, Level.PROVINCE, "40", "Tỉnh Nghệ An")
    today = unit(Era.CURRENT, Level.COMMUNE, "16681", "Phường Thành Vinh", province)
    old_province = unit(Era.LEGACY, Level.PROVINCE, "40", "Tỉnh Nghệ An")
    old = unit(Era.LEGACY, Level.COMMUNE, "99001", "Xã Bench", old_province)
    UnitMapping.objects.get_or_create(old_unit=old, new_unit=today, defaults={"is_primary": True})
    return book_open(actor=None, unit=old, event_type="birth", year=year, is_historic=True)


def bench_intake(pages: int, seed: int, run: int) -> tuple[float, float]:
    """(pages per second, median seconds per page) for ``pages`` new pages."""
    from hotich.digitization.demo import demo_entry_lines, demo_page_image
    from hotich.digitization.services import page_import

    rng = random.Random(seed * 1000 + run)
    book = make_book(1950 + run)
    images = []
    for n in range(pages):
        lines = [demo_entry_lines(rng, 3 * n + i + 1, 1980)[0] for i in range(3)]
        images.append(demo_page_image(lines, seed=rng.randrange(1 << 30)))
    per_page = []
    start = time.perf_counter()
    for n, data in enumerate(images):
        t0 = time.perf_counter()
        page_import(actor=None, book=book, name=f"p{n + 1}.png", data=data)
        per_page.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    return pages / elapsed, statistics.median(per_page)


def bench_compare(entries: int, seed: int) -> float:
    """Seconds to compare ``entries`` pairs of keyings."""
    from hotich.digitization.fields import fields_for
    from hotich.digitization.services import compare

    rng = random.Random(seed)
    names = [f.name for f in fields_for("birth")]
    base = {name: {"v": f"Giá trị {name} số {rng.randrange(1000)}", "m": ""} for name in names}
    pairs = []
    for _ in range(entries):
        # Realistic keyings: most fields identical, a few differing only by case or spacing,
        # ~15% of entries with one field really different.
        first = {k: dict(v) for k, v in base.items()}
        second = {k: dict(v) for k, v in base.items()}
        for name in rng.sample(names, 3):
            second[name] = {"v": "  " + first[name]["v"].upper(), "m": ""}
        if rng.random() < 0.15:
            second[rng.choice(names)] = {"v": "khác", "m": ""}
        pairs.append((first, second))
    start = time.perf_counter()
    differing = 0
    for first, second in pairs:
        differing += bool(compare(first, second)[1])
    elapsed = time.perf_counter() - start
    assert 0 < differing < entries
    return elapsed


def bench_keying_page(samples: int) -> list[float]:
    """Server time of the keying page (ms), through the test client, logged in as a clerk."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hotich.accounts.models import User
    from hotich.accounts.vocabulary import Role
    from hotich.digitization.demo import demo_page_image
    from hotich.digitization.services import entries_split, page_import

    book = make_book(1949)
    unit = book.scope_unit
    clerk = User.objects.create(username="bench-clerk", role=Role.CLERK, unit=unit)
    page = page_import(
        actor=None, book=book, name="k.png", data=demo_page_image([["Số 1"]], seed=1)
    ).pages[0]
    entries = entries_split(actor=None, page=page, first_number=1, count=5)
    device = TOTPDevice.objects.create(user=clerk, confirmed=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(clerk)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    times = []
    for i in range(samples):
        entry = entries[i % len(entries)]
        t0 = time.perf_counter()
        response = client.get(f"/so-hoa/muc/{entry.pk}/nhap/")
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keying-page", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotich-bench-") as tmp:
        setup_django(Path(tmp))
        rates, medians, compares = [], [], []
        for run in range(args.runs):
            rate, per_page = bench_intake(args.pages, args.seed, run)
            rates.append(rate)
            medians.append(per_page)
            compares.append(bench_compare(args.entries, args.seed + run))
            print(
                f"run {run + 1}: {rate * 60:.0f} pages/min, compare {compares[-1]:.2f} s",
                file=sys.stderr,
            )
        keying = bench_keying_page(50) if args.keying_page else []
    cpu = platform.processor() or platform.machine()
    print(
        f"machine: {platform.node()} · {cpu} · {os.cpu_count()} CPUs · Python "
        f"{platform.python_version()}"
    )
    print(
        f"data: {args.pages} pages × {args.runs} runs (1240×1754 PNG), {args.entries} keying pairs"
    )
    print()
    print("| measure | median | p95 / worst |")
    print("|---|---|---|")
    print(
        f"| intake, pages per minute | {statistics.median(rates) * 60:.0f} | "
        f"{min(rates) * 60:.0f} (slowest run) |"
    )
    print(f"| intake, seconds per page | {statistics.median(medians):.3f} | {max(medians):.3f} |")
    print(
        f"| compare {args.entries} double-keyed entries, s | {statistics.median(compares):.2f} | "
        f"{max(compares):.2f} |"
    )
    print(
        f"| comparison rate, entries per second | "
        f"{args.entries / statistics.median(compares):.0f} | "
        f"{args.entries / max(compares):.0f} |"
    )
    if keying:
        print(
            f"| keying page load (server), ms | {statistics.median(keying):.0f} | "
            f"{p95(keying):.0f} |"
        )


if __name__ == "__main__":
    main()
