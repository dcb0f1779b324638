"""A provincial officer opens the statistics dashboard and drills from the province to one
commune; a commune officer asking for the province gets a clear refusal."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.reporting.tests import fixture
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_drills_from_province_to_commune(
    live_server: Any, page: Any, units, make_user
) -> None:
    fixture.build(units)
    officer = make_user(Role.PROVINCE, units["province"], full_name="Hồ Thị Thu")
    login_verified(page, live_server.url, officer)

    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_label("Năm", exact=True).fill("2025")
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("Y")
    page.get_by_role("button", name="Xem báo cáo").click()
    page.wait_for_url("**/bao-cao/?*year=2025*")
    assert "Tỉnh Nghệ An · Năm 2025" in page.inner_text("h2")
    table = page.get_by_test_id("report-table")
    total = table.get_by_role("row", name="Tổng cộng")
    assert total.get_by_role("cell").nth(0).inner_text() == "5"  # births in the province
    # the chart is drawn by the vendored Chart.js on a canvas (under the CSP, no inline code)
    page.wait_for_function("() => window.Chart && Chart.getChart('report-chart')")
    labels = page.evaluate("() => Chart.getChart('report-chart').data.labels")
    assert labels[0] == "Thành Vinh"
    assert page.locator(".table-sticky thead").evaluate("e => getComputedStyle(e).position") == (
        "sticky"
    )

    table.get_by_role("link", name="Phường Thành Vinh").click()
    page.wait_for_url("**unit=16681*")
    assert "Phường Thành Vinh · Năm 2025" in page.inner_text("h2")
    rows = page.get_by_test_id("report-table").locator("tbody tr")
    assert rows.count() == 1
    cells = rows.first.get_by_role("cell")
    assert [cells.nth(i).inner_text() for i in range(3)] == ["3", "1", "2"]

    page.get_by_role("link", name="↑ Về cấp tỉnh").click()
    page.wait_for_url("**unit=40*")
    assert "Tỉnh Nghệ An · Năm 2025" in page.inner_text("h2")

    # the unit picker: typing part of a name without diacritics keeps the matching communes and
    # chooses the first; Enter shows its report
    search = page.get_by_label("Tìm đơn vị (gõ tên, có hoặc không dấu)")
    search.fill("que phong")
    assert page.get_by_role("status").filter(has_text="1 đơn vị khớp").count() == 1
    assert page.get_by_label("Đơn vị", exact=True).input_value() == "16738"
    search.press("Enter")
    page.wait_for_url("**unit=16738*")
    assert "Xã Quế Phong · Năm 2025" in page.inner_text("h2")


def test_commune_officer_cannot_open_the_province(live_server: Any, page: Any, units, make_user):
    officer = make_user(Role.OFFICER, units["a"])
    login_verified(page, live_server.url, officer)
    page.goto(f"{live_server.url}/bao-cao/?year=2025&period=Y&unit=40")
    assert "nằm ngoài phạm vi của bạn" in page.get_by_test_id("report-error").inner_text()
    page.goto(f"{live_server.url}/bao-cao/?year=2999&period=Y")
    assert "chưa kết thúc" in page.get_by_test_id("report-error").inner_text()
