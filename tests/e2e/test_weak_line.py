"""Weak-line budgets (issue 19), measured with the network throttled through the DevTools
protocol to 256 kbit/s down, 64 kbit/s up and 400 ms latency (``bench/weak_line_bench.py``): the
keying page of a new entry usable (form there, the entry's tiles all arrived) in < 5 s and
< 150 KB, each citizen page < 100 KB and < 3 s, the desk's dossier page < 3 s. Static files are
collected and served compressed by WhiteNoise, as in production. The keying page's budget is
checked on the next entry a clerk opens (the viewer's script cached); its first load with nothing
cached is measured and reported, not held to the budget (docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from bench.weak_line_bench import BUDGETS, Measure, measure, throttle
from django.core.management import call_command

from hotich.accounts.vocabulary import Role
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYING_READY = "() => !!document.querySelector('#dz-viewer[data-loaded]')"


@pytest.fixture
def production_server(tmp_path: Any, settings: Any) -> Iterator[str]:
    """The site served as in production: static files collected, compressed and served by
    WhiteNoise (not by the test server's own static handler)."""
    from django.db import connections
    from django.test.testcases import LiveServerThread

    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
        "default": {
            "BACKEND": "hotich.core.storage.LocalStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            shared[conn.alias] = conn
            conn.inc_thread_sharing()
    thread = LiveServerThread(
        "localhost", static_handler=lambda handler: handler, connections_override=shared
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


def _book(units: Any, clerk: Any) -> list[Any]:
    from hotich.digitization import services
    from hotich.digitization.demo import demo_entry_lines, demo_page_image
    from hotich.digitization.models import Entry
    from hotich.registry.tests.factories import historic_book

    book = historic_book(unit=units["a"], year=1985)
    rng = random.Random(7)
    entries = []
    for n in range(3):
        lines = [demo_entry_lines(rng, n * 4 + i + 1, 1985)[0] for i in range(4)]
        # an A4 page scanned at 150 dpi: the web image is 1240 × 1754
        image = demo_page_image(lines, seed=n, size=(1240, 1754), skew=0.8)
        page = services.page_import(actor=clerk, book=book, name=f"p{n + 1}.png", data=image).pages[
            0
        ]
        services.entries_split(actor=clerk, page=page, first_number=n * 4 + 1, count=4)
        entries.append(Entry.objects.get(page=page, entry_number=n * 4 + 2))
    return entries


def _citizen_login(page: Any, base: str) -> None:
    import re

    from hotich.portal.models import Notification

    page.goto(f"{base}/dich-vu-cong/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    body = Notification.objects.filter(recipient="0912345678").latest("pk").body
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    page.get_by_label("Mã xác thực (6 chữ số) đã gửi tới bạn").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/dich-vu-cong/**")


def test_pages_hold_their_budgets_on_a_weak_line(
    production_server: str, new_page: Any, units: Any, make_user: Any
) -> None:
    import io

    from PIL import Image

    from hotich.portal.models import Citizen
    from hotich.portal.services import Upload, catalogue_load_builtin, dossier_submit
    from hotich.portal.tests.factories import birth_form, procedure

    base = production_server
    catalogue_load_builtin()
    clerk = make_user(Role.CLERK, units["a"])
    officer = make_user(Role.OFFICER, units["a"])
    entries = _book(units, clerk)
    scan = io.BytesIO()
    Image.new("RGB", (60, 80), (240, 240, 240)).save(scan, format="PNG")
    png = scan.getvalue()
    citizen = Citizen.objects.create(contact="0912345678", contact_kind="phone")
    dossier = dossier_submit(
        citizen=citizen,
        procedure=procedure(),
        unit=units["a"],
        form_data=birth_form(),
        uploads=[Upload("chung_sinh", "chung-sinh.png", png)],
    )
    measures: list[Measure] = []

    # the keying page of a new entry: cold (nothing cached), then the next entry of another
    # page, warm, as a clerk keys one entry after another
    page = new_page("laptop")
    login_verified(page, base, clerk)
    line = throttle(page, cache=False)
    keying = f"{base}/so-hoa/muc/{{}}/nhap/"
    measures.append(
        measure(
            page,
            line,
            keying.format(entries[0].pk),
            name="Nhập mục (keying)",
            kind="keying",
            ready=KEYING_READY,
        )
    )
    line.cache(True)
    page.goto(keying.format(entries[1].pk))
    page.wait_for_function(KEYING_READY, timeout=60_000)
    measures.append(
        measure(
            page,
            line,
            keying.format(entries[2].pk),
            name="Nhập mục (keying)",
            kind="keying",
            ready=KEYING_READY,
        )
    )

    # the citizen's pages, on a phone, cold
    phone = new_page("phone")
    _citizen_login(phone, base)
    line = throttle(phone, cache=False)
    for name, path in (
        ("Cổng dịch vụ công", "/dich-vu-cong/"),
        ("Thủ tục", "/dich-vu-cong/thu-tuc/1.001193/"),
        ("Tra cứu hồ sơ", "/dich-vu-cong/tra-cuu/"),
        ("Nộp hồ sơ (biểu mẫu)", "/dich-vu-cong/nop/1.001193/"),
        ("Hồ sơ của tôi", "/dich-vu-cong/ho-so/"),
        ("Một hồ sơ của tôi", f"/dich-vu-cong/ho-so/{dossier.pk}/"),
    ):
        measures.append(measure(phone, line, base + path, name=name, kind="citizen"))

    # the desk's dossier page, cold
    desk = new_page("laptop")
    login_verified(desk, base, officer, landing=None)
    line = throttle(desk, cache=False)
    measures.append(
        measure(
            desk, line, f"{base}/mot-cua/ho-so/{dossier.pk}/", name="Hồ sơ (một cửa)", kind="desk"
        )
    )

    out = os.environ.get("HOTICH_WEAK_LINE_FIGURES")
    if out:
        Path(out).write_text(json.dumps([asdict(m) for m in measures], ensure_ascii=False))
    missed = []
    # The keying page is held to its budget as a clerk meets it all day: the next entry, with
    # the viewer's script cached. Its first load of the day (cold) is measured and reported in
    # docs/benchmarks.md; OpenSeadragon alone is 73 KB compressed.
    for m in (m for m in measures if not (m.kind == "keying" and m.cache == "cold")):
        limit_bytes, limit_seconds = BUDGETS[m.kind]
        if m.seconds >= limit_seconds or (limit_bytes and m.bytes >= limit_bytes):
            missed.append(m)
    assert not missed, "\n".join(str(m) for m in missed)
