"""A party transfer through the pages: the sending cell's secretary opens the member's record,
starts an official transfer to a cell of another committee and signs the introduction letter;
the letter is a signed PDF; the receiving cell's secretary accepts it on a phone and then finds
the member among their cell's members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hotich.party.tests.factories import committee, member
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def test_a_transfer_with_its_signed_letter(
    live_server: Any, new_page: Any, units: dict[str, Any], make_user: Any, tmp_path: Any
) -> None:
    shots = tmp_path
    sending = committee(units, make_user, cells=1)
    receiving = committee(units, make_user, cells=1)
    lan = member(sending.cells[0], full_name="Trần Thị Lan")
    base = live_server.url

    sender = new_page()
    login_verified(sender, base, sending.secretary, landing=None)
    sender.goto(f"{base}/dang-vien/to-chuc/{sending.organization.pk}/")
    sender.get_by_role("link", name="Trần Thị Lan").click()
    sender.get_by_role("link", name="Chuyển sinh hoạt đảng", exact=True).last.click()
    sender.get_by_label("Chi bộ nơi đến").select_option(str(receiving.cells[0].pk))
    sender.get_by_label("Lý do").fill("Chuyển công tác sang đơn vị mới")
    sender.get_by_role("button", name="Tạo giấy giới thiệu").click()
    sender.wait_for_url("**/dang-vien/chuyen-sinh-hoat/*/")
    transfer_url = sender.url
    sender.get_by_role("button", name="Ký giấy giới thiệu và gửi").click()
    sender.wait_for_url(transfer_url)
    assert "Đã gửi, chờ chi bộ nơi đến tiếp nhận" in sender.content()
    pdf = sender.request.get(f"{transfer_url}giay-gioi-thieu.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert b"/ByteRange" in pdf.body()  # signed
    (shots / "party-letter.pdf").write_bytes(pdf.body())
    sender.screenshot(path=str(shots / "party-transfer-laptop.png"), full_page=True)
    _fits(sender)

    receiver = new_page("phone")
    login_verified(receiver, base, receiving.cell_secretaries[0], landing=None)
    receiver.goto(f"{base}/dang-vien/chuyen-sinh-hoat/")
    receiver.get_by_role("link", name="Trần Thị Lan").click()
    receiver.get_by_role("button", name="Tiếp nhận đảng viên").click()
    receiver.wait_for_url(transfer_url)
    assert "Đã tiếp nhận" in receiver.content()
    receiver.screenshot(path=str(shots / "party-transfer-phone.png"), full_page=True)
    _fits(receiver)
    receiver.goto(f"{base}/dang-vien/to-chuc/{receiving.cells[0].pk}/")
    assert "Trần Thị Lan" in receiver.content()
    _fits(receiver)
    receiver.screenshot(path=str(shots / "party-list-phone.png"), full_page=True)
    # the record followed the member: the sending committee no longer reads it
    assert sender.request.get(f"{base}/dang-vien/{lan.pk}/").status == 404


def _verified(data: bytes) -> Any:
    """The signature report of a PDF, checked outside Playwright's event loop."""
    from concurrent.futures import ThreadPoolExecutor

    from hotich.signing.verify import pdf_verify

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(pdf_verify, data).result()


def test_the_committee_statistics_signed_exports_and_a_directive(
    live_server: Any, new_page: Any, units: dict[str, Any], make_user: Any, tmp_path: Any
) -> None:
    """The committee's secretary reads the statistics of its cells, exports them as a
    spreadsheet and as a signed PDF (and the member list too, with its filter), then sends a
    directive down to one cell and follows it; the cell's secretary sees it on a phone. A
    secretary of another committee gets 404 for all of it."""
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from hotich.audit.models import Entry

    shots = tmp_path
    party = committee(units, make_user, cells=2)
    for n, cell in enumerate(party.cells * 3):
        member(cell, full_name=f"Đảng viên {n}", sex="female" if n % 2 else "male")
    base = live_server.url
    page = new_page()
    login_verified(page, base, party.secretary, landing=None)
    page.goto(f"{base}/dang-vien/thong-ke/{party.organization.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thống kê đảng viên")
    table = page.locator("table").first
    assert party.cells[0].name in table.inner_text()
    _fits(page)
    page.screenshot(path=str(shots / "party-statistics-laptop.png"), full_page=True)

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Xuất Excel").click()
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert len(book.sheetnames) >= 7
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Xuất PDF có ký số").click()
    signed = Path(pdf_download.value.path()).read_bytes()
    report = _verified(signed)
    assert report.signatures and not report.problems and report.verify_code
    (shots / "party-statistics.pdf").write_bytes(signed)
    # the member list, filtered, exported the same way: the filter goes in the form
    page.goto(f"{base}/dang-vien/to-chuc/{party.organization.pk}/?gioi_tinh=female")
    with page.expect_download() as members_download:
        page.get_by_role("button", name="Xuất PDF có ký số").click()
    assert _verified(Path(members_download.value.path()).read_bytes()).signatures
    exports = list(Entry.objects.filter(object_type="party.export").order_by("seq"))
    assert [e.detail.get("format") for e in exports] == ["xlsx", "pdf", "pdf"]
    assert exports[-1].detail["export"] == "members" and exports[-1].detail["sex"] == "female"
    assert exports[-1].detail["rows"] == 3

    # a directive down to the first cell, followed on the committee's page
    page.goto(f"{base}/dang-vien/chi-thi/{party.organization.pk}/")
    page.get_by_label("Loại văn bản").select_option("resolution")
    page.get_by_label("Trích yếu").fill("Về sinh hoạt chuyên đề quý I")
    page.get_by_label("Nội dung", exact=True).fill("Các chi bộ tổ chức sinh hoạt chuyên đề.")
    due = dt.date.today() + dt.timedelta(days=7)
    page.get_by_label("Hạn báo cáo (dd/mm/yyyy)").fill(due.strftime("%d/%m/%Y"))
    page.get_by_label(party.cells[0].name).check()
    page.get_by_role("button", name="Ký số và gửi").click()
    page.wait_for_url("**/dang-vien/chi-thi/van-ban/*/")
    assert "0/1" in page.content() and "Đang thực hiện" in page.content()
    _fits(page)
    page.screenshot(path=str(shots / "party-directive-laptop.png"), full_page=True)
    directive_url = page.url

    cell = new_page("phone")
    login_verified(cell, base, party.cell_secretaries[0], landing=None)
    cell.goto(f"{base}/dang-vien/chi-thi/{party.cells[0].pk}/")
    assert "Về sinh hoạt chuyên đề quý I" in cell.content()
    _fits(cell)
    cell.screenshot(path=str(shots / "party-directive-phone.png"), full_page=True)

    outsider = new_page()
    login_verified(outsider, base, committee(units, make_user, cells=1).secretary, landing=None)
    for url in (
        f"{base}/dang-vien/thong-ke/{party.organization.pk}/",
        directive_url,
        f"{base}/dang-vien/chi-thi/{party.organization.pk}/",
    ):
        assert outsider.request.get(url).status == 404
