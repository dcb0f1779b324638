"""The officer's registration form and the citizen's form at 1366×768 and 390×844: sections in
columns on the wide screen, one column and no sideways scrolling on the phone, and the error
summary taking the focus and leading to each field."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.portal.models import Notification
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("HOTICH_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _overflows(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))


def _columns(page: Any, section: str) -> int:
    """How many fields of the fieldset whose legend is ``section`` share its first row."""
    return int(
        page.evaluate(
            """(title) => {
              const set = [...document.querySelectorAll("fieldset")].find(
                (f) => f.querySelector("legend").textContent.trim() === title);
              const tops = [...set.querySelectorAll(".field")].map(
                (f) => Math.round(f.getBoundingClientRect().top));
              return tops.filter((t) => t === tops[0]).length;
            }""",
            section,
        )
    )


def test_birth_form_in_columns_then_one_column(
    live_server: Any, browser: Any, units: Any, make_user: Any
) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    context = browser.new_context(locale="vi-VN", viewport=WIDE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login_verified(page, live_server.url, officer)
    page.goto(f"{live_server.url}/ho-tich/dang-ky/birth/")
    assert page.input_value('[name="registration_date"]') == dt.date.today().strftime("%d/%m/%Y")
    assert page.input_value('[name="officer_name"]') == "Phạm Thị Hương"
    assert page.locator('[name="father.sex"]').count() == 0
    assert _columns(page, "Người được khai sinh") >= 3
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, height
    _shot(page, "birth-form-1366")

    page.get_by_role("button", name="Đăng ký", exact=True).click()
    summary = page.locator("[data-error-summary]")
    assert "lỗi cần sửa" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "child.full_name"
    _shot(page, "birth-form-errors-1366")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/ho-tich/dang-ky/birth/")
    assert _columns(page, "Người được khai sinh") == 1
    assert not _overflows(page)
    _shot(page, "birth-form-390")
    context.close()


def test_citizen_form_on_a_phone(live_server: Any, browser: Any, units: Any) -> None:
    from hotich.portal.services import catalogue_load_builtin

    catalogue_load_builtin()
    base = live_server.url
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    citizen = context.new_page()
    citizen.set_default_timeout(30_000)
    citizen.goto(f"{base}/dich-vu-cong/dang-nhap/?next=/dich-vu-cong/nop/1.001193/")
    citizen.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 678")
    citizen.get_by_role("button", name="Gửi mã xác thực").click()
    body = Notification.objects.filter(recipient="0912345678").latest("pk").body
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    citizen.get_by_label("Mã xác thực (6 chữ số) đã gửi tới bạn").fill(code)
    citizen.get_by_role("button", name="Xác nhận").click()
    citizen.wait_for_url("**/dich-vu-cong/nop/1.001193/")
    legends = citizen.locator("legend").all_inner_texts()
    assert legends[0] == "Điền sẵn từ Cơ sở dữ liệu quốc gia về dân cư"
    assert not _overflows(citizen)
    _shot(citizen, "citizen-form-390")
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    summary = citizen.locator("[data-error-summary]")
    text = summary.inner_text()
    assert "Chưa chọn cơ quan giải quyết." in text and "Thiếu thành phần hồ sơ" in text
    assert len(summary.get_by_role("link").all()) >= 3
    assert not _overflows(citizen)
    _shot(citizen, "citizen-form-errors-390")
    context.close()


def test_search_has_an_address_without_the_name(
    live_server: Any, browser: Any, units: Any, make_user: Any
) -> None:
    from hotich.registry.tests.factories import BirthFactory, person_input

    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    BirthFactory(
        unit=units["a"],
        parties={"child": person_input(full_name="Võ Thị Thủy", sex="F")},
    )
    context = browser.new_context(locale="vi-VN", viewport=WIDE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login_verified(page, live_server.url, officer)
    page.goto(f"{live_server.url}/ho-tich/tra-cuu/")
    page.get_by_label("Họ tên hoặc số định danh").fill("vo thi thuy")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url("**/ho-tich/tra-cuu/?s=*")
    assert "thuy" not in page.url.lower()
    assert page.get_by_role("link", name="Võ Thị Thủy").count() == 1
    text = page.inner_text("#results")
    assert re.search(r"\b20\d\d / \d+\b", text), text  # book year / entry number
    _shot(page, "search-1366")
    page.get_by_role("link", name="Võ Thị Thủy").click()
    page.wait_for_url("**/ho-tich/ban-ghi/*/")
    page.go_back()
    page.wait_for_url("**/ho-tich/tra-cuu/?s=*")
    assert page.get_by_role("link", name="Võ Thị Thủy").count() == 1
    page.goto(f"{live_server.url}/ho-tich/")
    assert "Võ Thị Thủy" in page.inner_text("main")
    _shot(page, "registry-home-1366")
    context.close()
