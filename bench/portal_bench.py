"""Portal benchmark: public dossier status lookups (req/s, p50/p95/p99) and online submissions
(p50/p95) against gunicorn on PostgreSQL.

Usage (from the project root)::

    .venv/bin/python bench/portal_bench.py \
        --database postgres://postgres@127.0.0.1:5432/portal_bench --dossiers 50000

The database is dropped and re-created (its name must contain ``bench``), migrated, loaded with
Nghệ An's units and ``--dossiers`` demo dossiers (``hotich.portal.demo.demo_portal``). The app
runs under gunicorn (``--workers`` processes × ``--threads`` threads, ``hotich.config.settings``
with DEBUG off). The load generator is asyncio + httpx in this process, with ``--concurrency``
connections for ``--seconds``; 90% of lookups name an existing dossier, 10% a well-formed code that
does not exist (both are answered). Submissions: ``--submissions`` birth registrations with one
PNG each, filed through the citizen form by logged-in citizens (one-time code read from the
outbox), ``--submit-concurrency`` at a time. Prints a markdown section (and ``--json``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import platform
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def recreate_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit("the database name must contain 'bench' (it is dropped)")
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def load_data(count: int, seed: int) -> list[str]:
    from django.core.management import call_command

    from hotich.geo.models import Unit
    from hotich.geo.services import units_load
    from hotich.portal.demo import demo_portal
    from hotich.portal.models import Dossier

    call_command("migrate", verbosity=0)
    units_load(provinces=["40"])
    communes = list(Unit.objects.filter(era="n", level="commune", path__startswith="n/40/"))
    rng = random.Random(seed)
    done = 0
    while done < count:
        batch = min(5000, count - done)
        demo_portal(units=communes, rng=rng, count=batch)
        done += batch
    return list(Dossier.objects.values_list("code", flat=True))


def start_server(env: dict[str, str], port: int, workers: int, threads: int) -> Any:
    cmd = [
        str(BIN / "gunicorn"),
        "hotich.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT, start_new_session=True)
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


class RawClient:
    """A minimal HTTP/1.1 client on asyncio streams: the load generator must cost far less CPU
    than the server it measures (httpx costs about as much per request as the app itself)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:  # the server closed an idle keep-alive connection: retry once
            await self._connect()
            return await self.post(path, body)
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _sep, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                close = True
        if length:
            await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status


async def lookups(base: str, codes: list[str], seconds: float, concurrency: int) -> dict:
    parsed = urlparse(base)
    rng = random.Random(7)
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    stop = time.perf_counter() + seconds

    def body() -> bytes:
        if rng.random() < 0.9:
            code = rng.choice(codes)
        else:
            raw = base64.b32encode(secrets.token_bytes(10)).decode()
            code = "HS-" + "-".join(raw[i : i + 4] for i in range(0, 16, 4))
        return json.dumps({"code": code}).encode()

    async def worker(client: RawClient, until: float, record: bool) -> None:
        nonlocal errors
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                status = await client.post("/api/v1/portal/status", body())
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                errors += record
                client.writer = None
                continue
            if not record:
                continue
            statuses[status] = statuses.get(status, 0) + 1
            if status not in (200, 404):
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    clients = [RawClient(host, port) for _ in range(concurrency)]
    warm = time.perf_counter() + 2  # warm up every worker and its database connection
    await asyncio.gather(*(worker(c, warm, False) for c in clients))
    began = time.perf_counter()
    stop = began + seconds
    await asyncio.gather(*(worker(c, stop, True) for c in clients))
    elapsed = time.perf_counter() - began
    for c in clients:
        if c.writer is not None:
            c.writer.close()
    return {
        "requests": len(latencies),
        "errors": errors,
        "statuses": statuses,
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
    }


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 560), (235, 235, 235)).save(buffer, format="PNG")
    return buffer.getvalue()


def login(base: str, contact: str) -> Any:
    import httpx

    from hotich.portal.models import Notification

    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/dich-vu-cong/dang-nhap/")
    token = client.cookies.get("csrftoken") or re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
    ).group(1)
    client.post("/dich-vu-cong/dang-nhap/", data={"contact": contact, "csrfmiddlewaretoken": token})
    body = Notification.objects.filter(recipient=contact, dossier=None).latest("pk").body
    code = re.search(r"\b(\d{6})\b", body).group(1)
    r = client.post(
        "/dich-vu-cong/dang-nhap/",
        data={"contact": contact, "code": code, "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302, r.status_code
    return client


def submissions(base: str, count: int, concurrency: int) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    from hotich.geo.models import Unit

    unit_ids = list(
        Unit.objects.filter(era="n", level="commune", path__startswith="n/40/").values_list(
            "pk", flat=True
        )
    )
    image = png()
    clients = [login(base, f"09{80000000 + i:08d}") for i in range(concurrency)]
    form = {
        "applicant.full_name": "Nguyễn Văn Bình",
        "applicant.personal_id": "040090001234",
        "applicant.phone": "0912345678",
        "applicant.relation": "Cha",
        "child.full_name": "Nguyễn Thị Hằng",
        "child.sex": "F",
        "child.birth_date": "2026-01-10",
        "child.birth_place": "Bệnh viện Sản Nhi Nghệ An",
        "child.ethnicity": "Kinh",
        "child.nationality": "Việt Nam",
        "mother.full_name": "Lê Thị Mai",
        "copies": "1",
    }
    latencies: list[float] = []
    errors = 0

    def run(index: int) -> None:
        nonlocal errors
        client = clients[index % concurrency]
        token = client.cookies.get("csrftoken")
        data = {**form, "unit": str(unit_ids[index % len(unit_ids)]), "csrfmiddlewaretoken": token}
        started = time.perf_counter()
        r = client.post(
            "/dich-vu-cong/nop/1.001193/",
            data=data,
            files={"file_chung_sinh": ("chung-sinh.png", image, "image/png")},
        )
        elapsed = (time.perf_counter() - started) * 1000
        if r.status_code != 302:
            errors += 1
        latencies.append(elapsed)

    for i in range(concurrency):  # warm up
        run(i)
    latencies.clear()
    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(run, range(count)))
    elapsed = time.perf_counter() - began
    return {
        "submissions": count,
        "errors": errors,
        "per_second": count / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--dossiers", type=int, default=50000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--submit-concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="hotich-portal-bench-")
    env = {
        "DATABASE_URL": args.database,
        "DJANGO_SETTINGS_MODULE": "hotich.config.settings",
        "HOTICH_DATA_DIR": data_dir,
        "HOTICH_LOG_LEVEL": "WARNING",
        "HOTICH_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    load_started = time.perf_counter()
    if not args.reuse:
        recreate_database(args.database)
    setup_django(env)
    if args.reuse:
        from hotich.portal.models import Dossier

        codes = list(Dossier.objects.values_list("code", flat=True))
    else:
        codes = load_data(args.dossiers, args.seed)
    load_seconds = time.perf_counter() - load_started
    from django.db import connections

    connections.close_all()
    server = start_server(env, args.port, args.workers, args.threads)
    base = f"http://127.0.0.1:{args.port}"
    try:
        lookup = asyncio.run(lookups(base, codes, args.seconds, args.concurrency))
        submit = submissions(base, args.submissions, args.submit_concurrency)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    result = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "database": "PostgreSQL",
        "dossiers": len(codes),
        "load_seconds": round(load_seconds, 1),
        "server": f"gunicorn {args.workers} workers × {args.threads} threads",
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "lookup": lookup,
        "submit": submit,
    }
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    lk, sb = lookup, submit
    lines = [
        "",
        f"## Portal — PostgreSQL, {len(codes):,} dossiers",
        "",
        f"`.venv/bin/python bench/portal_bench.py --dossiers {len(codes)} "
        f"--seconds {args.seconds:g} --concurrency {args.concurrency} --workers {args.workers} "
        f"--threads {args.threads} --submissions {args.submissions} "
        f"--submit-concurrency {args.submit_concurrency}`",
        f"({result['machine']}; server, load generator and PostgreSQL on the same machine; "
        f"{result['server']}; data load {load_seconds:.0f} s).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| public status lookup (`POST /api/v1/portal/status`, 90% known codes) | "
        f"**{lk['rps']:.0f} req/s**, {lk['requests']:,} requests, {lk['errors']} errors |",
        f"| lookup latency p50 / p95 / p99 | {lk['p50']:.1f} / {lk['p95']:.1f} / "
        f"**{lk['p99']:.1f} ms** |",
        f"| online submission (birth registration form + 1 PNG), {sb['submissions']} at "
        f"{args.submit_concurrency} concurrent | p50 {sb['p50']:.0f} ms, "
        f"**p95 {sb['p95']:.0f} ms**, p99 {sb['p99']:.0f} ms, {sb['errors']} errors |",
        "",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
