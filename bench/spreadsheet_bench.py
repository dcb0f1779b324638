"""Hostile spreadsheet uploads: how long a refusal takes and how much memory it costs.

    .venv/bin/python bench/spreadsheet_bench.py [--runs 3]

Two files made by ``hotich.core.tests.sheets``: a valid 150 KB workbook whose sheet has a
procedure-catalogue header and one million rows (51 MB unpacked), and a 1 MB zip bomb whose
sheet unpacks to 1 GB of well-formed XML. Each is handed to the procedure-catalogue import
(``catalogue_import``, as the catalogue page and ``hotich portal catalogue import`` do) in a fresh
Python process; the figures are the wall time of the call and the growth of the process's peak
resident memory during it (median over ``--runs`` runs). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HEADER = ["Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Thời hạn giải quyết", "Mức độ dịch vụ"]
CASES = {
    "rows": "1,000,000 rows, 150 KB",
    "bomb": "zip bomb, 1 MB → 1 GB",
}


def make(case: str) -> bytes:
    from hotich.core.tests.sheets import bomb_xlsx, long_xlsx

    if case == "rows":
        return long_xlsx(HEADER, ["1.1"], 1_000_000)
    return bomb_xlsx(1024 * 1024 * 1024)


def child(case: str) -> None:
    """One measurement, in this process: prints JSON."""
    os.environ["HOTICH_DATA_DIR"] = tempfile.mkdtemp(prefix="hotich-sheet-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from hotich.core.errors import DomainError
    from hotich.portal.services import catalogue_import

    data = make(case)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        catalogue_import(actor=None, data=data)
        outcome = "accepted"
    except DomainError as exc:
        outcome = exc.in_language("en")
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"size": len(data), "seconds": seconds, "mb": (after - before) / 1024, "out": outcome}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        child(args.case)
        return
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}\n")
    print("| file | size | refused in (s) | peak memory growth (MB) | outcome |")
    print("|---|---|---|---|---|")
    for case, label in CASES.items():
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, __file__, "--case", case],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        seconds = statistics.median(r["seconds"] for r in runs)
        mb = statistics.median(r["mb"] for r in runs)
        size = runs[0]["size"] / 1024
        print(f"| {label} | {size:,.0f} KB | {seconds:.2f} | {mb:,.0f} | {runs[0]['out']} |")


if __name__ == "__main__":
    main()
