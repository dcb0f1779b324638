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


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n", "PDF"),
        (PNG, "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "OLE2"),
        (b"Vi\xd6t Nam\x00\x00\x00\x01\x02", "binary"),  # legacy bytes never hold NUL
        (bytes(range(1, 32)) * 4 + b"abc", "binary"),
    ],
)
def test_binary_input_is_refused(data: bytes, kind: str, tmp_path: Path) -> None:
    result = run(stdin=data, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode()
    assert len(err.strip().splitlines()) == 1
    assert "không phải văn bản" in err and "not text" in err and kind in err


def test_binary_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "scan.png"
    source.write_bytes(PNG)
    result = run(str(source), tmp_path=tmp_path)
    assert result.returncode == 2 and result.stdout == b""
    assert "PNG" in result.stderr.decode()


def test_utf16_text_with_its_bom_is_still_text(tmp_path: Path) -> None:
    result = run(stdin="Nguyễn Thị Hằng\n".encode("utf-16"), tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == "Nguyễn Thị Hằng\n"


def test_text_with_a_form_feed_and_ctrl_z_is_text(tmp_path: Path) -> None:
    result = run(stdin=MOTTO_TCVN3_BYTES + b"\r\n\x0c\r\n\x1a", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").startswith(MOTTO)
