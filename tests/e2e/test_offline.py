"""Offline keying (issue 19): a clerk takes a batch onto the device while online, cuts the
network, keys entries, closes the browser, opens it again offline (the app comes from the
service worker, the keyings from IndexedDB), restores the network and sees them all arrive once;
another clerk's differing keying goes to arbitration; an entry decided meanwhile is shown with
both versions; a reviewer decides that arbitration offline on the same device. A persistent
browser profile in a temporary folder keeps IndexedDB and the service worker between the two
runs of the browser."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError

from hotich.accounts.vocabulary import Role
from tests.e2e.conftest import (
    ARGS,
    CHROMIUM,
    CONTEXTS,
    REPORT_VIOLATIONS,
    SIZES,
    _on_console,
    login_verified,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APP = "/so-hoa/ngoai-tuyen/"
NAME = "child.full_name"


@pytest.fixture
def file_store(tmp_path: Any, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture
def profile(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Opens the browser on a profile kept in a temporary folder (each call: a new run of it)."""
    opened: list[Any] = []

    def launch() -> Any:
        width, height = SIZES["laptop"]
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            locale="vi-VN",
            viewport={"width": width, "height": height},
        )
        context.add_init_script(REPORT_VIOLATIONS)
        # A service worker's own requests escape Playwright's offline emulation, so a Background
        # Sync would send the queue while the test has cut the line: the pages here have none;
        # the sync is fired through DevTools when the line is back (the last test).
        context.add_init_script("delete ServiceWorkerRegistration.prototype.sync")
        context.on("console", _on_console)
        CONTEXTS.append(context)
        opened.append(context)
        context.set_default_timeout(15_000)
        return context

    yield launch
    for context in opened:
        context.close()


def _badge(page: Any, n: int) -> None:
    page.wait_for_selector(f"#ot-queue[data-count='{n}']")


def _shot(page: Any, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("HOTICH_SCREENSHOTS", str(tmp_path)))
    folder.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(folder / f"offline-{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": SIZES["laptop"][0], "height": SIZES["laptop"][1]})


def test_a_batch_keyed_offline_arrives_once_after_the_browser_restarts(
    live_server: Any, profile: Any, units: Any, make_user: Any, file_store: None, tmp_path: Path
) -> None:
    from hotich.digitization import services
    from hotich.digitization.models import Entry, Keying
    from hotich.digitization.tests.conftest import page_bytes
    from hotich.offline.models import Receipt
    from hotich.registry.tests.factories import historic_book

    book = historic_book(unit=units["a"], year=1986)
    clerk = make_user(Role.CLERK, units["a"], full_name="Lương Thị Hoa")
    clerk2 = make_user(Role.CLERK, units["a"])
    reviewer = make_user(Role.REVIEWER, units["a"])
    entries: list[Any] = []
    for n in range(3):
        page_obj = services.page_import(
            actor=clerk2, book=book, name=f"p{n}.png", data=page_bytes(n, size=(600, 840))
        ).pages[0]
        entries += services.entries_split(
            actor=clerk2, page=page_obj, first_number=n * 4 + 1, count=4
        )
    entries = entries[:11]
    for extra in Entry.objects.filter(book=book, entry_number=12):
        extra.delete()
    base = live_server.url

    # Online: sign in, open the app (its service worker installs), take the batch.
    context = profile()
    page = context.new_page()
    login_verified(page, base, clerk, landing=None)
    page.goto(f"{base}{APP}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.get_by_role("button", name="Mang về máy").click()
    page.wait_for_selector("text=Đã mang về máy 11 mục.")
    assert page.locator("#ot-entries tbody tr").count() == 11

    # Meanwhile on the server: a second clerk keys entry 1 differently; entry 11 is keyed twice
    # (decided) by others.
    services.keying_submit(actor=clerk2, entry=entries[0], values={NAME: {"v": "Vi Văn Xó"}})
    for other in (clerk2, reviewer):
        services.keying_submit(actor=other, entry=entries[10], values={NAME: {"v": "Lò Văn Pọm"}})

    # Offline: key the 11 entries; each is kept on the device.
    context.set_offline(True)
    page.wait_for_selector("#ot-line.ot-offline")
    page.locator("#ot-entries tr[data-state=new] button").first.click()
    for i in range(11):
        page.wait_for_selector("#ot-key:not([hidden])")
        page.wait_for_function("() => document.getElementById('ot-image').naturalWidth > 0")
        page.locator(f"#ot-form [name='{NAME}']").fill(f"Hà Văn Đông {i + 1}")
        if i == 0:
            assert page.get_attribute("#ot-image", "src").startswith("blob:")  # type: ignore[union-attr]
            _shot(page, "keying", tmp_path)
        page.get_by_role("button", name="Lưu vào máy và nhập mục tiếp").click()
        _badge(page, i + 1)
    assert "11 mục chờ gửi" in page.inner_text("#ot-queue")
    _shot(page, "queue", tmp_path)
    assert not Keying.objects.filter(clerk=clerk).exists()
    stored = page.evaluate(
        """() => new Promise((resolve) => {
          const req = indexedDB.open("hotich-offline");
          req.onsuccess = () => req.result.transaction("queue").objectStore("queue").getAll()
            .onsuccess = (e) => resolve(e.target.result.map((r) => r.data.byteLength));
        })"""
    )
    assert len(stored) == 11
    # encrypted: no name readable in what IndexedDB holds
    assert "Hà Văn" not in page.evaluate(
        """() => new Promise((resolve) => {
          const req = indexedDB.open("hotich-offline");
          req.onsuccess = () => req.result.transaction("queue").objectStore("queue").getAll()
            .onsuccess = (e) => resolve(e.target.result.map(
              (r) => new TextDecoder().decode(r.data)).join(""));
        })"""
    )
    context.close()

    # The browser opens again, still offline: the app comes from the service worker.
    context = profile()
    context.set_offline(True)
    page = context.new_page()
    page.goto(f"{base}{APP}")
    _badge(page, 11)
    assert page.evaluate("!!navigator.serviceWorker.controller")  # opened by the service worker
    assert not Keying.objects.filter(clerk=clerk).exists()

    # The line returns: the queue is sent in the background, each keying once.
    context.set_offline(False)
    _badge(page, 0)
    page.wait_for_selector("#ot-conflicts:not([hidden]) .ot-conflict")
    conflict = page.inner_text("#ot-conflicts")
    assert "Bản của bạn" in conflict and "Bản trên máy chủ" in conflict
    assert "Hà Văn Đông 11" in conflict and "Lò Văn Pọm" in conflict
    _shot(page, "conflict", tmp_path)

    mine = Keying.objects.filter(clerk=clerk)
    assert mine.count() == 10
    assert sorted(mine.values_list("entry_id", flat=True)) == sorted(e.pk for e in entries[:10])
    assert Receipt.objects.filter(device__user=clerk).count() == 11
    assert Entry.objects.get(pk=entries[0].pk).status == "arbitration"
    assert (
        Entry.objects.filter(pk__in=[e.pk for e in entries[1:10]], status="keyed_once").count() == 9
    )
    assert Keying.objects.filter(entry=entries[10]).count() == 2

    # The person has seen the conflict; sign-out wipes what is left on the device.
    page.get_by_role("button", name="Đã xem, bỏ bản của tôi").click()
    page.wait_for_selector("#ot-conflicts[hidden]", state="attached")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/**")
    names = page.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))")
    assert "hotich-offline" not in names
    assert page.evaluate("caches.keys()") == []

    # The reviewer takes entry 1 (in arbitration) onto the same device, decides it offline and
    # the decision reaches the arbitration service when the line returns.
    login_verified(page, base, reviewer, landing=None)
    page.goto(f"{base}{APP}")
    page.get_by_role("button", name="Mang mục chờ phân xử về máy").click()
    page.wait_for_selector("text=Đã mang về máy 1 mục.")
    context.set_offline(True)
    page.get_by_role("button", name="Phân xử", exact=True).click()
    page.wait_for_function("() => document.getElementById('ot-arb-image').naturalWidth > 0")
    page.get_by_label(re.compile(r"Lần nhập \d: Vi Văn Xó")).check()
    _shot(page, "arbitration", tmp_path)
    page.get_by_role("button", name="Lưu quyết định vào máy và phân xử mục tiếp").click()
    _badge(page, 1)
    assert Entry.objects.get(pk=entries[0].pk).status == "arbitration"
    context.set_offline(False)
    _badge(page, 0)
    decided = Entry.objects.get(pk=entries[0].pk)
    assert decided.status == "verified"
    assert decided.values[NAME]["v"] == "Vi Văn Xó"


def _registration(page: Any, session: Any, scope: str) -> str:
    """The id of the service worker registration of ``scope`` (DevTools ``ServiceWorker``)."""
    found: dict[str, str] = {}
    seen: list[str] = []

    def updated(event: dict[str, Any]) -> None:
        for reg in event["registrations"]:
            seen.append(reg["scopeURL"])
            if reg["scopeURL"] == scope and not reg.get("isDeleted"):
                found["id"] = reg["registrationId"]

    session.on("ServiceWorker.workerRegistrationUpdated", updated)
    session.send("ServiceWorker.enable")
    for _ in range(50):
        if "id" in found:
            break
        page.wait_for_timeout(100)
    assert "id" in found, seen
    return found["id"]


def test_the_service_worker_sends_the_queue_with_the_page_closed(
    live_server: Any, profile: Any, units: Any, make_user: Any, file_store: None
) -> None:
    """Keyings queued offline reach the server through the service worker's Background Sync
    after the app's page is closed and the line is back; fired twice at once, each keying still
    arrives once (the receipts)."""
    from hotich.digitization import services
    from hotich.digitization.models import Entry, Keying
    from hotich.digitization.tests.conftest import page_bytes
    from hotich.offline.models import Receipt
    from hotich.registry.tests.factories import historic_book

    book = historic_book(unit=units["a"], year=1987)
    clerk = make_user(Role.CLERK, units["a"])
    other = make_user(Role.CLERK, units["a"])
    page_obj = services.page_import(
        actor=other, book=book, name="p1.png", data=page_bytes(1, size=(600, 840))
    ).pages[0]
    entries = services.entries_split(actor=other, page=page_obj, first_number=1, count=3)
    base = live_server.url

    # The browser here keeps Background Sync from firing by itself (the fixture): its own
    # network state knows nothing of the cut line. DevTools fires it below instead.
    context = profile()
    page = context.new_page()
    login_verified(page, base, clerk, landing=None)
    page.goto(f"{base}{APP}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.get_by_role("button", name="Mang về máy").click()
    page.wait_for_selector("text=Đã mang về máy 3 mục.")
    context.set_offline(True)
    page.wait_for_selector("#ot-line.ot-offline")
    page.locator("#ot-entries tr[data-state=new] button").first.click()
    for i in range(3):
        page.wait_for_selector("#ot-key:not([hidden])")
        page.locator(f"#ot-form [name='{NAME}']").fill(f"Sầm Văn Pâng {i + 1}")
        page.get_by_role("button", name="Lưu vào máy và nhập mục tiếp").click()
        _badge(page, i + 1)
    page.close()  # the app's page is closed with three keyings waiting
    assert not Keying.objects.filter(clerk=clerk).exists()

    # The line returns; with no page of the app open, the browser fires the sync (twice at once).
    context.set_offline(False)
    blank = context.new_page()
    session = context.new_cdp_session(blank)
    registration = _registration(blank, session, f"{base}{APP}")

    def sync() -> None:
        session.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": base,
                "registrationId": registration,
                "tag": "hotich-offline-send",
                "lastChance": False,
            },
        )

    def arrived() -> int:
        # the test server's in-memory SQLite refuses a read while a request writes ("table is
        # locked", no waiting in its shared cache); such a look counts as nothing yet
        try:
            return Keying.objects.filter(clerk=clerk).count()
        except OperationalError:
            return -1

    sync()
    sync()
    # a sync whose sending failed (here: the test database's lock) is fired again later by the
    # browser; up to three more times here
    for retry in range(4):
        if retry:
            sync()
        for _ in range(50):
            if arrived() == 3:
                break
            blank.wait_for_timeout(100)
        if arrived() == 3:
            break
    blank.wait_for_timeout(1000)  # a second send, had there been one
    mine = Keying.objects.filter(clerk=clerk)
    assert sorted(mine.values_list("entry_id", flat=True)) == sorted(e.pk for e in entries)
    assert sorted(k.values[NAME]["v"] for k in mine) == [f"Sầm Văn Pâng {i}" for i in (1, 2, 3)]
    assert Receipt.objects.filter(device__user=clerk).count() == 3
    assert Entry.objects.filter(book=book, status="keyed_once").count() == 3

    # The app, opened again, has nothing left to send.
    page = context.new_page()
    page.goto(f"{base}{APP}")
    _badge(page, 0)
    assert Keying.objects.filter(clerk=clerk).count() == 3


def test_the_desk_intake_shows_every_invalid_field_at_once(
    live_server: Any, new_page: Any, units: Any, make_user: Any
) -> None:
    """Offline, a paper dossier saved with several required fields empty and its required paper
    missing: every one is listed at once (a summary that takes the focus, each line a link to
    its field, the message under each field); filled in, the dossier is kept on the device."""
    from hotich.portal.services import catalogue_load_builtin

    catalogue_load_builtin()
    officer = make_user(Role.OFFICER, units["a"])
    base = live_server.url
    page = new_page("laptop")
    login_verified(page, base, officer, landing=None)
    page.goto(f"{base}{APP}")
    page.get_by_role("button", name="Mang biểu mẫu về máy").click()
    page.wait_for_selector("#ot-forms-info:not(:empty), #ot-message.success")
    page.locator("#ot-procedure").select_option("1.001193")
    page.context.set_offline(True)
    form = page.locator("#ot-intake-form")
    required = form.locator("[required]")
    assert required.count() >= 3
    page.get_by_role("button", name="Lưu hồ sơ vào máy").click()
    summary = page.locator("#ot-intake-errors")
    summary.wait_for()
    invalid = form.locator("[aria-invalid=true]")
    papers = page.evaluate(
        """() => (document.querySelectorAll('#ot-intake-form input[type=file]') || []).length"""
    )
    assert invalid.count() >= required.count(), (invalid.count(), required.count(), papers)
    links = summary.locator("li a")
    assert links.count() == invalid.count()
    assert f"{invalid.count()} trường cần sửa" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "ot-intake-errors"
    assert form.locator(".ot-field-error").count() == invalid.count()
    first = invalid.first.get_attribute("id")
    links.first.click()
    assert page.evaluate("document.activeElement.id") == first
    if os.environ.get("HOTICH_SCREENSHOTS"):
        _shot(page, "intake-errors", Path(os.environ["HOTICH_SCREENSHOTS"]))
