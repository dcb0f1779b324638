"""``hotich legacy-decode`` run as another program would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotich.legacy.tests.test_codec import (
    MOTTO,
    MOTTO_TCVN3,
    MOTTO_TCVN3_BYTES,
    MOTTO_VIQR,
    MOTTO_VNI,
)

HOTICH = Path(sys.executable).with_name("hotich")


def run(*args: str, stdin: bytes = b"", tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "HOTICH_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(HOTICH), "legacy-decode", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (MOTTO_TCVN3_BYTES, "tcvn3"),
        (MOTTO_TCVN3.encode("utf-8"), "tcvn3"),
        (MOTTO_VNI.encode("cp1252"), "vni"),
        (MOTTO_VNI.encode("utf-8"), "vni"),
        (MOTTO_VIQR.encode("ascii"), "viqr"),
    ],
)
def test_decodes_files_and_stdin(data: bytes, encoding: str, tmp_path: Path) -> None:
    source = tmp_path / "old.txt"
    source.write_bytes(data + b"\n")
    for args in ((str(source),), (f"--encoding={encoding}", str(source))):
        result = run(*args, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode("utf-8") == MOTTO + "\n"
    piped = run("--encoding", "auto", stdin=data, tmp_path=tmp_path)
    assert piped.returncode == 0
    assert piped.stdout.decode("utf-8") == MOTTO


def test_unicode_passes_through(tmp_path: Path) -> None:
    result = run(stdin="Nguyễn Thị Hằng\n".encode(), tmp_path=tmp_path)
    assert result.stdout.decode() == "Nguyễn Thị Hằng\n"


def test_missing_file_is_one_line_on_stderr(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.txt"), tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    result = run("--encoding", "koi8", stdin=b"x", tmp_path=tmp_path)
    assert result.returncode != 0
