"""A commune officer drafts an official document to the province, the commune's signer approves,
signs (official then seal) and issues it, and a province user sees it arrive in the incoming
register with a valid signature."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_sign_issue_and_receive(live_server: Any, new_page: Any, units, make_user) -> None:
    base = live_server.url
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    signer = make_user(
        Role.SIGNER,
        units["a"],
        full_name="Nguyễn Văn Hùng",
        first_name="Nguyễn Văn",
        last_name="Hùng",
    )
    province = make_user(Role.PROVINCE, units["province"], full_name="Trần Thị Lan")

    page = new_page()
    login_verified(page, base, officer)
    page.goto(f"{base}/van-ban/soan-thao/")
    page.get_by_label("Loại văn bản").select_option("BC")
    page.get_by_label("Trích yếu").fill("Kết quả đăng ký hộ tịch quý IV năm 2026")
    page.locator("textarea[name=body]").fill(
        "Trong quý, Ủy ban nhân dân phường đã đăng ký 42 trường hợp khai sinh."
    )
    page.get_by_label("Gửi tới đơn vị").select_option(label="Tỉnh Nghệ An")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url("**/van-ban/*/")
    document_url = page.url
    page.get_by_role("button", name="Trình duyệt").click()
    page.wait_for_url(document_url)
    assert "Chờ duyệt" in page.get_by_test_id("status").inner_text()

    page = new_page()
    login_verified(page, base, signer)
    page.goto(document_url)
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.wait_for_url(document_url)
    page.get_by_role("button", name="Ký số").click()
    page.wait_for_url(document_url)
    assert "Đã ký" in page.get_by_test_id("status").inner_text()
    assert "Chữ ký hợp lệ" in page.get_by_test_id("signature").inner_text()
    page.get_by_role("button", name="Ban hành").click()
    page.wait_for_url(document_url)
    assert "Đã ban hành" in page.get_by_test_id("status").inner_text()
    assert "1/BC-UBND" in page.inner_text("main")

    page = new_page()
    login_verified(page, base, province)
    page.goto(f"{base}/van-ban/?so=den")
    row = page.get_by_role("row").filter(has_text="1/BC-UBND")
    assert "chữ ký hợp lệ" in row.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_url("**/van-ban/*/")
    assert "Đã tiếp nhận" in page.get_by_test_id("status").inner_text()
    signature = page.get_by_test_id("signature").inner_text()
    assert "Chữ ký hợp lệ" in signature and "Nguyễn Văn Hùng" in signature
    assert "Con dấu Phường Thành Vinh" in signature
