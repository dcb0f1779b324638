"""Preparation inside DuckDB gives exactly the columns of the Python preparation, bad files still
fall back to the Python reader (line numbers), and chunked prediction finds the same pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotich.core.text import nfc
from hotich.linkage import engine
from hotich.linkage.engine import connect, link_tables
from hotich.linkage.prepare import (
    PREPARED_COLUMNS,
    LinkageInputError,
    check_file,
    prepare,
    prepare_checked,
    read_records,
)
from hotich.linkage.synthetic import generate, write_csv

HEADER = "id,full_name,birth_date,sex,birth_place,father_name,mother_name,personal_id\n"
TRICKY = (
    '1,"  Nguyễn   Văn\tAn ",1990-05-17,M,"Xã  Nghi Phú, Thành phố Vinh",Nguyễn Văn Bình,,\n'
    "2,ĐẶNG THỊ HẰNG,1990-05,f,,ĐẶNG VĂN ĐỨC,Lê Thị Hoa,0401 2345 6789\n"
    "3,Nguye\u0302\u0303n Thi\u0323 Ha\u0300ng,1990,F,Phường Vinh Phú,,,\n"
    "4,Lan,,,,,,\n"
    "5,,1985-02-01,M,  ,  ,,040123456789\n"
    '6,Trần Hữu Quốc Việt,2001-11-30,M,"Xã Quế Phong, Tỉnh Nghệ An",Trần Văn Cường,'
    "Phạm Thị Dung,\n"
    "7,Nguyen Thi Hang,1990-05-17,F,xa nghi phu,Nguyen Van An,Le Thi Hoa,\n"
)


def fake_place(text: str) -> str | None:
    """Like ``geo_place_converter``: the key is the NFC text with white space collapsed."""
    key = nfc(text)
    return "X" + key[:6] if key else None


def both_ways(path: Path) -> tuple[dict[str, tuple[object, ...]], dict[str, tuple[object, ...]]]:
    with connect() as con:
        assert check_file(con, path, "raw") is None  # read and checked by DuckDB
        prepare_checked(con, None, "raw", "prepared", convert_place=fake_place)
        in_sql = {
            row[0]: row
            for row in con.execute(f"SELECT {', '.join(PREPARED_COLUMNS)} FROM prepared").fetchall()
        }
    columns = prepare(read_records(path), convert_place=fake_place)
    in_python = {
        uid: tuple(columns[c][i] for c in PREPARED_COLUMNS)
        for i, uid in enumerate(columns["unique_id"])
    }
    return in_sql, in_python


def test_duckdb_preparation_equals_python_preparation(tmp_path: Path) -> None:
    tricky = tmp_path / "tricky.csv"
    tricky.write_text(HEADER + TRICKY, encoding="utf-8")
    in_sql, in_python = both_ways(tricky)
    assert in_sql == in_python
    assert in_sql["2"][1:6] == ("dang", "thi", "hang", "hằng", "hăng")
    assert in_sql["1"][1:4] == ("nguyen", "van", "an")
    assert in_sql["2"][6:9] == (1990, 5, None)
    assert in_sql["2"][14] == "040123456789"
    assert in_sql["7"][4] is None  # written without marks: no marked forms

    data = generate(historic=150, citizens=300, seed=3)
    left = tmp_path / "historic.csv"
    write_csv(data.historic, left)
    in_sql, in_python = both_ways(left)
    assert len(in_sql) == 150
    assert in_sql == in_python


def test_files_duckdb_doubts_are_read_in_python(tmp_path: Path) -> None:
    blank_lines = tmp_path / "blank.csv"
    blank_lines.write_text(HEADER + "1,An,1990,M,,,,\n\n2,Bình,1991,M,,,,\n", encoding="utf-8")
    with connect() as con:
        checked = check_file(con, blank_lines, "raw")
        rows = prepare_checked(con, checked, "raw", "prepared")
        assert rows == 2
        bad = tmp_path / "bad.csv"
        bad.write_text(HEADER + "1,An,1990,M,,,,\n2,Bình,1991-02-30,M,,,,\n", encoding="utf-8")
        with pytest.raises(LinkageInputError) as info:
            check_file(con, bad, "raw_bad")
        assert "dòng 3" in info.value.bilingual()


def test_chunked_prediction_finds_the_same_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = generate(historic=200, citizens=500, seed=5)
    left, right = tmp_path / "h.csv", tmp_path / "r.csv"
    write_csv(data.historic, left)
    write_csv(data.register, right)

    def run() -> set[tuple[str, str]]:
        with connect() as con:
            for path, raw, table in ((left, "lr", "left_p"), (right, "rr", "right_p")):
                prepare_checked(con, check_file(con, path, raw), raw, table)
            result = link_tables(con, "left_p", "right_p", assign_one_to_one=False)
        return {(m.left_id, m.right_id) for m in result.matches}

    whole = run()
    monkeypatch.setattr(engine, "PAIRS_PER_CHUNK", 60)  # 200 left records: 4 chunks
    chunked = run()
    assert len(whole) > 150
    assert chunked == whole


def test_chunked_duplicate_search_finds_the_same_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One register holding both files' rows: the duplicates found in chunks of its records are
    those found at once."""
    data = generate(historic=200, citizens=400, seed=7)
    register = tmp_path / "one.csv"
    write_csv([*data.historic, *data.register], register)

    def run() -> set[tuple[str, str]]:
        with connect() as con:
            prepare_checked(con, check_file(con, register, "raw"), "raw", "one_p")
            result = link_tables(con, "one_p", None)
        return {(m.left_id, m.right_id) for m in result.matches}

    whole = run()
    monkeypatch.setattr(engine, "PAIRS_PER_CHUNK", 150)  # 600 records: 4 chunks
    chunked = run()
    assert len(whole) > 120
    assert chunked == whole
