"""``hotich link --engine spark``: Splink's Spark backend (local mode) gives the links DuckDB
gives on the same input, and prints nothing of Spark's own."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotich.linkage.spark_engine import jdk_available
from hotich.linkage.synthetic import generate, write_csv

pytestmark = pytest.mark.skipif(not jdk_available(), reason="Spark needs a JDK (java and javac)")

TOLERANCE = 1e-6


def link(left: Path, right: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotich", "link", str(left), str(right), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        check=False,
        # the project's own INFO lines depend on the database at hand (unit tables loaded or
        # not): warnings and errors only, so that any line of the JVM's or Spark's shows
        env={**os.environ, "HOTICH_LINKAGE_THREADS": "2", "HOTICH_LOG_LEVEL": "WARNING"},
        timeout=600,
    )


def read(path: Path) -> dict[tuple[str, str], float]:
    with path.open(encoding="utf-8") as fh:
        return {
            (row["left_id"], row["right_id"]): float(row["match_probability"])
            for row in csv.DictReader(fh)
        }


def test_spark_gives_the_same_links_as_duckdb_and_prints_nothing(tmp_path: Path) -> None:
    data = generate(historic=300, citizens=900, seed=11, sibling_share=0.2)
    left, right = tmp_path / "historic.csv", tmp_path / "register.csv"
    write_csv(data.historic, left)
    write_csv(data.register, right)

    duck = link(left, right, tmp_path / "duckdb.csv", "--threshold", "0.3")
    spark = link(left, right, tmp_path / "spark.csv", "--threshold", "0.3", "--engine", "spark")

    assert duck.returncode == 0, duck.stderr
    assert spark.returncode == 0, spark.stderr
    assert spark.stdout == "" and spark.stderr == ""  # no JVM, log4j or Spark warnings
    by_duckdb, by_spark = read(tmp_path / "duckdb.csv"), read(tmp_path / "spark.csv")
    assert len(by_duckdb) > 200  # most of the entries that have a person are linked
    assert set(by_spark) == set(by_duckdb)
    for pair, probability in by_duckdb.items():
        assert by_spark[pair] == pytest.approx(probability, abs=TOLERANCE), pair


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    left = tmp_path / "a.csv"
    left.write_text("id,full_name\n1,Nguyễn Văn An\n", encoding="utf-8")
    done = link(left, left, tmp_path / "m.csv", "--engine", "hadoop")
    assert done.returncode == 2
    assert "hadoop" in done.stderr
    assert not (tmp_path / "m.csv").exists()
