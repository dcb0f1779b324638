"""Locust scenario: agencies' staff at work in the e-office: the day's page, a search, the
register, a document of the register.

The users' sessions are made by the document search benchmark on the same database (each line
of the file one verified ``sessionid``)::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hotich_docsearch_bench
    .venv/bin/python bench/documents_search_bench.py --reuse --database $DATABASE_URL \
        --sessions /tmp/sessions.txt
    .venv/bin/hotich serve --port 8765 &
    LOCUST_SESSIONS=/tmp/sessions.txt .venv/bin/locust -f bench/locustfile_documents.py \
        --host http://127.0.0.1:8765 --headless -u 100 -r 10 -t 5m --only-summary

Sessions last as long as ``HOTICH_SESSION_IDLE_SECONDS`` allows between two requests (30
minutes by default): make them again before a later run.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading

from locust import HttpUser, between, task

WORDS = [
    "ho tich", "khai sinh", "ket hon", "chung thuc ban sao", "giai phong mat bang",
    "nong thon moi", "thien tai", "tiem chung", "ngan sach", "chuyen doi so",
    "cai cach hanh chinh", "tiep cong dan", "an toan thuc pham", "thi dua khen thuong",
    "tuyen dung cong chuc", "ho ngheo", "giao thong nong thon", "chu ky so", "dich vu cong",
    "quoc phong", "moi truong", "dat dai", "van hoa", "vu xuan",
]  # fmt: skip
_lock = threading.Lock()
_sessions: list[str] = []
_next = itertools.count()
DOCUMENT = re.compile(r'href="/van-ban/(\d+)/"')


def _session() -> str:
    with _lock:
        if not _sessions:
            path = os.environ.get("LOCUST_SESSIONS", "/tmp/sessions.txt")
            with open(path, encoding="utf-8") as f:
                _sessions.extend(line.strip() for line in f if line.strip())
        return _sessions[next(_next) % len(_sessions)]


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", _session())
        self.documents: list[str] = []

    def _get(self, url: str, name: str, **params: str) -> str:
        with self.client.get(url, params=params, name=name, catch_response=True) as r:
            if r.status_code != 200 or "/dang-nhap" in r.url:
                r.failure(f"HTTP {r.status_code} {r.url}")
                return ""
            return str(r.text)

    @task(4)
    def today(self) -> None:
        self._get("/hom-nay/", "today")

    @task(4)
    def search(self) -> None:
        words = random.choice(WORDS)
        if random.random() < 0.5:
            words = words.split()[0]
        self._get("/van-ban/tim-kiem/", "search", q=words)

    @task(2)
    def register(self) -> None:
        page = self._get("/van-ban/", "register", so=random.choice(["den", "di"]))
        self.documents = DOCUMENT.findall(page)[:20]

    @task(2)
    def document(self) -> None:
        if self.documents:
            self._get(f"/van-ban/{random.choice(self.documents)}/", "document")
