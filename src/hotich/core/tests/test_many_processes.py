"""Stateless web processes: two ``hotich serve --no-worker`` processes on two ports and one
``hotich db_worker`` on one database share sessions, rate-limit counters (the database cache)
and the task queue, as several machines behind a load balancer would."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from hotich.core.tests.test_serve import PYTHON, free_port

PASSWORD = "Mật-khẩu-thử-2026"


def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # a loaded machine starts a process slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server on port {port} stopped"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"the server on port {port} did not start")


REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis() -> redis.Redis | None:
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return None
    return client


@pytest.fixture(scope="module", params=["database", "redis"])
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, list[int]]]:
    """Two web processes and a worker; the cache (sessions' neighbour: rate-limit counters) in
    the database, or in Redis at 127.0.0.1:6379 with HOTICH_REDIS_URL."""
    if request.param == "redis" and _redis() is None:
        pytest.skip("needs Redis at 127.0.0.1:6379")
    data = tmp_path_factory.mktemp("cluster")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        HOTICH_DATA_DIR=str(data),
        HOTICH_OCR="0",
        HOTICH_REQUIRE_OTP="false",
        HOTICH_RATE_VERIFY="3/m",
    )
    if request.param == "redis":
        env["HOTICH_REDIS_URL"] = REDIS_URL
    subprocess.run([*PYTHON, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run(
        [*PYTHON, "shell", "-c",
         "from hotich.accounts.models import User; from hotich.geo.models import Unit; "
         f"User.objects.create_user('an', password={PASSWORD!r}, role='auditor', "
         "unit=Unit.objects.order_by('pk').first())"],
        env=env, check=True, timeout=120,
    )  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    ports = [free_port(), free_port()]
    try:
        for port in ports:
            web = subprocess.Popen(
                [*PYTHON, "serve", "--no-worker", "--workers", "1", "--port", str(port)], env=env
            )
            processes.append(web)
            _wait_ready(port, web)
        processes.append(subprocess.Popen([*PYTHON, "db_worker"], env=env))
        yield data, ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_session_started_on_one_process_continues_on_the_other(
    cluster: tuple[Path, list[int]],
) -> None:
    _, (first, second) = cluster
    with httpx.Client(timeout=20) as browser:  # cookies are per host, not per port
        page = browser.get(f"http://127.0.0.1:{first}/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        logged_in = browser.post(
            f"http://127.0.0.1:{first}/dang-nhap/",
            data={"csrfmiddlewaretoken": token[1], "username": "an", "password": PASSWORD},
            headers={"Referer": f"http://127.0.0.1:{first}/dang-nhap/"},
        )
        assert logged_in.status_code == 302, logged_in.text[:500]
        assert "sessionid" in browser.cookies
        account = browser.get(f"http://127.0.0.1:{second}/tai-khoan/")
        assert account.status_code == 200
        assert "an" in account.text
    with httpx.Client(timeout=20) as stranger:
        assert stranger.get(f"http://127.0.0.1:{second}/tai-khoan/").status_code == 302


def test_a_rate_limit_counts_requests_to_every_process(
    cluster: tuple[Path, list[int]], request: pytest.FixtureRequest
) -> None:
    _, (first, second) = cluster
    answers = [
        httpx.get(f"http://127.0.0.1:{port}/verify/KHONGCO{n}", timeout=20).status_code
        for n, port in enumerate([first, second, first, second])
    ]
    assert 429 not in answers[:3]
    assert answers[3] == 429
    if "redis" in request.node.callspec.id:
        client = _redis()
        assert client is not None
        assert client.keys("*rl:*"), "the counters are not in Redis"


def test_the_separate_worker_runs_a_queued_task(cluster: tuple[Path, list[int]]) -> None:
    data, _ = cluster
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(HOTICH_DATA_DIR=str(data), HOTICH_OCR="0")
    queued = subprocess.run(
        [*PYTHON, "shell", "-c",
         "from hotich.archive.tasks import archive_fixity_check; "
         "print(archive_fixity_check.enqueue(reschedule=False).id)"],
        env=env, check=True, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    task_id = queued.stdout.strip().splitlines()[-1].replace("-", "")
    deadline = time.monotonic() + 60
    with sqlite3.connect(data / "hotich.sqlite3", timeout=10) as db:
        while True:
            row = db.execute(
                "SELECT status, return_value FROM django_tasks_database_dbtaskresult"
                " WHERE replace(id, '-', '') = ?",
                [task_id],
            ).fetchone()
            if row and row[0] == "SUCCESSFUL":
                break
            assert time.monotonic() < deadline, f"the worker did not run the task: {row}"
            time.sleep(0.5)
    assert json.loads(row[1]) == "ok"
