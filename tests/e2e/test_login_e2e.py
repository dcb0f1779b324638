"""A demo officer logs in with a password and a TOTP code and sees the back-office home; the
login and home pages have no serious accessibility violation (axe-core)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP

from hotich.accounts.vocabulary import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


def serious_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def test_officer_logs_in_with_totp_and_sees_home(
    live_server: Any, page: Any, units, make_user
) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")

    page.goto(f"{live_server.url}/dang-nhap/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert serious_violations(page) == []

    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill("Mật-khẩu-thử-2026")
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url("**/xac-thuc/**")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    import base64

    code = TOTP(base64.b32decode(secret)).token()
    page.get_by_label("Mã xác thực 6 chữ số").fill(f"{code:06d}")
    page.get_by_role("button", name="Xác nhận").click()

    page.wait_for_url(f"{live_server.url}/")
    assert "Xin chào, Phạm Thị Hương" in page.inner_text("h1")
    assert page.get_by_role("link", name="Đăng ký hộ tịch").is_visible()
    assert serious_violations(page) == []
