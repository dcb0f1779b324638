"""The ``hotich id decode`` console contract, run as another program would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOTICH = Path(sys.executable).with_name("hotich")


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOTICH_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(HOTICH), "id", "decode", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_decode_prints_the_contract_json(tmp_path: Path) -> None:
    result = run("040188012345", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        '{"number": "040188012345", "province_code": "040", "province": "Nghệ An", '
        '"sex": "F", "birth_year": 1988}\n'
    )
    assert json.loads(result.stdout)["province"] == "Nghệ An"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("04018801234", "12 chữ số"),
        ("039188012345", "039"),
        ("040788012345", "Chữ số thứ 4"),
        ("040298012345", "tương lai"),
    ],
)
def test_decode_refuses_with_exit_2(tmp_path: Path, number: str, fragment: str) -> None:
    result = run(number, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]
