"""Reliability drills whose figures docs/reliability.md quotes (the crash-resume drill of
``hotich scan import`` is ``bench/crash_resume_drill.py``).

    .venv/bin/python bench/reliability_drills.py audit [--appends 2000]
    .venv/bin/python bench/reliability_drills.py restore [--pages 120]
    .venv/bin/python bench/reliability_drills.py serve [--runs 3]
    .venv/bin/python bench/reliability_drills.py link [--historic 20000] [--citizens 60000]

Each runs in throw-away data directories (SQLite, local file store), drives ``hotich`` as child
processes and prints its figures. ``--src DIR`` runs the same drill against another checkout's
``src`` (for a before/after comparison).

- ``audit``: times appends to the audit log, then inserts a forged row right after the chain
  head with SQL and tries three more audited writes, then reads ``/readyz``.
- ``restore``: starts ``hotich scan import`` on noisy A4 pages, runs ``hotich backup create``
  once a fifth of them are in (so the import goes on while the backup copies the files),
  restores the backup into a fresh instance and runs ``hotich archive fixity``.
- ``serve``: starts ``hotich serve``, waits for ``/healthz``, sends SIGTERM, and measures the
  time to exit, the processes left and whether the port is still held.
- ``link``: ``hotich link`` on synthetic data (old unit names in the birth places) in a data
  directory never migrated, and in a migrated one without units loaded; precision, recall, F1.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

AUDIT = """
import json, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
from django.test import Client
from hotich.audit.models import Entry
from hotich.audit.services import audit_record
n = int(sys.argv[1])
for i in range(200):
    audit_record(actor=None, action="read", object_type="registry.record", object_id=i)
started = time.perf_counter()
for i in range(n):
    audit_record(actor=None, action="read", object_type="registry.record", object_id=i)
per_append = (time.perf_counter() - started) / n * 1000
last = Entry.objects.order_by("-seq").first()
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO audit_entry (seq, at, username, role, unit_path, action, object_type,"
        " object_id, before_hash, after_hash, request_id, legal_basis, detail, prev_hash,"
        " entry_hash) VALUES (%s, %s, '', '', '', 'read', '', '', '', '', '', '', '{}', %s, %s)",
        [last.seq + 1, last.at, last.entry_hash, "f" * 64],
    )
ok, error = 0, ""
for i in range(3):
    try:
        audit_record(actor=None, action="read", object_type="registry.record", object_id=i)
        ok += 1
    except Exception as exc:
        error = type(exc).__name__
ready = Client().get("/readyz", HTTP_HOST="127.0.0.1")
print(json.dumps({"per_append_ms": per_append, "writes_after_forgery": ok, "error": error,
                  "readyz_status": ready.status_code, "readyz": ready.json()}))
"""

STORED = """
import django
django.setup()
from hotich.archive.models import StoredFile
from hotich.digitization.models import PageImage
print(PageImage.objects.count(), StoredFile.objects.count())
"""


def child_env(data: Path, src: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.update(
        HOTICH_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="hotich.config.settings",
        HOTICH_OCR="0",
        PYTHONPATH=str(src),
    )
    return env


def hotich(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotich", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def python(env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout.strip().splitlines()[-1]


def drill_audit(args: argparse.Namespace, work: Path) -> None:
    result = json.loads(python(child_env(work / "data", args.src), AUDIT, str(args.appends)))
    print(
        f"{args.appends} audited writes: {result['per_append_ms']:.2f} ms each. After a row "
        f"forged right after the chain head: {result['writes_after_forgery']}/3 writes succeeded"
        + (f" ({result['error']})" if result["error"] else "")
        + f"; /readyz {result['readyz_status']} {json.dumps(result['readyz'])}"
    )


def drill_restore(args: argparse.Namespace, work: Path) -> None:
    from crash_resume_drill import SETUP, page

    source, target, bag, scans = work / "a", work / "b", work / "backup", work / "scans"
    scans.mkdir()
    for n in range(1, args.pages + 1):
        (scans / f"p{n:03d}.png").write_bytes(page(n))
    env_a, env_b = child_env(source, args.src), child_env(target, args.src)
    book = python(env_a, SETUP)
    importing = subprocess.Popen(
        [sys.executable, "-m", "hotich", "scan", "import", str(scans), "--book", book],
        env=env_a,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Back up once a fifth of the pages are in (read straight from the SQLite file).
    database = source / "hotich.sqlite3"
    while importing.poll() is None:
        try:
            with sqlite3.connect(database, timeout=5) as db:
                count = db.execute("SELECT COUNT(*) FROM digitization_pageimage").fetchone()[0]
        except sqlite3.Error:
            count = 0
        if count >= args.pages // 5:
            break
        time.sleep(0.2)
    pages_before = python(env_a, STORED)
    made = hotich(env_a, "backup", "create", str(bag))
    pages_after = python(env_a, STORED)
    importing.wait()
    restored = hotich(env_b, "backup", "restore", str(bag))
    fixity = hotich(env_b, "archive", "fixity")
    files = sum(1 for p in (bag / "files").rglob("*") if p.is_file())
    quarantined = sum(1 for p in (target / "files" / "quarantine").rglob("*") if p.is_file())
    unexpected = sum(1 for line in fixity.stdout.splitlines() if line.startswith("unexpected"))
    print(
        f"{args.pages} pages imported; (pages, manifest rows) when the backup started "
        f"{pages_before}, when it ended {pages_after}; backup exit {made.returncode}, "
        f"{files} files in it; restore exit {restored.returncode}, {quarantined} files moved to "
        f"quarantine/; `hotich archive fixity` exit {fixity.returncode} "
        f"({fixity.stdout.strip().splitlines()[0] if fixity.stdout.strip() else ''}; "
        f"{unexpected} unexpected)"
    )


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def drill_serve(args: argparse.Namespace, work: Path) -> None:
    env = child_env(work / "data", args.src)
    hotich(env, "migrate", "-v0")
    for run in range(1, args.runs + 1):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        proc = subprocess.Popen(
            [sys.executable, "-m", "hotich", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        time.sleep(3)  # every gunicorn worker booted
        tree = descendants(proc.pid)
        started = time.monotonic()
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait()
        seconds = time.monotonic() - started
        time.sleep(1)
        left = [pid for pid in tree if alive(pid)]
        with socket.socket() as sock:
            held = sock.connect_ex(("127.0.0.1", port)) == 0
        print(
            f"run {run}: {len(tree)} child processes; SIGTERM -> exit {code} after "
            f"{seconds:.2f} s; {len(left)} processes left; port still answering: {held}"
        )
        for pid in left:
            os.kill(pid, signal.SIGKILL)


def read_pairs(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(row["left_id"], row["right_id"]) for row in csv.DictReader(fh)}


def drill_link(args: argparse.Namespace, work: Path) -> None:
    sys.path.insert(0, str(args.src))
    os.environ.update(child_env(work / "generator", args.src))
    import django

    django.setup()
    from hotich.linkage.synthetic import generate, write_csv, write_truth

    data = generate(historic=args.historic, citizens=args.citizens, seed=1)
    left, right = work / "historic.csv", work / "register.csv"
    write_csv(data.historic, left)
    write_csv(data.register, right)
    write_truth(data.truth, work / "truth.csv")
    truth = read_pairs(work / "truth.csv")
    migrated = child_env(work / "migrated", args.src)
    hotich(migrated, "migrate", "-v0")
    runs = (
        ("never migrated", "fresh", child_env(work / "fresh", args.src)),
        ("migrated, no units loaded", "migrated", migrated),
    )
    for name, key, env in runs:
        out = work / f"{key}.csv"
        started = time.monotonic()
        done = hotich(env, "link", str(left), str(right), "--out", str(out))
        seconds = time.monotonic() - started
        found = read_pairs(out)
        tp = len(found & truth)
        precision, recall = tp / len(found), tp / len(truth)
        f1 = 2 * precision * recall / (precision + recall)
        warned = sum(1 for line in done.stderr.splitlines() if " WARNING " in line)
        print(
            f"{name}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}, "
            f"{seconds:.0f} s, {warned} warning lines"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("drill", choices=["audit", "restore", "serve", "link"])
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--historic", type=int, default=20_000)
    parser.add_argument("--citizens", type=int, default=60_000)
    args = parser.parse_args()
    args.src = args.src.resolve()
    work = Path(tempfile.mkdtemp(prefix=f"drill-{args.drill}-"))
    print(
        f"{args.drill} drill, code from {args.src}, data in {work}; load average "
        f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())}",
        file=sys.stderr,
    )
    {"audit": drill_audit, "restore": drill_restore, "serve": drill_serve, "link": drill_link}[
        args.drill
    ](args, work)


if __name__ == "__main__":
    main()
