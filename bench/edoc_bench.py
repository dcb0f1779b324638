"""edXML benchmark: build a package of an issued, signed document and import + verify one.

Usage (from the project root)::

    .venv/bin/python bench/edoc_bench.py [--n 20] [--write]

Runs ``src/hotich/interconnect/tests/bench_edoc.py`` (one process, the SQLite test database,
the demo PKI: ECDSA P-256 official and seal keys, the local RSA-2048 TSA) and prints the
median and p95 of each step; ``--write`` replaces the edXML section of docs/benchmarks.md.
Targets (issue 16): build and sign a package < 200 ms; import and verify < 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## edXML interconnection"
TEST = "src/hotich/interconnect/tests/bench_edoc.py"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "samples.json"
        env = {**os.environ, "HOTICH_BENCH_N": str(args.n), "HOTICH_BENCH_OUT": str(out)}
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
            cwd=ROOT,
            env=env,
            check=True,
        )
        samples = json.loads(out.read_text())

    def plus(a: str, b: str) -> list[float]:
        return [x + y for x, y in zip(samples[a], samples[b], strict=True)]

    rows = [
        (
            "build the package of an issued document (read the signed PDF, edXML, base64)",
            samples["build"],
            samples["cpu_build"],
            "–",
        ),
        (
            "sign the document (render PDF/A, official + seal, timestamps, store) + build",
            plus("sign", "build"),
            plus("cpu_sign", "cpu_build"),
            "< 200 ms",
        ),
        (
            "import + verify (parse, check the PDF, verify both signatures, register, statuses)",
            samples["import"],
            samples["cpu_import"],
            "< 200 ms",
        ),
    ]
    size = statistics.median(samples["size"]) / 1024
    load = os.getloadavg()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        SECTION,
        "",
        f"`bench/edoc_bench.py --n {args.n}`, {dt.date.today().isoformat()}, commit {commit}, "
        f"{os.cpu_count()} cores, {_cpu()}; one process, SQLite, the demo PKI (ECDSA P-256 "
        f"official and seal keys, local RSA-2048 TSA). {args.n} công văn of one commune "
        f"(about 20 paragraphs, one page), each sent to another commune; package median "
        f"{size:.0f} KiB. Load average when it ended: {load:.1f}.",
        "",
        "| operation | n | median | p95 | CPU median | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, values, cpu, target in rows:
        lines.append(
            f"| {name} | {len(values)} | {statistics.median(values) * 1000:.1f} ms "
            f"| {_p95(values) * 1000:.1f} ms | {statistics.median(cpu) * 1000:.1f} ms "
            f"| {target} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        doc = DOC.read_text()
        pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
        doc = pattern.sub(text + "\n", doc) if pattern.search(doc) else doc.rstrip() + "\n\n" + text
        DOC.write_text(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
