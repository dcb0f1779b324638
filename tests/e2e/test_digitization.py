"""Two clerks key the same entry of an old book with one field different; the arbitrator
resolves it looking at the crop; QA passes the book; it is published; the record is found in
register search and its page image is served."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def new_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def _key(page: Any, father: str) -> None:
    page.fill('[name="registration_date"]', "17/11/1985")
    page.keyboard.press("Tab")
    page.keyboard.type("Lê Xuân Anh")
    page.select_option('[name="child.sex"]', "M")
    page.fill('[name="child.birth_date"]', "16/11/1985")
    page.fill('[name="father.full_name"]', father)
    page.focus('[name="mother.full_name"]')
    page.keyboard.press("Alt+Shift+KeyK")  # illegible, keyboard only
    page.keyboard.press("Control+Enter")


def test_double_keying_arbitration_qa_publish(
    live_server: Any, new_page: Any, units: Any, make_user: Any, file_store: None
) -> None:
    from hotich.digitization import services
    from hotich.digitization.demo import demo_entry_lines, demo_page_image
    from hotich.digitization.models import Entry
    from hotich.registry.tests.factories import historic_book

    book = historic_book(unit=units["a"], year=1985)
    clerk1 = make_user(Role.CLERK, units["a"])
    clerk2 = make_user(Role.CLERK, units["a"])
    reviewer = make_user(Role.REVIEWER, units["a"])
    lines, _values = demo_entry_lines(random.Random(3), 1, 1985)
    image = demo_page_image([lines], seed=3, size=(900, 500), skew=1.5)
    page_obj = services.page_import(actor=clerk1, book=book, name="p1.png", data=image).pages[0]
    services.entries_split(actor=clerk1, page=page_obj, first_number=1, count=1)
    services.book_settings_update(
        actor=reviewer, book=book, qa_share=1.0, closing_pages=1, closing_entries=1
    )
    base = live_server.url

    # Two clerks key blind; the father's name differs.
    for clerk, father in ((clerk1, "Lê Văn Huy"), (clerk2, "Lê Văn Hủy")):
        page = new_page()
        login_verified(page, base, clerk)
        page.goto(f"{base}/so-hoa/so/{book.pk}/nhap/")
        page.wait_for_selector("#dz-viewer[data-loaded]")
        assert "Lê Văn Huy" not in page.inner_text("form#dz-key-form")
        _key(page, father)
        page.wait_for_url(f"**/so-hoa/so/{book.pk}/")
    entry = Entry.objects.get(book=book)
    assert entry.status == "arbitration"

    # The arbitrator decides looking at the crop.
    page = new_page()
    login_verified(page, base, reviewer)
    page.goto(f"{base}/so-hoa/phan-xu/")
    page.get_by_role("link", name="Mục 1").click()
    page.wait_for_function("() => document.getElementById('dz-crop').naturalWidth > 100")
    assert "Lê Văn Huy" in page.inner_text("main") and "Lê Văn Hủy" in page.inner_text("main")
    page.get_by_label("Bản nhập 1").check()
    page.get_by_role("button", name="Quyết định").click()
    page.wait_for_url("**/so-hoa/phan-xu/")

    # QA passes the book, which is then published.
    page.goto(f"{base}/so-hoa/so/{book.pk}/kiem-tra/")
    page.get_by_role("link", name="Mục 1").click()
    page.get_by_role("button", name="Đạt", exact=True).click()
    page.wait_for_selector("[data-testid=qa-passed]")
    page.goto(f"{base}/so-hoa/so/{book.pk}/")
    page.get_by_role("button", name="Đưa vào sổ điện tử").click()
    page.wait_for_selector("text=Đã đưa 1 mục vào sổ điện tử.")

    # Found in register search, with its page image.
    page.goto(f"{base}/ho-tich/tra-cuu/?q=le+xuan+anh")
    page.get_by_role("link", name="Lê Xuân Anh").first.click()
    page.wait_for_url("**/ho-tich/ban-ghi/*/")
    assert "1985" in page.inner_text("main")
    entry.refresh_from_db()
    assert entry.record_id is not None and entry.values["father.full_name"]["v"] == "Lê Văn Huy"
    response = page.request.get(f"{base}/so-hoa/trang/{entry.page_id}/anh/")
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
