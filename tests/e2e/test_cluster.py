"""The browser across several processes, as a province runs behind a load balancer: two
``hotich serve --no-worker`` web processes and a separate ``hotich db_worker`` on one database
(PostgreSQL when it listens at 127.0.0.1:5432, else one SQLite file), with the population
database's stand-in beside them and a round-robin balancer in front that opens a new backend
connection for every request (``HOTICH_KEEP_ALIVE_SECONDS=0``).

A commune officer signs in, registers a birth, waits for the child's personal ID (asked by the
separate worker), finds the record by the name typed without diacritics and issues a copy of the
extract; each step lands on whichever process the balancer picks, and both serve pages."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from hotich.core.tests.test_serve import PYTHON, free_port

pytestmark = pytest.mark.browser

PASSWORD = "Mật-khẩu-thử-2026"
PG = ("127.0.0.1", 5432)


class RoundRobin:
    """A TCP balancer on a free port: each connection goes to the next backend in turn."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.served: Counter[int] = Counter()
        self._next = itertools.cycle(ports)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            port = next(self._next)
            try:
                backend = socket.create_connection(("127.0.0.1", port), timeout=30)
            except OSError:
                client.close()
                continue
            self.served[port] += 1
            for source, target in ((client, backend), (backend, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._closed = True
        self._listener.close()


@dataclass
class Cluster:
    url: str
    balancer: RoundRobin
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def hotich(self, *args: str) -> str:
        done = subprocess.run(
            [*PYTHON, *args], env=self.env, check=True, timeout=300, capture_output=True, text=True
        )
        return done.stdout


def _pg_up() -> bool:
    try:
        socket.create_connection(PG, timeout=1).close()
    except OSError:
        return False
    return True


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # a loaded machine starts a process slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args} stopped"
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(url, timeout=2)
            return
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    data = tmp_path_factory.mktemp("cluster")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    database = f"hotich_e2e_cluster_{uuid.uuid4().hex[:8]}" if _pg_up() else ""
    if database:
        subprocess.run(
            ["createdb", "-h", PG[0], "-p", str(PG[1]), "-U", "postgres", database], check=True
        )
        env["DATABASE_URL"] = f"postgres://postgres@{PG[0]}:{PG[1]}/{database}"
    popdb, web = free_port(), [free_port(), free_port()]
    env.update(
        HOTICH_DATA_DIR=str(data),
        HOTICH_OCR="0",
        HOTICH_REQUIRE_OTP="false",
        HOTICH_POPDB_ENABLED="true",
        HOTICH_POPDB_URL=f"http://127.0.0.1:{popdb}",
        HOTICH_KEEP_ALIVE_SECONDS="0",
    )
    balancer = RoundRobin(web)
    cluster = Cluster(f"http://127.0.0.1:{balancer.port}", balancer, env)
    try:
        cluster.hotich("migrate", "-v0")
        cluster.hotich("units", "load", "--province", "40")
        cluster.hotich(
            "shell", "-c",
            "from hotich.accounts.models import User; from hotich.geo.models import Unit; "
            f"User.objects.create_user('hotich.cumxa', password={PASSWORD!r}, role='officer', "
            "full_name='Phạm Thị Hương', unit=Unit.objects.get(code='16681', era='n'))",
        )  # fmt: skip
        stand_in = subprocess.Popen([*PYTHON, "popdb", "serve", "--port", str(popdb)], env=env)
        cluster.processes.append(stand_in)
        _wait(f"http://127.0.0.1:{popdb}/", stand_in)
        for port in web:
            process = subprocess.Popen(
                [*PYTHON, "serve", "--no-worker", "--workers", "1", "--port", str(port)], env=env
            )
            cluster.processes.append(process)
            _wait(f"http://127.0.0.1:{port}/healthz", process)
        cluster.processes.append(subprocess.Popen([*PYTHON, "db_worker"], env=env))
        yield cluster
    finally:
        balancer.close()
        for process in cluster.processes:
            process.terminate()
        for process in cluster.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if database:
            subprocess.run(
                ["dropdb", "-h", PG[0], "-p", str(PG[1]), "-U", "postgres", "--force", database],
                check=False,
            )


def test_a_birth_registered_across_two_web_processes_and_a_separate_worker(
    cluster: Cluster, new_page: Any
) -> None:
    base = cluster.url
    page = new_page("laptop")
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("hotich.cumxa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    page.goto(f"{base}/ho-tich/dang-ky/khai-sinh/")
    page.fill('[name="child.full_name"]', "Lò Thị Mai Anh")
    page.select_option('[name="child.sex"]', "F")
    page.fill('[name="child.birth_date"]', time.strftime("%Y-%m-%d"))
    page.fill('[name="child.birth_place"]', "Trạm y tế phường Thành Vinh")
    page.fill('[name="mother.full_name"]', "Vi Thị Hoa")
    page.fill('[name="mother.birth_date"]', "1996")
    page.fill('[name="father.full_name"]', "Lò Văn Tùng")
    page.fill('[name="father.birth_date"]', "1994")
    page.fill('[name="registration_date"]', time.strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.wait_for_url("**/ho-tich/ban-ghi/*/")
    record_url = page.url

    # the personal ID is asked by the worker, a process of its own: until it arrives the page
    # says it is pending; then the number is on the record as a margin note
    deadline = time.monotonic() + 120
    while page.locator("[data-personal-id]").count() or not re.search(
        r"\b\d{12}\b", page.inner_text("main")
    ):
        assert time.monotonic() < deadline, "the separate worker never assigned the personal ID"
        time.sleep(1)
        page.reload()

    page.goto(f"{base}/ho-tich/tra-cuu/?q=lo+thi+mai+anh")
    page.get_by_role("link", name="Lò Thị Mai Anh").first.click()
    page.wait_for_url(record_url)
    with page.expect_download() as download:
        page.get_by_role("button", name="Cấp bản sao").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    assert set(cluster.balancer.served) == set(cluster.balancer.ports), cluster.balancer.served
    assert min(cluster.balancer.served.values()) >= 5, cluster.balancer.served
