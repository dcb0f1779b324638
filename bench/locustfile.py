"""Locust scenario: citizens log in with a one-time code, file birth registrations with a scanned
birth notice, and check their dossiers' status by code.

Run against a server that uses the same database as this process (the one-time code is read
from the notification outbox, as the SMS/e-mail adapter would deliver it)::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python bench/portal_bench.py --dossiers 20000 --seconds 5 --submissions 10  # data
    .venv/bin/gunicorn hotich.config.wsgi -w 2 --threads 8 -k gthread --keep-alive 10 \
        -b 127.0.0.1:8765 &
    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8765 \
        --headless -u 200 -r 20 -t 5m --only-summary

``--keep-alive`` longer than the users' wait (1–3 s) avoids a race in which the server closes an
idle connection as the client reuses it. Each simulated citizen uses its own phone number
(09 + 8 digits from its index), so a run may
be repeated against the same database (at most 5 codes an hour per number: runs with the same
users are an hour apart, or use ``LOCUST_PHONE_BASE`` to pick other numbers).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import sys
import threading
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
_counter = itertools.count(int(os.environ.get("LOCUST_PHONE_BASE", "70000000")))
_lock = threading.Lock()
_db_lock = threading.Lock()
_django_ready = False


def _django() -> None:
    global _django_ready
    with _lock:
        if _django_ready:
            return
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotich.config.settings")
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        _django_ready = True


def _outbox_code(contact: str) -> str:
    from django.db import connection

    from hotich.portal.models import Notification

    # one short-lived connection at a time: under gevent every simulated user would otherwise
    # keep its own (and 200 users exhaust PostgreSQL's max_connections)
    with _db_lock:
        try:
            body = Notification.objects.filter(recipient=contact, dossier=None).latest("pk").body
        finally:
            connection.close()
    match = re.search(r"\b(\d{6})\b", body)
    if not match:
        raise RuntimeError("no code in the outbox")
    return match.group(1)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 560), (236, 236, 236)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = b""
UNITS: list[str] = []


@events.init.add_listener
def on_init(environment: Any, **_kwargs: Any) -> None:
    global PNG, UNITS
    _django()
    from hotich.geo.models import Unit

    PNG = _png()
    UNITS = [
        str(pk)
        for pk in Unit.objects.filter(
            era="n", level="commune", path__startswith="n/40/"
        ).values_list("pk", flat=True)[:130]
    ]
    from django.db import connection

    connection.close()


FORM = {
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


class Citizen(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        with _lock:
            self.contact = f"09{next(_counter):08d}"
        self.codes: list[str] = []
        self.client.get("/dich-vu-cong/dang-nhap/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/dich-vu-cong/dang-nhap/",
            data={"contact": self.contact, "csrfmiddlewaretoken": token},
            name="request code",
        )
        code = _outbox_code(self.contact)
        with self.client.post(
            "/dich-vu-cong/dang-nhap/",
            data={"contact": self.contact, "code": code, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="verify code",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login failed: {response.status_code}")

    @task(1)
    def file_birth_registration(self) -> None:
        self.client.get("/dich-vu-cong/nop/1.001193/", name="form")
        token = self.client.cookies.get("csrftoken", "")
        data = {**FORM, "unit": random.choice(UNITS), "csrfmiddlewaretoken": token}
        with self.client.post(
            "/dich-vu-cong/nop/1.001193/",
            data=data,
            files={"file_chung_sinh": ("chung-sinh.png", PNG, "image/png")},
            allow_redirects=False,
            name="submit",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"submit: {response.status_code}")
                return
            page = self.client.get(response.headers["Location"], name="my dossier")
            match = re.search(r'id="dossier-code">([A-Z0-9-]+)<', page.text)
            if match:
                self.codes.append(match.group(1))

    @task(5)
    def check_status(self) -> None:
        if not self.codes:
            return
        with self.client.post(
            "/api/v1/portal/status",
            data=json.dumps({"code": random.choice(self.codes)}),
            headers={"Content-Type": "application/json"},
            name="status",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status: {response.status_code}")

    @task(1)
    def my_dossiers(self) -> None:
        self.client.get("/dich-vu-cong/ho-so/", name="my dossiers")
