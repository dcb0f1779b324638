"""On a phone-sized screen a citizen files a birth registration and pays the fee; the officer
receives, assigns and approves it (the birth is registered), the signer signs the result, the
officer returns it; the citizen downloads the signed PDF and opens its QR verification page.
The citizen pages have no serious accessibility violation (axe-core)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from hotich.accounts.vocabulary import Role
from hotich.portal.models import Dossier, Notification
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}


def serious_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (236, 236, 236)).save(buffer, format="PNG")
    return buffer.getvalue()


def staff_page(browser: Any, base: str, user: Any) -> Any:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    login_verified(page, base, user)
    return page


def act(page: Any, base: str, dossier: Dossier, button: str) -> None:
    page.goto(f"{base}/mot-cua/ho-so/{dossier.pk}/")
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"**/mot-cua/ho-so/{dossier.pk}/")
    assert f"Đã thực hiện «{button}»" in page.inner_text("main"), page.inner_text("main")


def test_citizen_files_pays_and_gets_the_signed_result(
    live_server: Any, browser: Any, units: Any, make_user: Any
) -> None:
    from hotich.portal.services import catalogue_load_builtin

    catalogue_load_builtin()  # the data migration's rows are gone in a transactional test
    base = live_server.url
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    signer = make_user(Role.SIGNER, units["a"], full_name="Hoàng Đức Thắng")

    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    citizen = context.new_page()
    citizen.set_default_timeout(30_000)
    citizen.goto(f"{base}/dich-vu-cong/")
    assert citizen.locator("html").get_attribute("lang") == "vi"
    assert serious_violations(citizen) == []
    citizen.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # log in with a one-time code (read from the outbox, where the default adapter leaves it)
    citizen.wait_for_url("**/dich-vu-cong/dang-nhap/**")
    citizen.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 678")
    citizen.get_by_role("button", name="Gửi mã xác thực").click()
    body = Notification.objects.filter(recipient="0912345678").latest("pk").body
    code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
    assert f"Bản demo: mã của bạn là {code}" in citizen.inner_text("main")  # the demo shows it
    citizen.get_by_label("Mã xác thực (6 chữ số) đã gửi tới bạn").fill(code)
    assert serious_violations(citizen) == []
    citizen.get_by_role("button", name="Xác nhận").click()

    # the form: an error first, then the full form
    citizen.wait_for_url("**/dich-vu-cong/nop/1.001193/")
    assert serious_violations(citizen) == []
    born = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    citizen.select_option("#unit", label="Phường Thành Vinh")
    citizen.fill("#f-applicant-full_name", "Nguyễn Văn Bình")
    citizen.fill("#f-applicant-personal_id", "040090001234")
    citizen.fill("#f-applicant-phone", "0912345678")
    citizen.fill("#f-applicant-relation", "Cha")
    citizen.fill("#f-child-full_name", "Nguyễn Thị Hằng")
    citizen.select_option("#f-child-sex", "F")
    citizen.fill("#f-child-birth_place", "Bệnh viện Sản Nhi Nghệ An")
    citizen.fill("#f-child-ethnicity", "Kinh")
    citizen.fill("#f-child-nationality", "Việt Nam")
    citizen.fill("#f-mother-full_name", "Lê Thị Mai")
    citizen.fill("#f-copies", "1")
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    assert "Ngày sinh: chưa nhập (bắt buộc)." in citizen.inner_text("main")
    assert serious_violations(citizen) == []
    citizen.fill("#f-child-birth_date", born)
    citizen.set_input_files(
        "#file-chung_sinh",
        files=[{"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": png()}],
    )
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    citizen.wait_for_url("**/dich-vu-cong/ho-so/*/")
    dossier = Dossier.objects.get()
    assert citizen.inner_text("#dossier-code") == dossier.code

    # pay the fee (one copy: 8.000 đồng) through the stand-in gateway; the VietQR code is shown
    citizen.get_by_role("link", name="Thanh toán lệ phí").click()
    citizen.wait_for_url("**/thanh-toan/")
    citizen.get_by_role("img", name="Mã VietQR chuyển khoản lệ phí").wait_for(state="visible")
    assert serious_violations(citizen) == []
    citizen.get_by_role("link", name="Thanh toán qua cổng thanh toán").click()
    citizen.get_by_role("button", name="Xác nhận thanh toán").click()
    assert "Thanh toán thành công." in citizen.inner_text("main")

    # the back office processes, the signer signs, the officer returns the result
    desk = staff_page(browser, base, officer)
    for button in ("Tiếp nhận", "Phân công xử lý", "Duyệt"):
        act(desk, base, dossier, button)
    assert serious_violations(desk) == []  # the back-office dossier page
    desk.goto(f"{base}/mot-cua/")
    assert serious_violations(desk) == []
    dossier.refresh_from_db()
    assert dossier.record is not None and dossier.record.status == "registered"
    signing = staff_page(browser, base, signer)
    act(signing, base, dossier, "Ký số kết quả")
    act(desk, base, dossier, "Trả kết quả")

    # the citizen downloads the signed result and opens its verification page
    citizen.goto(f"{base}/dich-vu-cong/ho-so/{dossier.pk}/")
    assert citizen.inner_text("#dossier-status") == "Đã trả kết quả"
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Tải kết quả (PDF có chữ ký số)").click()
    with open(download.value.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-") and b"/ByteRange" in pdf
    citizen.get_by_role("link", name="Kiểm tra giấy tờ").click()
    citizen.wait_for_url("**/verify/*")
    dossier.refresh_from_db()
    assert citizen.url.endswith(f"/verify/{dossier.result_verify_code}")
    assert "có chữ ký số và còn giá trị" in citizen.inner_text("body")

    # anyone can follow the dossier by its code
    citizen.goto(f"{base}/dich-vu-cong/tra-cuu/")
    citizen.get_by_label("Mã hồ sơ").fill(dossier.code)
    citizen.get_by_role("button", name="Tra cứu").click()
    assert "Đã trả kết quả" in citizen.inner_text("main")
    assert serious_violations(citizen) == []
    context.close()
