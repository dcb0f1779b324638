"""``hotich link`` per docs/interfaces.md: accuracy on synthetic data, format, bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from hotich.linkage.prepare import parse_partial_date, without_tones
from hotich.linkage.synthetic import change_tone, generate, write_csv

pytestmark = pytest.mark.django_db

HEADER = "id,full_name,birth_date,sex,birth_place,father_name,mother_name,personal_id\n"


def read_out(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def synthetic() -> object:
    return generate(historic=200, citizens=500, seed=5)


def test_links_synthetic_data_accurately_one_to_one(tmp_path: Path, synthetic: object) -> None:
    data = synthetic
    left, right, out = tmp_path / "h.csv", tmp_path / "r.csv", tmp_path / "m.csv"
    write_csv(data.historic, left)  # type: ignore[attr-defined]
    write_csv(data.register, right)  # type: ignore[attr-defined]
    call_command("link", str(left), str(right), "--out", str(out))
    rows = read_out(out)
    assert list(rows[0]) == ["left_id", "right_id", "match_probability"]
    assert all(float(r["match_probability"]) >= 0.5 for r in rows)
    pairs = {(r["left_id"], r["right_id"]) for r in rows}
    assert len({left for left, _ in pairs}) == len(pairs)  # one-to-one
    assert len({right for _, right in pairs}) == len(pairs)
    truth = set(data.truth.items())  # type: ignore[attr-defined]
    tp = len(pairs & truth)
    precision, recall = tp / len(pairs), tp / len(truth)
    assert precision >= 0.97, precision
    assert recall >= 0.95, recall


def test_threshold_filters_and_all_pairs_keeps_candidates(
    tmp_path: Path, synthetic: object
) -> None:
    data = synthetic
    left, right = tmp_path / "h.csv", tmp_path / "r.csv"
    write_csv(data.historic, left)  # type: ignore[attr-defined]
    write_csv(data.register, right)  # type: ignore[attr-defined]
    call_command(
        "link", str(left), str(right), "--out", str(tmp_path / "hi.csv"), "--threshold", "0.99"
    )
    call_command(
        "link",
        str(left),
        str(right),
        "--out",
        str(tmp_path / "all.csv"),
        "--all-pairs",
        "--threshold",
        "0.2",
    )
    high, everything = read_out(tmp_path / "hi.csv"), read_out(tmp_path / "all.csv")
    assert all(float(r["match_probability"]) >= 0.99 for r in high)
    assert len(everything) > len(high)
    keys = [(r["left_id"], r["right_id"]) for r in everything]
    assert len(keys) == len(set(keys))


def test_same_file_twice_finds_duplicates_inside_it(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        HEADER + '1,Nguyễn Thị Hằng,1990-05-17,F,"Xã Nghi Phú, Thành phố Vinh, Tỉnh Nghệ An",'
        "Nguyễn Văn An,Lê Thị Hoa,\n"
        + '2,Nguyen Thi Hang,1990-05-17,F,"Phường Vinh Phú, Tỉnh Nghệ An",'
        "Nguyen Van An,Le Thi Hoa,\n"
        + '3,Trần Văn Bình,1985-02-01,M,"Xã Quế Phong, Tỉnh Nghệ An",Trần Văn Cường,'
        "Phạm Thị Dung,\n"
        + '4,Lê Minh Tuấn,2001-11-30,M,"Phường Trường Thi, Tỉnh Nghệ An",Lê Văn Hải,'
        "Hồ Thị Lan,\n",
        encoding="utf-8",
    )
    out = tmp_path / "dups.csv"
    call_command("link", str(register), str(register), "--out", str(out))
    pairs = {frozenset((r["left_id"], r["right_id"])) for r in read_out(out)}
    assert pairs == {frozenset(("1", "2"))}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER.replace(",personal_id", "") + "1,An,1990,M,,,\n", "personal_id"),
        (HEADER.replace(",", ";") + "1;An;1990;M;;;;\n", "';'"),
        (HEADER + "1,An,1990,M,,,,\n1,Bình,1991,M,,,,\n", "3"),
        (HEADER + "1,An,1990,M,,,,\n2,Bình,1991-13-01,M,,,,\n", "1991-13-01"),
        (HEADER + "1,An,1990,M,,,,\n2,Bình,2023-02-30,M,,,,\n", "dòng 3"),
        (HEADER + "1,An,1990,X,,,,\n", "dòng 2"),
        (HEADER + "1,An,1990,M,,,,12345\n", "12"),
    ],
)
def test_bad_input_is_refused_with_line_numbers_and_no_output(
    tmp_path: Path, content: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, good, out = tmp_path / "bad.csv", tmp_path / "good.csv", tmp_path / "m.csv"
    bad.write_text(content, encoding="utf-8")
    good.write_text(HEADER + "1,An,1990,M,,,,\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("link", str(good), str(bad), "--out", str(out))
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "bad.csv" in err
    assert expected in err
    assert not out.exists()
    assert set(tmp_path.iterdir()) == {bad, good}  # no temporary file left either


def test_non_utf8_file_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad, out = tmp_path / "old.csv", tmp_path / "m.csv"
    bad.write_bytes(
        (HEADER + "1,An,1990,M,,,,\n").encode() + "2,Café,1990,F,,,,\n".encode("latin-1")
    )
    out.write_text("previous result\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("link", str(bad), str(bad), "--out", str(out))
    err = capsys.readouterr().err
    assert "dòng 3" in err
    assert "UTF-8" in err
    assert out.read_text(encoding="utf-8") == "previous result\n"  # untouched


def test_bad_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "1,An,1990,M,,,,\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command(
            "link", str(good), str(good), "--out", str(tmp_path / "m.csv"), "--threshold", "1.5"
        )
    assert "1.5" in capsys.readouterr().err


def test_partial_dates() -> None:
    assert parse_partial_date("1990") == (1990, None, None)
    assert parse_partial_date("1990-05") == (1990, 5, None)
    assert parse_partial_date("1990-05-17") == (1990, 5, 17)
    for bad in ("1990-5-17", "17/05/1990", "1990-02-30", "199"):
        with pytest.raises(ValueError):
            parse_partial_date(bad)


def test_tone_marks_are_told_from_letters() -> None:
    assert without_tones("Hằng") == "hăng"
    assert without_tones("Hẳng") == without_tones("Hằng")  # only the tone differs
    assert without_tones("Hàng") != without_tones("Hằng")  # ă vs a: a letter differs
    changed = change_tone("Hằng", __import__("random").Random(1))
    assert changed != "Hằng"
    assert without_tones(changed) == "hăng"


def test_before_migrate_birth_places_are_converted_from_the_packaged_units(
    tmp_path: Path, synthetic: object
) -> None:
    """A fresh data directory (no unit tables at all) links like a migrated one: the old place
    names are converted from the units the package ships, not compared as written."""
    import os
    import subprocess
    import sys

    data = synthetic
    left, right = tmp_path / "h.csv", tmp_path / "r.csv"
    write_csv(data.historic, left)  # type: ignore[attr-defined]
    write_csv(data.register, right)  # type: ignore[attr-defined]
    call_command("link", str(left), str(right), "--out", str(tmp_path / "migrated.csv"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        HOTICH_DATA_DIR=str(tmp_path / "fresh"), DJANGO_SETTINGS_MODULE="hotich.config.settings"
    )
    probe = (
        "import django; django.setup()\n"
        "from hotich.linkage.prepare import geo_place_converter\n"
        "convert = geo_place_converter()\n"
        "print(convert('Xa Nghi Phu, Thanh pho Vinh, Tinh Nghe An'),"
        " convert('Phường Vinh Phú, Tỉnh Nghệ An'))\n"
    )
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )
    converted = run("-c", probe)
    assert converted.stdout.split() == ["16702", "16702"], converted.stderr[-500:]
    fresh = run("-m", "hotich", "link", str(left), str(right), "--out", str(tmp_path / "fresh.csv"))
    assert fresh.returncode == 0, fresh.stderr[-500:]
    assert "as written" not in fresh.stderr
    assert read_out(tmp_path / "fresh.csv") == read_out(tmp_path / "migrated.csv")
