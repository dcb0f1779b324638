"""The e-office route through the pages: the clerk registers an incoming document and proposes,
the director instructs and assigns, the handler reports and drafts the reply, the director
approves, signs and issues it; the document's page shows the whole route. Each page is also
looked at on a laptop (1366×768) and a phone (390×844)."""

from __future__ import annotations

from typing import Any

import pytest
from weasyprint import HTML

from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from tests.e2e.conftest import SIZES, login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> None:
    """Nothing wider than the screen: no sideways scrolling of the whole page."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def test_incoming_route_and_signed_reply(
    live_server: Any,
    new_page: Any,
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
    tmp_path: Any,
) -> None:
    base = live_server.url
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(HTML(string="<p>Công văn của UBND phường Thành Vinh</p>").write_pdf())

    clerk = new_page("phone")
    login_verified(clerk, base, office["clerk"], landing="/hom-nay/")
    _fits(clerk)
    clerk.goto(f"{base}/van-ban/van-ban-den/moi/")
    clerk.get_by_label("Loại văn bản").select_option("CV")
    clerk.get_by_label("Cơ quan ban hành").fill("UBND phường Thành Vinh")
    clerk.get_by_label("Số, ký hiệu").fill("88/UBND-VP")
    clerk.get_by_label("Trích yếu").fill("Đề nghị hướng dẫn số hóa sổ hộ tịch")
    clerk.get_by_label("Tệp PDF của văn bản").set_input_files(str(scan))
    clerk.get_by_role("button", name="Vào sổ").click()
    clerk.wait_for_url("**/van-ban/*/")
    document_url = clerk.url
    clerk.get_by_label("Nội dung đề xuất").fill("Kính chuyển Giám đốc cho ý kiến chỉ đạo")
    clerk.get_by_role("button", name="Đề xuất xử lý").click()
    clerk.wait_for_url(document_url)
    assert "Chờ ý kiến chỉ đạo" in clerk.get_by_test_id("status").inner_text()
    _fits(clerk)

    leader = new_page()
    login_verified(leader, base, office["leader"], landing="/hom-nay/")
    leader.get_by_test_id("waiting").get_by_role("link").first.click()
    leader.wait_for_url(document_url)
    instruct = leader.locator("form").filter(has=leader.get_by_role("button", name="Bút phê"))
    instruct.get_by_label("Người xử lý").select_option(label="Hồ Thị Minh Thư")
    instruct.get_by_label("Phối hợp").select_option(label="Trần Thị Thu Hà")
    instruct.get_by_label("Thời hạn (ngày làm việc)").fill("5")
    instruct.get_by_label("Ý kiến chỉ đạo (bút phê)").fill(
        "Giao đ/c Thư chủ trì, trả lời trước hạn"
    )
    instruct.get_by_role("button", name="Bút phê, giao xử lý").click()
    leader.wait_for_url(document_url)
    assert "Đang xử lý" in leader.get_by_test_id("status").inner_text()

    handler = new_page("phone")
    login_verified(handler, base, office["handler"], landing="/hom-nay/")
    assert "Chủ trì xử lý" in handler.get_by_test_id("waiting").inner_text()
    handler.goto(document_url)
    handler.get_by_label("Kết quả xử lý").fill("Đã dự thảo công văn trả lời")
    handler.get_by_role("button", name="Báo cáo kết quả").click()
    handler.wait_for_url(document_url)
    assert "Đã xử lý" in handler.get_by_test_id("status").inner_text()
    _fits(handler)
    handler.goto(f"{base}/van-ban/soan-thao/")
    handler.get_by_label("Loại văn bản").select_option("CV")
    handler.get_by_label("Trích yếu").fill("Hướng dẫn số hóa sổ hộ tịch")
    handler.locator("textarea[name=body]").fill("Sở Tư pháp hướng dẫn như sau.")
    handler.get_by_label("Gửi tới đơn vị").select_option(label="Phường Thành Vinh")
    handler.get_by_role("button", name="Lưu dự thảo").click()
    handler.wait_for_url("**/van-ban/*/")
    reply_url = handler.url
    handler.get_by_role("button", name="Trình duyệt").click()
    handler.wait_for_url(reply_url)

    leader.goto(reply_url)
    leader.get_by_role("button", name="Duyệt", exact=True).click()
    leader.wait_for_url(reply_url)
    leader.get_by_role("button", name="Ký số").click()
    leader.wait_for_url(reply_url)
    assert "Chữ ký hợp lệ" in leader.get_by_test_id("signature").inner_text()
    leader.get_by_role("button", name="Ban hành").click()
    leader.wait_for_url(reply_url)
    assert "Đã ban hành" in leader.get_by_test_id("status").inner_text()
    _fits(leader)

    leader.goto(document_url)
    timeline = leader.get_by_test_id("timeline").inner_text()
    for step in ("Tiếp nhận", "Đề xuất xử lý", "Bút phê, giao xử lý", "Báo cáo kết quả"):
        assert step in timeline
    assert "Chủ trì: Hồ Thị Minh Thư" in timeline
    route = leader.get_by_test_id("route").inner_text()
    assert "Trần Thị Thu Hà · Phối hợp" in route
    for size in ("laptop", "phone"):
        leader.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
        for path in ("/hom-nay/", document_url.removeprefix(base), "/lich-cong-tac/", "/nhiem-vu/"):
            leader.goto(f"{base}{path}")
            _fits(leader)
