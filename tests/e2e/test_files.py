"""Work files through the pages: the clerk opens the file list from the sidebar, makes a file of
last year's list, finds an incoming document by a word of its body typed without diacritics,
puts it into the file from its page, closes the year and hands it over to the agency archive;
the handover list is there to download. Looked at on a laptop and a phone."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.utils import timezone

from hotich.documents.tests.factories import incoming_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from tests.e2e.conftest import SIZES, login_verified
from tests.e2e.test_office import _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("HOTICH_SCREENSHOTS", "")


def test_put_in_file_close_and_hand_over(
    live_server: Any,
    new_page: Any,
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    base = live_server.url
    year = timezone.localdate().year - 1
    incoming_factory(
        units["province"],
        organization=office["tree"].justice,
        year=year,
        title="Hướng dẫn đăng ký hộ tịch trực tuyến",
        body="Sở Tư pháp hướng dẫn cấp bản sao trích lục hộ tịch điện tử cho người dân.",
    )
    clerk = new_page()
    login_verified(clerk, base, office["clerk"], landing="/hom-nay/")
    clerk.get_by_role("link", name="Hồ sơ công việc").first.click()
    clerk.wait_for_url("**/ho-so-cong-viec/")
    clerk.goto(f"{base}/ho-so-cong-viec/?nam={year}")
    clerk.get_by_role("link", name="Lập hồ sơ").click()
    clerk.get_by_label("Số, ký hiệu hồ sơ").fill("01.HCTP")
    clerk.get_by_label("Tiêu đề hồ sơ").fill("Hồ sơ hướng dẫn nghiệp vụ hộ tịch")
    clerk.get_by_label("Thời hạn bảo quản").select_option(label="10 năm")
    clerk.get_by_label("Người lập hồ sơ").select_option(label="Hồ Thị Minh Thư")
    clerk.get_by_role("button", name="Lập hồ sơ").click()
    clerk.wait_for_url("**/ho-so-cong-viec/*/")
    file_url = clerk.url
    clerk.goto(f"{base}/van-ban/tim-kiem/")
    clerk.get_by_label("Từ cần tìm").fill("trich luc dien tu")
    clerk.get_by_role("button", name="Tìm", exact=True).click()
    snippet = clerk.locator(".snippet").first
    assert snippet.locator("mark").inner_text() == "trích"
    assert "trích lục hộ tịch điện tử" in snippet.inner_text()
    clerk.get_by_role("link", name="Hướng dẫn đăng ký hộ tịch trực tuyến").click()
    clerk.get_by_label("Đưa vào hồ sơ").select_option(
        label="01.HCTP — Hồ sơ hướng dẫn nghiệp vụ hộ tịch"
    )
    clerk.get_by_role("button", name="Đưa vào hồ sơ").click()
    assert "Văn bản nằm trong hồ sơ" in clerk.content()
    clerk.goto(file_url)
    assert "Hướng dẫn đăng ký hộ tịch trực tuyến" in clerk.get_by_role("table").inner_text()
    clerk.goto(f"{base}/ho-so-cong-viec/?nam={year}")
    clerk.get_by_test_id("close-year").click()
    clerk.wait_for_url(f"**/ho-so-cong-viec/?nam={year}")
    assert "Đã kết thúc" in clerk.get_by_test_id("file-status").inner_text()
    clerk.get_by_test_id("hand-over").click()
    clerk.wait_for_url(f"**/ho-so-cong-viec/?nam={year}")
    assert "Đã nộp lưu" in clerk.get_by_test_id("file-status").inner_text()
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    for size in ("laptop", "phone"):
        clerk.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
        for path in (
            f"/ho-so-cong-viec/?nam={year}",
            file_url.removeprefix(base),
            "/van-ban/tim-kiem/?q=trich+luc+dien+tu",
        ):
            clerk.goto(f"{base}{path}")
            _fits(clerk)
            if SHOTS:
                name = "list" if "nam=" in path else "search" if "q=" in path else "file"
                clerk.screenshot(
                    path=os.path.join(SHOTS, f"files-{name}-{size}.png"), full_page=True
                )
