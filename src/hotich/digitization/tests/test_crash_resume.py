"""Killing ``hotich scan import`` with SIGKILL in the middle of a book and starting it again loses
no page and duplicates none: the second run resumes where the first stopped, continues its
batch, and leaves a store whose fixity check passes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from hotich.digitization.tests.conftest import page_bytes

ROOT = Path(__file__).resolve().parents[4]
SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hotich.geo.models import Unit, UnitMapping
from hotich.geo.vocabulary import Era, Level
from hotich.registry.services import book_open
p = Unit.objects.create(era=Era.CURRENT, level=Level.PROVINCE, code="40", name="Tỉnh Nghệ An",
    short_name="Nghệ An", unit_type="Tỉnh", path="n/40/", search_key="tinh nghe an")
c = Unit.objects.create(era=Era.CURRENT, level=Level.COMMUNE, code="1", name="Xã A",
    short_name="A", unit_type="Xã", parent=p, path="n/40/1/", search_key="xa a")
o = Unit.objects.create(era=Era.LEGACY, level=Level.COMMUNE, code="9", name="Xã Cũ",
    short_name="Cũ", unit_type="Xã", path="o/9/", search_key="xa cu")
UnitMapping.objects.create(old_unit=o, new_unit=c, is_primary=True)
print(book_open(actor=None, unit=o, event_type="birth", year=1980, is_historic=True).pk)
"""
COUNT = """
import django
django.setup()
from hotich.digitization.models import PageImage, ScanBatch
rows = list(PageImage.objects.order_by("number").values_list("number", "sha256", "original_name"))
print(len(rows), len({r[1] for r in rows}), [r[0] for r in rows] == list(range(1, len(rows) + 1)))
print(*ScanBatch.objects.values_list("status", "files_done", "pages_added").get())
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        HOTICH_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="hotich.config.settings",
        HOTICH_OCR="0",
        DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}",
    )
    return env


def test_sigkill_in_the_middle_then_resume(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    scans = tmp_path / "scans"
    scans.mkdir()
    total = 30
    for n in range(1, total + 1):
        (scans / f"p{n:02d}.png").write_bytes(page_bytes(n * 7919, size=(900, 1270)))
    env = _env(data)
    python = sys.executable
    book_id = (
        subprocess.run(
            [python, "-c", SETUP], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    command = [python, "-m", "hotich", "scan", "import", str(scans), "--book", book_id, "--now"]
    proc = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=ROOT
    )
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 120
    while b" 8/30" not in seen and time.monotonic() < deadline:
        chunk = os.read(proc.stderr.fileno(), 256)
        if not chunk:
            break
        seen += chunk
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, seen[-300:]
    first = subprocess.run(
        [python, "-c", COUNT], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert 0 < int(first[0]) < total  # interrupted in the middle
    assert first[3] == "running"
    again = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0, again.stderr[-500:]
    assert f"{total - int(first[0])} trang mới" in again.stdout
    count, distinct, contiguous, status, files_done, pages_added = subprocess.run(
        [python, "-c", COUNT], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert (int(count), int(distinct), contiguous) == (total, total, "True")
    assert (status, int(files_done), int(pages_added)) == ("done", total, total)
    fixity = subprocess.run(
        [python, "-m", "hotich", "archive", "fixity"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert fixity.returncode == 0, fixity.stdout[-500:] + fixity.stderr[-500:]
    assert f"OK: {total} files checked" in fixity.stdout
