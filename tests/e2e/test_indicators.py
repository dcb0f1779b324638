"""A commune officer types a form's values with the keyboard, sees a broken rule next to the
cells, fixes it and submits; the province returns it once with a reason, the officer submits it
again, the province approves it and its leader sees it in the pivot and on the dashboard of key
indicators."""

from __future__ import annotations

import os
from typing import Any

import pytest

from hotich.reporting.models import DataValue, Indicator
from hotich.reporting.tests import indicator_fixture
from tests.e2e.conftest import login_verified

SHOTS = os.environ.get("HOTICH_SCREENSHOTS", "")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_entry_broken_rule_fixed_and_submitted(
    live_server: Any, page: Any, new_page: Any, units, make_user
) -> None:
    world = indicator_fixture.build(units, make_user)
    login_verified(page, live_server.url, world.officer, landing=None)
    page.goto(f"{live_server.url}/bao-cao/bieu/KTXH-01/000.00.31.H41/2025-Y/")

    total = page.get_by_label("DS_TONG", exact=False).first
    total.click()
    total.fill("1000")
    page.keyboard.press("ArrowDown")  # to DS_NU, saving DS_TONG on leaving it
    page.keyboard.type("1200")
    page.keyboard.press("Tab")
    alert = page.locator("#ds-violations")
    alert.get_by_text("Dân số nữ ≤ tổng").wait_for()
    assert page.locator("input.ds-broken").count() == 2

    female = page.get_by_label("DS_NU", exact=False).first
    female.fill("480")
    female.press("Enter")  # to the births row
    page.keyboard.type("abc")
    page.keyboard.press("Tab")
    page.get_by_text("Giá trị phải là một số.").wait_for()
    page.locator("#ds-violations p").first.wait_for(state="detached")
    assert DataValue.objects.get(indicator__code="DS_NU").value == 480

    page.get_by_role("button", name="Nộp").click()
    page.get_by_text("Biểu đã chuyển sang: Đã nộp.").wait_for()
    # every cell the officer sees is locked (the secret indicator is not shown to them)
    assert page.locator("input.ds-cell[readonly]").count() == 5

    # the province returns it once with a reason; the officer sees it and submits again
    grid = f"{live_server.url}/bao-cao/bieu/KTXH-01/000.00.31.H41/2025-Y/"
    officer = page
    page = new_page("laptop")
    login_verified(page, live_server.url, world.approver, landing=None)
    page.goto(grid)
    page.get_by_label("Lý do").fill("Kiểm tra lại số dân nữ")
    page.get_by_role("button", name="Trả lại").click()
    page.get_by_text("Biểu đã chuyển sang: Bị trả lại.").wait_for()
    officer.goto(grid)
    assert "Kiểm tra lại số dân nữ" in officer.content()
    officer.get_by_role("button", name="Nộp").click()
    officer.get_by_text("Biểu đã chuyển sang: Đã nộp.").wait_for()

    # then approves it; its leader sees the figures in the pivot and the dashboard
    Indicator.objects.filter(code="DS_TONG").update(is_key=True)
    page.goto(grid)
    page.get_by_role("button", name="Phê duyệt").click()
    page.get_by_text("Biểu đã chuyển sang: Đã phê duyệt.").wait_for()
    page.get_by_role("link", name="Phân tích số liệu").click()
    page.get_by_label("Nhóm chỉ tiêu (biểu)").select_option("KTXH-01")
    page.get_by_label("Từ năm").fill("2025")
    page.get_by_label("Đến năm").fill("2025")
    page.get_by_label("Dòng", exact=True).select_option("organization")
    page.get_by_label("Cột").select_option("indicator")
    page.get_by_role("button", name="Xem").click()
    row = page.locator("#pivot tbody tr", has_text="Ủy ban nhân dân phường Thành Vinh")
    assert [c.inner_text() for c in row.locator("td").all()] == ["1.000", "480"]
    _shots(page, "pivot")
    page.get_by_role("link", name="Chỉ tiêu chủ yếu").click()
    card = page.locator("#key-figures li", has_text="Dân số trung bình")
    assert "1.000" in card.inner_text() and "2025-Y" in card.inner_text()
    _shots(page, "leaders")


def _shots(page: Any, name: str) -> None:
    """Screenshots at 1366×768 and 390×844 into ``$HOTICH_SCREENSHOTS`` when it is set."""
    if not SHOTS:
        return
    for size, (width, height) in {"desktop": (1366, 768), "phone": (390, 844)}.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{size}.png"), full_page=True)
