"""Linkage accuracy and speed: the Vietnamese model against plain Splink on the same files.

    .venv/bin/python bench/linkage_bench.py [--historic 20000] [--citizens 60000] [--seed 1]
        [--skip-plain] [--out DIR]

Generates historic entries and a population register with known truth
(``hotich.linkage.synthetic``), writes them as linkage CSV files, runs ``hotich link``'s engine
(Vietnamese preparation, Splink 5 + DuckDB, one-to-one) and plain Splink (default name
comparisons on the columns as written), and prints precision, recall, F1, time and peak memory
as a markdown table. Uses a throw-away data directory (SQLite) for the geo conversion.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(data_dir: Path) -> None:
    os.environ.setdefault("HOTICH_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotich.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def score(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": len(found) - tp,
        "fn": len(truth) - tp,
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--historic", type=int, default=20_000)
    parser.add_argument("--citizens", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="linkage-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    setup_django(work / "data")

    from hotich.linkage.services import link_files
    from hotich.linkage.synthetic import generate, write_csv, write_truth

    started = time.monotonic()
    data = generate(historic=args.historic, citizens=args.citizens, seed=args.seed)
    left, right = work / "historic.csv", work / "register.csv"
    write_csv(data.historic, left)
    write_csv(data.register, right)
    write_truth(data.truth, work / "truth.csv")
    print(
        f"generated {len(data.historic)} + {len(data.register)} rows in "
        f"{time.monotonic() - started:.1f} s -> {work}",
        file=sys.stderr,
    )
    truth = set(data.truth.items())

    rows = []
    started = time.monotonic()
    result = link_files(left, right, out=work / "matches.csv", threshold=args.threshold)
    seconds = time.monotonic() - started
    vn = score({(m.left_id, m.right_id) for m in result.matches}, truth)
    rows.append(("hotich link (Vietnamese model, one-to-one)", vn, seconds, result.seconds))
    by_kind = {}
    found_left = {m.left_id: m.right_id for m in result.matches}
    for kind, ids in sorted(data.kinds.items()):
        relevant = [i for i in ids if i in data.truth]
        if relevant:
            ok = sum(1 for i in relevant if found_left.get(i) == data.truth[i])
            by_kind[kind] = (ok, len(relevant))

    if not args.skip_plain:
        from hotich.linkage.engine import link_plain
        from hotich.linkage.prepare import raw_columns, read_records

        started = time.monotonic()
        plain = link_plain(
            raw_columns(read_records(left)),
            raw_columns(read_records(right)),
            threshold=args.threshold,
        )
        seconds = time.monotonic() - started
        ps = score({(m.left_id, m.right_id) for m in plain.matches}, truth)
        rows.append(
            ("plain Splink (default comparisons, no preparation)", ps, seconds, plain.seconds)
        )

    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; data: {len(data.historic):,} historic entries × "
        f"{len(data.register):,} citizens ({len(truth):,} true matches), seed {args.seed}, "
        f"threshold {args.threshold}.\n"
    )
    print("| model | precision | recall | F1 | time (s) | train / predict (s) |")
    print("|---|---|---|---|---|---|")
    for name, s, secs, parts in rows:
        print(
            f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | "
            f"{secs:.1f} | {parts.get('train', 0):.1f} / {parts.get('predict', 0):.1f} |"
        )
    print(f"\nPeak memory (whole process): {peak_rss_mb():.0f} MB.\n")
    print("Recall of the Vietnamese model by difference in the historic entry:\n")
    print("| difference | found / true matches |")
    print("|---|---|")
    for kind, (ok, total) in by_kind.items():
        print(f"| {kind} | {ok} / {total} |")


if __name__ == "__main__":
    main()
