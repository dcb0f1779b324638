"""Crash-resume drill: ``hotich scan import`` killed with SIGKILL again and again, then resumed.

    .venv/bin/python bench/crash_resume_drill.py [--pages 120] [--kills 6] [--seed 1] [--out DIR]
        [--storage atomic|plain]

Makes a throw-away data directory (SQLite, local file store), a historic book, and ``--pages``
noisy A4 page scans at 150 dpi (PNG, about 2 MB each: noise does not compress, so writing a
file takes long enough for a kill to land inside it). Starts ``hotich scan import DIR --book ID``
in a child process and kills it with SIGKILL at a random moment (a random number of files into
the run, then a random fraction of a file's time), ``--kills`` times, each time starting it
again, then lets the last run finish. ``--storage plain`` runs the same drill on Django's own
``FileSystemStorage`` (which writes straight into the final name) for comparison. After each
kill it counts the pages stored, the temporary files the killed write left under ``.partial/``
and the files under their final name that are not whole (torn: none with the atomic storage).
At the end it checks: every page stored once, numbered without gaps, one batch and it is
``done``, ``hotich archive fixity`` exits 0. Prints the figures as markdown; exits 1 when a
check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
import django
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

STATE = """
import django
django.setup()
from hotich.archive.models import StoredFile
from hotich.digitization.models import PageImage, ScanBatch
rows = list(PageImage.objects.order_by("number").values_list("number", "sha256"))
batches = list(ScanBatch.objects.values_list("status", flat=True))
print(len(rows), len({r[1] for r in rows}), [r[0] for r in rows] == list(range(1, len(rows) + 1)),
      StoredFile.objects.count(), ",".join(batches))
"""


def page(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    im = Image.frombytes("L", (1240, 1754), rng.randbytes(1240 * 1754))
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def run_python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.strip().splitlines()[-1]


def torn_files(files: Path) -> int:
    """Files under the masters folder whose content does not match the hash in their name."""
    torn = 0
    for path in (files / "digitization" / "masters").rglob("*"):
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() != path.stem:
            torn += 1
    return torn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="")
    parser.add_argument("--storage", choices=["atomic", "plain"], default="atomic")
    args = parser.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="crash-drill-"))
    data, scans = work / "data", work / "scans"
    data.mkdir(parents=True, exist_ok=True)
    scans.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.update(
        HOTICH_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="hotich.config.settings",
        HOTICH_OCR="0",
        PYTHONPATH=str(ROOT / "src"),
    )
    if args.storage == "plain":
        (work / "drill_settings.py").write_text(
            "from hotich.config.settings import *  # noqa: F403\n"
            'STORAGES["default"]["BACKEND"] = "django.core.files.storage.FileSystemStorage"\n',
            encoding="utf-8",
        )
        env.update(DJANGO_SETTINGS_MODULE="drill_settings", PYTHONPATH=f"{work}:{ROOT / 'src'}")
    book = run_python(SETUP, env)
    total_bytes = 0
    for n in range(1, args.pages + 1):
        content = page(args.seed * 100_000 + n)
        total_bytes += len(content)
        (scans / f"p{n:03d}.png").write_bytes(content)
    command = [sys.executable, "-m", "hotich", "scan", "import", str(scans), "--book", book]
    rng = random.Random(args.seed)
    print(
        f"{args.pages} pages, {total_bytes / args.pages / 1e6:.1f} MB each; "
        f"{platform.machine()}, {os.cpu_count()} cores; data in {work}",
        file=sys.stderr,
    )
    rows = []
    step = max(1, args.pages // (args.kills + 1))
    stored_so_far = 0
    for kill in range(1, args.kills + 1):
        proc = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert proc.stderr is not None
        # The progress bar says "[###...] k/N name": wait for a random k, then a bit more.
        target = f" {stored_so_far + rng.randint(1, step)}/{args.pages} ".encode()
        seen = b""
        while target not in seen[-200:]:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        pages, _distinct, _contiguous, stored, batches = run_python(STATE, env).split()
        stored_so_far = int(pages)
        partial = len(list((data / "files" / ".partial").glob("*")))
        rows.append((kill, int(pages), int(stored), partial, torn_files(data / "files"), batches))
    started = time.monotonic()
    final = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    pages, distinct, contiguous, stored, batches = run_python(STATE, env).split()
    fixity = subprocess.run(
        [sys.executable, "-m", "hotich", "archive", "fixity"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(
        "| kill | pages stored | files in the manifest | left in .partial/ | torn files | batches |"
    )
    print("|---|---|---|---|---|---|")
    for kill, p, s, part, torn, b in rows:
        print(f"| {kill} | {p} | {s} | {part} | {torn} | {b} |")
    print(
        f"\nResumed run: exit {final.returncode} in {seconds:.1f} s "
        f"({final.stdout.strip().splitlines()[-1] if final.stdout.strip() else ''}); "
        f"pages {pages} ({distinct} distinct, numbered without gaps: {contiguous}), "
        f"manifest rows {stored}, batches {batches}, torn files {torn_files(data / 'files')}; "
        f"`hotich archive fixity`: exit {fixity.returncode}, {fixity.stdout.strip()}"
    )
    ok = (
        final.returncode == 0
        and int(pages) == int(distinct) == args.pages
        and contiguous == "True"
        and batches == "done"
        and fixity.returncode == 0
        and torn_files(data / "files") == 0
        and all(row[4] == 0 for row in rows)
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
