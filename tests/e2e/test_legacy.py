"""A commune officer imports an old birth register typed in TCVN3: upload, check the mapping,
see a row error in the preview, fix the file, preview again, accept; the records are in the
register search with their diacritics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.legacy.tests.sheets import BIRTH_HEADERS, BIRTH_ROWS, csv_bytes
from hotich.registry.models import Record
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_a_tcvn3_register(
    live_server: Any, page: Any, units, make_user, tmp_path: Path
) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    login_verified(page, live_server.url, officer)

    broken = [list(r) for r in BIRTH_ROWS]
    broken[1][4] = "31/02/1985"
    bad_file = tmp_path / "so-khai-sinh-1985.csv"
    bad_file.write_bytes(csv_bytes(BIRTH_HEADERS, broken, "tcvn3"))
    page.goto(f"{live_server.url}/nhap-du-lieu-cu/")
    page.select_option('[name="event_type"]', "birth")
    page.set_input_files('[name="file"]', str(bad_file))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()
    page.wait_for_url("**/nhap-du-lieu-cu/*/")
    rows = page.inner_text("#rows")
    assert "Nguyễn Văn Đức" in rows and "Hồ Quỳnh Như" in rows  # decoded from TCVN3
    assert "TCVN3 (ABC)" in page.inner_text("main")
    assert page.input_value('select[name="col_2"]') == "child.full_name"

    page.get_by_role("button", name="Xem trước và kiểm tra").click()
    page.wait_for_selector("#errors")
    errors = page.inner_text("#errors")
    assert "3" in errors and "Ngày sinh" in errors
    assert page.locator("#accept-button").count() == 0
    assert Record.objects.count() == 0

    page.get_by_role("button", name="Hủy lần nhập này").click()
    page.wait_for_url(f"{live_server.url}/nhap-du-lieu-cu/")

    good_file = tmp_path / "so-khai-sinh-1985-sua.csv"
    good_file.write_bytes(csv_bytes(BIRTH_HEADERS, BIRTH_ROWS, "tcvn3"))
    page.set_input_files('[name="file"]', str(good_file))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()
    page.wait_for_url("**/nhap-du-lieu-cu/*/")
    page.get_by_role("button", name="Xem trước và kiểm tra").click()
    page.wait_for_selector("#no-errors")
    page.locator("#accept-button").click()
    page.wait_for_selector("#imported")
    assert Record.objects.filter(is_historic=True).count() == 3

    page.goto(f"{live_server.url}/ho-tich/tra-cuu/?q=ho+quynh+nhu")
    assert "Hồ Quỳnh Như" in page.inner_text("main")
