"""A commune officer registers a birth, finds it by the name typed without diacritics, adds a
correction as a margin note and issues a copy of the extract."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.audit.models import Entry
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_find_amend_and_copy(live_server: Any, page: Any, units, make_user) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    login_verified(page, live_server.url, officer)
    born = dt.date.today() - dt.timedelta(days=12)

    page.goto(f"{live_server.url}/ho-tich/dang-ky/khai-sinh/")
    page.fill('[name="child.full_name"]', "Nguyễn Thị Hằng")
    page.select_option('[name="child.sex"]', "F")
    page.fill('[name="child.birth_date"]', born.isoformat())
    page.fill('[name="child.birth_place"]', "Bệnh viện Sản Nhi Nghệ An")
    page.fill('[name="mother.full_name"]', "Trần Thị Lan")
    page.fill('[name="mother.birth_date"]', "1995")
    page.fill('[name="father.full_name"]', "Nguyễn Văn Hùng")
    page.fill('[name="father.birth_date"]', "1993")
    page.fill('[name="registration_date"]', dt.date.today().isoformat())
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.wait_for_url("**/ho-tich/ban-ghi/*/")
    record_url = page.url

    page.goto(f"{live_server.url}/ho-tich/tra-cuu/?q=nguyen+thi+hang")
    page.get_by_role("link", name="Nguyễn Thị Hằng").first.click()
    page.wait_for_url(record_url)

    page.select_option('[name="field"]', "child.full_name")
    page.fill('[name="new_value"]', "Nguyễn Thị Thu Hằng")
    page.fill('[name="legal_basis"]', "Quyết định cải chính số 12/QĐ-UBND")
    page.get_by_role("button", name="Ghi chú", exact=True).click()
    page.wait_for_url(record_url)
    assert "Nguyễn Thị Thu Hằng" in page.inner_text("main")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Cấp bản sao").click()
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert Entry.objects.filter(action="export").count() == 1
