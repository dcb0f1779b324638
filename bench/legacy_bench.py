"""Legacy data benchmark: ``legacy-decode`` throughput and spreadsheet import rows per second.

Usage (from the project root)::

    .venv/bin/python bench/legacy_bench.py                     # defaults below
    .venv/bin/python bench/legacy_bench.py --lines 20000 --rows 2000 --repeat 5

1. Decoding: ``--lines`` lines of Vietnamese register text (names, dates, places drawn with a
   fixed seed from ``hotich.core.names``) are encoded as TCVN3 and VNI legacy bytes and as VIQR,
   then decoded with ``hotich.legacy.codec.decode_bytes`` with the encoding given and with
   ``auto`` (detection scores every reading), ``--repeat`` times; figures are MB/s and lines/s
   (median and p95 of the repetitions' times). The command itself (``hotich legacy-decode``,
   Django start-up included) is timed once per encoding on the same file.
2. Import: a CSV of ``--rows`` birth entries in TCVN3 goes through the three steps of the import
   (read and decode; preview = every row checked by the registry inside a rolled-back
   transaction; accept = every row imported as a historic record) on a fresh SQLite database,
   ``--repeat`` times, each time for a new commune. Figures are rows per second per step.

3. OCR (``--ocr-pages``, 0 to skip): typed register pages rendered with Pillow are read by the
   Tesseract adapter (``-l vie``, one page at a time, one process); pages per minute and the
   share of the typed names read exactly.

The script prints a markdown section to paste into docs/benchmarks.md (and writes it to
``--out`` when given).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="hotich-legacy-bench-")
    os.environ["HOTICH_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    os.environ.setdefault("HOTICH_REQUIRE_OTP", "false")
    import django

    django.setup()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def sample_lines(count: int, seed: int = 2026) -> list[str]:
    from hotich.core import names

    rng = random.Random(seed)
    places = ["Xã Nghi Phú", "Phường Thành Vinh", "Xã Quế Phong", "Huyện Diễn Châu", "Nghệ An"]
    lines = []
    for n in range(count):
        full = names.random_name(rng).full
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 1990)
        lines.append(f"{n + 1},{full},{day:02d}/{month:02d}/{year},{rng.choice(places)}, Nghệ An")
    return lines


def bench_decode(lines: list[str], repeat: int) -> list[dict[str, Any]]:
    from hotich.legacy import codec

    text = "\n".join(lines)
    results = []
    for encoding in codec.ENCODINGS:
        data = codec.encode_bytes(text, encoding)
        assert codec.decode_bytes(data, encoding)[0] == text
        for mode in (encoding, "auto"):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                decoded, found = codec.decode_bytes(data, mode)
                times.append(time.perf_counter() - start)
            assert decoded == text and found == encoding, (encoding, mode, found)
            mb = len(data) / 1e6
            results.append(
                {
                    "encoding": encoding,
                    "mode": mode,
                    "bytes": len(data),
                    "median_mb_s": mb / statistics.median(times),
                    "p95_mb_s": mb / p95(times),
                    "median_lines_s": len(lines) / statistics.median(times),
                }
            )
    return results


def bench_cli(lines: list[str]) -> list[dict[str, Any]]:
    from hotich.legacy import codec

    hotich = Path(sys.executable).with_name("hotich")
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for encoding in codec.ENCODINGS:
            source = Path(folder) / f"{encoding}.txt"
            source.write_bytes(codec.encode_bytes("\n".join(lines), encoding))
            start = time.perf_counter()
            done = subprocess.run(
                [str(hotich), "legacy-decode", str(source)], capture_output=True, check=True
            )
            elapsed = time.perf_counter() - start
            assert done.stdout.decode("utf-8").splitlines()[0] == lines[0]
            out.append({"encoding": encoding, "seconds": elapsed})
    return out


def _commune(code: str) -> Any:
    from hotich.core.text import fold
    from hotich.geo.models import Unit
    from hotich.geo.vocabulary import Era, Level

    province, _ = Unit.objects.get_or_create(
        era=Era.CURRENT,
        code="40",
        defaults={
            "level": Level.PROVINCE,
            "name": "Tỉnh Nghệ An",
            "short_name": "Nghệ An",
            "unit_type": "Tỉnh",
            "path": "n/40/",
            "search_key": "tinh nghe an nghe an",
        },
    )
    name = f"Xã Thử {code}"
    return Unit.objects.create(
        era=Era.CURRENT,
        level=Level.COMMUNE,
        code=code,
        name=name,
        short_name=f"Thử {code}",
        unit_type="Xã",
        parent=province,
        path=f"{province.path}{code}/",
        search_key=fold(name),
    )


def bench_import(rows: int, repeat: int) -> dict[str, Any]:
    from django.core.management import call_command

    from hotich.accounts.models import User
    from hotich.legacy.services import (
        import_batch_accept,
        import_batch_create,
        import_batch_preview,
    )
    from hotich.legacy.tests.sheets import BIRTH_HEADERS, birth_rows, csv_bytes

    call_command("migrate", verbosity=0)
    content = csv_bytes(BIRTH_HEADERS, birth_rows(rows), "tcvn3")
    steps: dict[str, list[float]] = {"read": [], "preview": [], "accept": []}
    for n in range(repeat):
        unit = _commune(f"9{n:04d}")
        officer = User.objects.create(username=f"bench{n}", role="officer", unit=unit)
        start = time.perf_counter()
        batch = import_batch_create(
            actor=officer, file_name="so.csv", content=content, event_type="birth"
        )
        steps["read"].append(time.perf_counter() - start)
        start = time.perf_counter()
        batch = import_batch_preview(actor=officer, batch=batch)
        steps["preview"].append(time.perf_counter() - start)
        assert batch.errors == [], batch.errors[:3]
        start = time.perf_counter()
        batch = import_batch_accept(actor=officer, batch=batch)
        steps["accept"].append(time.perf_counter() - start)
        assert len(batch.record_ids) == rows
    return {
        "rows": rows,
        "bytes": len(content),
        "steps": {
            step: {
                "median_rows_s": rows / statistics.median(times),
                "p95_rows_s": rows / p95(times),
                "median_s": statistics.median(times),
            }
            for step, times in steps.items()
        },
    }


def bench_ocr(pages: int) -> dict[str, Any] | None:
    from hotich.digitization.adapters.ocr import TesseractEngine
    from hotich.digitization.adapters.ocr.samples import ENTRY_LINES, typed_page

    engine = TesseractEngine()
    if pages <= 0 or not engine.available():
        return None
    from hotich.core import names

    rng = random.Random(7)
    times, exact = [], 0
    for _ in range(pages):
        person = names.random_name(rng).full
        lines = [line if not line.startswith("Họ và tên:") else f"Họ và tên: {person}"
                 for line in ENTRY_LINES]  # fmt: skip
        image = typed_page(lines)
        start = time.perf_counter()
        result = engine.recognize(image)
        times.append(time.perf_counter() - start)
        exact += person in result.text
    return {
        "pages": pages,
        "pages_per_minute": 60 / statistics.median(times),
        "p95_seconds": p95(times),
        "exact_names": exact / pages,
        "size": typed_page().size,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, SQLite"


def markdown(decode: list[dict[str, Any]], cli: list[dict[str, Any]], imp: dict[str, Any],
             ocr: dict[str, Any] | None, args: argparse.Namespace) -> str:  # fmt: skip
    out = [
        "## Legacy data: `hotich legacy-decode` and spreadsheet import",
        "",
        f"`.venv/bin/python bench/legacy_bench.py --lines {args.lines} --rows {args.rows} "
        f"--repeat {args.repeat} --ocr-pages {args.ocr_pages}` on {machine()}, "
        f"{time.strftime('%Y-%m-%d')}.",
        "",
        f"Decoding {args.lines:,} lines of register text ({decode[0]['bytes'] / 1e6:.2f} MB as "
        "TCVN3 bytes), `codec.decode_bytes`, median and p95 of the repetitions:",
        "",
        "| encoding | given / auto | MB/s median | MB/s p95 | lines/s median |",
        "|---|---|---:|---:|---:|",
    ]
    for r in decode:
        mode = "given" if r["mode"] != "auto" else "auto (detect)"
        out.append(
            f"| {r['encoding']} | {mode} | {r['median_mb_s']:.1f} | {r['p95_mb_s']:.1f} | "
            f"{r['median_lines_s']:,.0f} |"
        )
    out += [
        "",
        "The command on the same file, Django start-up included: "
        + ", ".join(f"{c['encoding']} {c['seconds']:.2f} s" for c in cli)
        + ".",
        "",
        f"Import of a TCVN3 CSV of {imp['rows']:,} birth entries ({imp['bytes'] / 1e3:.0f} kB), "
        "each step over all rows:",
        "",
        "| step | rows/s median | rows/s p95 | seconds median |",
        "|---|---:|---:|---:|",
    ]
    labels = {
        "read": "read + decode per column + guess mapping",
        "preview": "preview (every row through the registry, rolled back)",
        "accept": "accept (all rows as historic records, one transaction)",
    }
    for step, figures in imp["steps"].items():
        out.append(
            f"| {labels[step]} | {figures['median_rows_s']:,.0f} | {figures['p95_rows_s']:,.0f} | "
            f"{figures['median_s']:.2f} |"
        )
    if ocr:
        width, height = ocr["size"]
        out += [
            "",
            f"OCR (Tesseract `-l vie`, psm 6) of {ocr['pages']} typed entry pages "
            f"({width}×{height} px, 8 lines, rendered with DejaVu Serif 34 px): "
            f"**{ocr['pages_per_minute']:.0f} pages/minute** (median; p95 "
            f"{ocr['p95_seconds']:.2f} s per page), the typed full name read exactly on "
            f"{ocr['exact_names']:.0%} of the pages.",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ocr-pages", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    _setup()
    lines = sample_lines(args.lines)
    decode = bench_decode(lines, args.repeat)
    cli = bench_cli(lines)
    imp = bench_import(args.rows, args.repeat)
    ocr = bench_ocr(args.ocr_pages)
    section = markdown(decode, cli, imp, ocr, args)
    print(section)
    if args.out:
        args.out.write_text(section, encoding="utf-8")


if __name__ == "__main__":
    main()
