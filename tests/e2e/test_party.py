"""A party transfer through the pages: the sending cell's secretary opens the member's record,
starts an official transfer to a cell of another committee and signs the introduction letter;
the letter is a signed PDF; the receiving cell's secretary accepts it on a phone and then finds
the member among their cell's members."""

from __future__ import annotations

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
