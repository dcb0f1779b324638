"""Playwright driving Debian's Chromium (no browser download)."""

from __future__ import annotations

import contextlib
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


# Every page runs under the site's Content-Security-Policy; a test fails on any violation: each
# page reports its securitypolicyviolation events to the console, where the context collects them.
VIOLATIONS: list[str] = []
CONTEXTS: list[Any] = []
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || "inline"}`
    + ` (${e.sourceFile || e.documentURI}:${e.lineNumber})`);
});
"""


def _on_console(message: Any) -> None:
    if message.text.startswith("CSP violation: "):
        VIOLATIONS.append(message.text)


class GuardedBrowser:
    """The browser, whose every new context reports CSP violations to the running test."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", _on_console)
        CONTEXTS.append(context)
        return context


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield GuardedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def csp_violations() -> Iterator[list[str]]:
    VIOLATIONS.clear()
    CONTEXTS.clear()
    yield VIOLATIONS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    from playwright.sync_api import Error

    result = yield
    for context in CONTEXTS:
        for open_page in context.pages:
            with contextlib.suppress(Error):  # a page closing meanwhile has nothing to add
                open_page.evaluate("0")  # lets the events still in flight arrive
    if VIOLATIONS:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(VIOLATIONS), pytrace=False)
    return result


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


#: the screens pages are looked at on: a laptop and a phone
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """Makes pages, each in a context of its own (one user each), at a size of ``SIZES``."""
    contexts: list[Any] = []

    def make(size: str = "laptop") -> Any:
        width, height = SIZES[size]
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()


def login_verified(
    page: Any,
    base_url: str,
    user: Any,
    password: str = "Mật-khẩu-thử-2026",
    landing: str | None = "/",
) -> None:
    """Log in through the pages, setting up TOTP on the way; ``landing`` is the home the user
    arrives at (``/hom-nay/`` for those who act in an agency; None: whichever home it is)."""
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
    if landing is None:
        page.wait_for_url(lambda url: "/xac-thuc/" not in url and "/dang-nhap/" not in url)
    else:
        page.wait_for_url(f"{base_url}{landing}")
