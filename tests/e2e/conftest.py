"""Playwright driving Debian's Chromium (no browser download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there
# are safe because each test has its own database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login_verified(
    page: Any, base_url: str, user: Any, password: str = "Mật-khẩu-thử-2026"
) -> None:
    """Log in through the pages, setting up TOTP on the way."""
    import base64

    from django_otp.oath import TOTP

    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/xac-thuc/**")
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Mã xác thực 6 chữ số").fill(f"{TOTP(base64.b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base_url}/")
