"""Linkage accuracy and speed: the Vietnamese model against plain Splink on the same files.

    .venv/bin/python bench/linkage_bench.py [--historic 20000] [--citizens 60000] [--seed 1]
        [--skip-plain] [--out DIR] [--data DIR] [--generate-only] [--dedupe]

Generates historic entries and a population register with known truth
(``hotich.linkage.synthetic``) and writes them as linkage CSV files (``historic.csv``,
``register.csv``, ``truth.csv``, ``kinds.json`` in DIR), or reuses the files of an earlier run
with ``--data DIR`` (generating 1 million × 3 million takes longer than linking them). Then runs
``hotich link`` as a child process (Vietnamese preparation in DuckDB, Splink 5 + DuckDB,
one-to-one), measuring its wall time and peak memory (``getrusage`` of the child), and plain
Splink (default name comparisons on the columns as written) in this process, and prints
precision, recall, F1, time, peak memory and the load average as markdown. Uses a throw-away
data directory (SQLite) for the geo conversion.

``--dedupe`` measures the duplicate search inside one register instead: the historic entries
and the citizens are written as one file (``one.csv``), and ``hotich link one.csv one.csv``
must find each entry's true citizen as a duplicate pair (in chunks of the register's records).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
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


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def generate_files(
    work: Path,
    historic: int,
    citizens: int,
    seed: int,
    siblings: float = 0.0,
    mix: dict[str, float] | None = None,
) -> None:
    from hotich.linkage.synthetic import generate, write_csv, write_truth

    started = time.monotonic()
    data = generate(
        historic=historic, citizens=citizens, seed=seed, sibling_share=siblings, rates=mix
    )
    write_csv(data.historic, work / "historic.csv")
    write_csv(data.register, work / "register.csv")
    write_truth(data.truth, work / "truth.csv")
    (work / "kinds.json").write_text(json.dumps(data.kinds), encoding="utf-8")
    print(
        f"generated {len(data.historic)} + {len(data.register)} rows in "
        f"{time.monotonic() - started:.1f} s -> {work}",
        file=sys.stderr,
    )


def read_pairs(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(row["left_id"], row["right_id"]) for row in csv.DictReader(fh)}


def read_parents(path: Path) -> dict[str, tuple[str, str]]:
    """Register id → (father, mother), where both are written."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["id"]: (row["father_name"], row["mother_name"])
            for row in csv.DictReader(fh)
            if row["father_name"] and row["mother_name"]
        }


def count_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def run_link(
    left: Path, right: Path, out: Path, threshold: float, engine: str = "duckdb"
) -> tuple[float, float, str]:
    """``hotich link`` as a child process: (wall seconds, peak RSS in MB, its timing line). The
    peak is the largest of the children so far (Spark's JVM is a child of the child)."""
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotich",
            "link",
            str(left),
            str(right),
            "--out",
            str(out),
            "--threshold",
            str(threshold),
            "--engine",
            engine,
            "-v",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    seconds = time.monotonic() - started
    if done.returncode:
        sys.exit(f"hotich link failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    timing = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return seconds, peak_rss_mb(resource.RUSAGE_CHILDREN), timing


def dedupe(work: Path, threshold: float) -> None:
    """Duplicates inside one register made of the historic entries and the citizens: each
    entry's true citizen is a duplicate pair to find."""
    one = work / "one.csv"
    with one.open("w", encoding="utf-8") as out:
        for n, name in enumerate(("historic.csv", "register.csv")):
            with (work / name).open(encoding="utf-8") as fh:
                if n:
                    next(fh)  # one header
                out.writelines(fh)
    truth = {frozenset(pair) for pair in read_pairs(work / "truth.csv")}
    rows = count_rows(one)
    load_before = load_average()
    seconds, peak, timing = run_link(one, one, work / "duplicates.csv", threshold)
    found = {frozenset(pair) for pair in read_pairs(work / "duplicates.csv")}
    hit = len(found & truth)
    precision, recall = hit / max(len(found), 1), hit / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(
        f"\n{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average (1/5/15 min) "
        f"{load_before} before, {load_average()} after; one register of {rows:,} records "
        f"({len(truth):,} duplicate pairs), threshold {threshold}.\n"
    )
    print("| records | precision | recall | F1 | time (s) | peak RSS (MB) | stages |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {rows:,} | {precision:.4f} | {recall:.4f} | {f1:.4f} | {seconds:.1f} | {peak:.0f} "
        f"| {timing} |"
    )


def blocked_pairs(left: Path, right: Path) -> list[tuple[str, int]]:
    """Each blocking rule of the Vietnamese model with the pairs it adds to the rules before it
    (exact counts, DuckDB, on the prepared files): the pairs both engines score."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from hotich.linkage.engine import connect, vietnamese_blocking
    from hotich.linkage.prepare import check_file, geo_place_converter, prepare_checked

    with connect() as con:
        convert = geo_place_converter()
        for path, name in ((left, "left"), (right, "right")):
            checked = check_file(con, path, f"{name}_raw")
            prepare_checked(con, checked, f"{name}_raw", f"{name}_prepared", convert_place=convert)
        db_api = DuckDBAPI(con)
        frames = [
            db_api.register("left_prepared", dataset_display_name="t0"),
            db_api.register("right_prepared", dataset_display_name="t1"),
        ]
        records = count_comparisons_from_blocking_rules(
            frames,
            blocking_rules=vietnamese_blocking(),
            link_type="link_only",
            record_sample_proportion=1.0,
        )
    return [(r["blocking_rule"], int(r["marginal_comparison_count"])) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--historic", type=int, default=20_000)
    parser.add_argument("--citizens", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument(
        "--pairs", action="store_true", help="count the pairs each blocking rule adds (exact)"
    )
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark", "both"),
        default="duckdb",
        help="where `hotich link` scores the pairs; both: DuckDB, then Spark on the same files",
    )
    parser.add_argument("--out", default="", help="directory for generated files and results")
    parser.add_argument("--data", default="", help="reuse historic.csv, register.csv, truth.csv")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--dedupe", action="store_true", help="duplicates inside one file of both sets' rows"
    )
    parser.add_argument(
        "--siblings", type=float, default=0.0, help="share of matched people with a brother/sister"
    )
    parser.add_argument(
        "--mix",
        default="",
        help="differences' rates overriding the generator's, e.g. year_only=0.3,no_date=0.1",
    )
    args = parser.parse_args()
    work = Path(args.out or args.data or tempfile.mkdtemp(prefix="linkage-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    setup_django(work / "data")

    if not args.data:
        mix = {k: float(v) for k, v in (p.split("=") for p in args.mix.split(",") if p)}
        generate_files(work, args.historic, args.citizens, args.seed, args.siblings, mix)
    if args.generate_only:
        return
    if args.dedupe:
        dedupe(work, args.threshold)
        return
    left, right = work / "historic.csv", work / "register.csv"
    truth = read_pairs(work / "truth.csv")
    kinds_file = work / "kinds.json"
    kinds: dict[str, list[str]] = (
        json.loads(kinds_file.read_text(encoding="utf-8")) if kinds_file.exists() else {}
    )
    n_left, n_right = count_rows(left), count_rows(right)

    rows = []
    engines = ("duckdb", "spark") if args.engine == "both" else (args.engine,)
    load_before = load_average()
    found_by: dict[str, set[tuple[str, str]]] = {}
    by_rule = blocked_pairs(left, right) if args.pairs else []
    pairs = sum(n for _, n in by_rule)
    for engine in engines:
        out = work / ("matches.csv" if engine == "duckdb" else f"matches-{engine}.csv")
        seconds, peak, timing = run_link(left, right, out, args.threshold, engine)
        found_by[engine] = read_pairs(out)
        predict = re.search(r"predict ([0-9.]+)s", timing)
        rate = (
            f"; {pairs:,} pairs scored, {pairs / float(predict.group(1)):,.0f}/s in predict"
            if pairs and predict
            else ""
        )
        rows.append(
            (
                f"hotich link --engine {engine} (Vietnamese model, one-to-one)",
                score(found_by[engine], truth),
                seconds,
                peak,
                timing + rate,
            )
        )
    load_after = load_average()
    found = found_by[engines[0]]
    by_kind = {}
    truth_left = dict(truth)
    found_left = dict(found)
    for kind, ids in sorted(kinds.items()):
        relevant = [i for i in ids if i in truth_left]
        if relevant:
            ok = sum(1 for i in relevant if found_left.get(i) == truth_left[i])
            by_kind[kind] = (ok, len(relevant))

    parents = read_parents(right)
    wrong = [(le, r) for le, r in found if le in truth_left and truth_left[le] != r]
    sibling_wrong = sum(
        1 for le, r in wrong if parents.get(r) and parents.get(r) == parents.get(truth_left[le])
    )

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
        parts = ", ".join(f"{k} {v:.1f}s" for k, v in plain.seconds.items())
        rows.append(
            (
                "plain Splink (default comparisons, no preparation)",
                ps,
                seconds,
                peak_rss_mb(),
                parts,
            )
        )

    print(
        f"\n{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average (1/5/15 min) "
        f"{load_before} before, {load_after} after the linkage run; data: {n_left:,} historic "
        f"entries × {n_right:,} citizens ({len(truth):,} true matches), threshold "
        f"{args.threshold}.\n"
    )
    print("| model | precision | recall | F1 | time (s) | peak RSS (MB) | stages |")
    print("|---|---|---|---|---|---|---|")
    for name, s, secs, mb, parts in rows:
        print(
            f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | "
            f"{secs:.1f} | {mb:.0f} | {parts} |"
        )
    print(
        f"\nFalse matches of entries that have a true match: {len(wrong)}, of them "
        f"{sibling_wrong} to a brother or sister of the true person (same parents); false "
        f"matches of entries without one: {len(found - truth) - len(wrong)}."
    )
    if by_rule:
        print("\n| blocking rule | pairs it adds |")
        print("|---|---|")
        for rule, n in by_rule:
            print(f"| `{rule}` | {n:,} |")
        print(f"| all | {pairs:,} |")
    if len(found_by) > 1:
        same = found_by["duckdb"] == found_by["spark"]
        print(
            f"\nDuckDB and Spark: {'the same' if same else 'different'} links "
            f"({len(found_by['duckdb'] ^ found_by['spark'])} pairs in one only)."
        )
    if by_kind:
        print("\nRecall of the Vietnamese model by difference in the historic entry:\n")
        print("| difference | found / true matches |")
        print("|---|---|")
        for kind, (ok, total) in by_kind.items():
            print(f"| {kind} | {ok} / {total} |")


if __name__ == "__main__":
    main()
