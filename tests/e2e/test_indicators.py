"""A commune officer types a form's values with the keyboard, sees a broken rule next to the
cells, fixes it and submits; the province returns it with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.reporting.models import DataValue
from hotich.reporting.tests import indicator_fixture
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_entry_broken_rule_fixed_and_submitted(
    live_server: Any, page: Any, units, make_user
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
