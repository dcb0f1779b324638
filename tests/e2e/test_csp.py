"""The browser enforces the site's Content-Security-Policy, and the tests see any violation."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_script_and_style_are_refused_and_reported(
    live_server: Any, page: Any, csp_violations: list[str]
) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    ran = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.setAttribute("style", "background: red");
          return window.injected === true;
        }"""
    )
    assert ran is False
    page.evaluate("0")
    assert any("script-src" in v for v in csp_violations), csp_violations
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()


def test_language_choice_submits_without_inline_script(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.select_option("#lang-select", "en")
    page.wait_for_load_state()
    page.get_by_label("Username").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.fixture
def file_store(tmp_path: Any, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def test_pages_drawn_from_data_keep_their_layout_without_inline_style(
    live_server: Any, browser: Any, units: Any, make_user: Any, file_store: None
) -> None:
    """The charts (SVG) and the entry boxes on a page image (placed by the page's script) need
    no style attribute; the guard in conftest fails the test on any violation."""
    from hotich.accounts.vocabulary import Role
    from hotich.digitization import services
    from hotich.digitization.demo import demo_page_image
    from hotich.registry.tests.factories import historic_book
    from tests.e2e.conftest import login_verified

    clerk = make_user(Role.CLERK, units["a"])
    book = historic_book(unit=units["a"], year=1985)
    image = demo_page_image([["Nguyễn Văn An"]], seed=5, size=(900, 500), skew=0)
    scan = services.page_import(actor=clerk, book=book, name="p1.png", data=image).pages[0]
    services.entries_split(actor=clerk, page=scan, first_number=1, count=2)
    base = live_server.url

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    login_verified(page, base, clerk)
    page.goto(f"{base}/so-hoa/")
    assert page.locator("svg.dz-day").count() == 30
    page.goto(f"{base}/so-hoa/trang/{scan.pk}/")
    second = page.locator(".dz-box[data-region]").nth(1)
    area = page.locator("#dz-draw").bounding_box()
    box = second.bounding_box()
    assert area and box and abs(box["y"] - (area["y"] + area["height"] / 2)) < 3
    context.close()

    officer = make_user(Role.OFFICER, units["a"])
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    login_verified(page, base, officer)
    page.goto(f"{base}/mot-cua/chi-so/")
    page.goto(f"{base}/don-vi/")
    page.locator("#unit-q").fill("Vinh")
    page.wait_for_url("**q=Vinh**")  # htmx searched as one types
    context.close()
