"""The Spark engine's Jaro-Winkler function (``java/JaroWinklerDuckDB.java``) gives exactly DuckDB's
``jaro_winkler_similarity``, the values the model was trained and measured with."""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hotich.core.errors import ValidationFailed
from hotich.linkage import spark_engine
from hotich.linkage.spark_engine import JARO_WINKLER_FUNCTION, jdk_available

needs_jdk = pytest.mark.skipif(
    not jdk_available(), reason="Spark's Jaro-Winkler function needs a JDK (java and javac)"
)

# folded names as the model compares them (surname, middle name, given name, parents)
FOLDED = [
    "nguyen", "nguyen van", "van", "thi", "an", "anh", "hanh", "hang", "tran", "tuan", "thuan",
    "hoang", "huong", "phuong", "phung", "duong", "dung", "nguyen van an", "nguyen van anh",
    "tran thi hang", "tran thi hanh", "le thi thu huong", "le thi huong", "pham", "phan", "ngoc",
    "ngo", "truong", "trung", "quynh", "quy", "thuy", "thu", "minh", "linh", "dinh", "dinh van",
]  # fmt: skip
# as written: marks, composed (NFC) or not (NFD), đ, capitals
WRITTEN = [
    "Nguyễn", "Nguyên", "Nguyen", "Đặng", "Đăng", "Dang", "Hằng", "Hăng", "Hạnh", "Thị", "Thi",
    "Trần Thị Hằng", "Trần Thị Hạnh", "Lê Thị Thu Hương", "Phương", "Phuong", "Ngọc Ánh",
]  # fmt: skip
EDGES: list[tuple[str | None, str | None]] = [
    ("", ""), ("", "a"), ("a", ""), ("a", "a"), ("a", "b"), ("ab", "ba"), ("ab", "ab"),
    ("abc", "abc"), ("abcdef", "bcadef"), ("martha", "marhta"), ("dwayne", "duane"),
    ("dixon", "dicksonx"), ("a" * 70, "a" * 69 + "b"), ("ab" * 40, "ba" * 40),
    ("😀a", "a😀"), ("𝔸bc", "𝔸cb"), (None, "a"), ("a", None), (None, None), (None, ""),
]  # fmt: skip


def _mutated(rng: random.Random, word: str, alphabet: str) -> str:
    """``word`` with up to three edits: swaps of nearby letters (transpositions), insertions,
    deletions."""
    letters = list(word)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        if op < 0.5 and len(letters) > 1:
            i = rng.randrange(len(letters) - 1)
            j = min(len(letters) - 1, i + rng.randint(1, 3))
            letters[i], letters[j] = letters[j], letters[i]
        elif op < 0.75:
            letters.insert(rng.randint(0, len(letters)), rng.choice(alphabet))
        elif letters:
            del letters[rng.randrange(len(letters))]
    return "".join(letters)


def pairs(count: int = 4000, seed: int = 3) -> list[tuple[str | None, str | None]]:
    """Short strings over small alphabets (transpositions, common prefixes and near-duplicates
    are frequent), names, and the edge cases."""
    rng = random.Random(seed)
    out = list(EDGES)
    for _ in range(count):
        alphabet = rng.choice(["ab", "abc", "abcd", "abcdefgh", "aăâđdê"])
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        b = _mutated(rng, a, alphabet) if rng.random() < 0.6 else ""
        if not b:
            b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        out.append((a, b))
    for names in (FOLDED, WRITTEN):
        for a in names:
            for b in names:
                out.append((a, b))
            out.append((a, _mutated(rng, a, "aeiounghtd")))
    out += [(unicodedata.normalize("NFD", a), b) for a, b in itertools.pairwise(WRITTEN)]
    return out


def duckdb_values(rows: list[tuple[str | None, str | None]]) -> list[float | None]:
    import duckdb
    import pyarrow as pa

    table = pa.table({"i": range(len(rows)), "a": [a for a, _ in rows], "b": [b for _, b in rows]})
    with duckdb.connect() as con:
        con.register("pairs", table)
        result = con.execute("SELECT jaro_winkler_similarity(a, b) FROM pairs ORDER BY i")
        return [value for (value,) in result.fetchall()]


def spark_values(
    spark: Any, rows: list[tuple[str | None, str | None]], function: str
) -> list[float | None]:
    import pyarrow as pa

    table = pa.table({"i": range(len(rows)), "a": [a for a, _ in rows], "b": [b for _, b in rows]})
    frame = spark.createDataFrame(table).selectExpr("i", f"{function}(a, b) AS s")
    return frame.orderBy("i").toArrow().column("s").to_pylist()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with spark_engine.spark_session() as session:
        yield session


@needs_jdk
def test_spark_gives_exactly_duckdbs_jaro_winkler(spark: Any) -> None:
    rows = pairs()
    by_duckdb = duckdb_values(rows)
    by_spark = spark_values(spark, rows, JARO_WINKLER_FUNCTION)
    differ = [
        (a, b, d, s)
        for (a, b), d, s in zip(rows, by_duckdb, by_spark, strict=True)
        if d != s  # exactly: None for None, the same double otherwise
    ]
    assert not differ, f"{len(differ)} of {len(rows)} pairs differ, e.g. {differ[:5]}"
    assert by_duckdb.count(None) == 4  # the NULL cases: NULL in, NULL out
    assert len(set(by_duckdb)) > 300  # many different values, not a few repeated


@needs_jdk
def test_the_jar_splink_ships_differs_from_duckdb(spark: Any) -> None:
    """Why the function exists: Splink's ``jaro_winkler`` for Spark does not round the
    transpositions down (``'abcdef'``, ``'bcadef'``: 0.9167, DuckDB 0.9444)."""
    from pyspark.sql.types import DoubleType

    spark.udf.registerJavaFunction(
        "splink_jaro_winkler", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity", DoubleType()
    )
    rows: list[tuple[str | None, str | None]] = [("abcdef", "bcadef")]
    (by_jar,) = spark_values(spark, rows, "splink_jaro_winkler")
    (ours,) = spark_values(spark, rows, JARO_WINKLER_FUNCTION)
    assert ours == duckdb_values(rows)[0] == pytest.approx(0.9444, abs=1e-4)
    assert by_jar == pytest.approx(0.9167, abs=1e-4)


def test_no_javac_is_refused_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spark_engine, "_cache_dir", lambda: tmp_path)
    monkeypatch.setattr(spark_engine, "_javac", lambda: None)
    with pytest.raises(ValidationFailed) as caught:
        spark_engine.udf_jar()
    message = caught.value.bilingual()
    assert "javac" in message and "openjdk-17-jdk-headless" in message
    assert "Jaro-Winkler" in message and " / The Spark engine needs" in message
    assert not list(tmp_path.iterdir())  # nothing half-built left behind


def test_a_javac_that_fails_is_refused_with_its_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "javac"
    fake.write_text("#!/bin/sh\necho 'error: invalid target release: 17' >&2\nexit 2\n")
    fake.chmod(0o755)
    cache = tmp_path / "cache"
    monkeypatch.setattr(spark_engine, "_cache_dir", lambda: cache)
    monkeypatch.setattr(spark_engine, "_javac", lambda: str(fake))
    with pytest.raises(ValidationFailed) as caught:
        spark_engine.udf_jar()
    message = caught.value.bilingual()
    assert "JDK 17" in message and "invalid target release: 17" in message
    assert not list(cache.iterdir())  # no jar, no build folder left behind
