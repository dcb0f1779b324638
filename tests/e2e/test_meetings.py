"""A cell's meeting through the pages: the chair sends the invitations, a member answers on a
phone and checks in by the QR code's link, the secretary checks the others in, the chair opens the
meeting and the vote, the members vote, the result shows at once; the chair closes; the secretary
then the chair sign the minutes. An outside guest checks in by their link."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.meetings import services as s
from hotich.meetings.tests.factories import body, tomorrow
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} overflows by {overflow}px"


def test_invitation_check_in_vote_and_signed_minutes(
    live_server: Any, new_page: Any, units: dict[str, Any], make_user: Any, tmp_path: Any
) -> None:
    cell = body(units, make_user, kind="chi_bo", size=3)
    meeting = s.meeting_create(
        actor=cell.chair,
        organization=cell.organization,
        kind="regular",
        title="Sinh hoạt chi bộ thường kỳ",
        starts_at=tomorrow(),
        place="Phòng họp tầng 3",
        chair_id=cell.chair.pk,
        secretary_id=cell.secretary.pk,
    )
    s.item_add(actor=cell.chair, meeting=meeting, title="Thông qua kế hoạch quý", vote=True)
    guest = s.guest_invite(
        actor=cell.chair,
        meeting=meeting,
        name="Nguyễn Văn Khách",
        position="Báo cáo viên",
        email="khach@example.vn",
    )
    base, url = live_server.url, f"{live_server.url}/hop/{meeting.pk}/"

    chair = new_page()
    login_verified(chair, base, cell.chair, landing=None)
    chair.goto(url)
    chair.get_by_role("button", name="Gửi giấy mời").click()
    chair.wait_for_url(url)
    assert "Đã mời" in chair.locator("#meeting-status").inner_text()
    checkin_url = chair.get_by_test_id("checkin-url").inner_text().strip()

    member = new_page("phone")
    login_verified(member, base, cell.members[2], landing=None)
    member.goto(url)
    member.get_by_role("button", name="Xác nhận dự họp").click()
    member.wait_for_url(url)
    member.goto(checkin_url)
    member.get_by_role("button", name="Xác nhận có mặt").click()
    member.wait_for_url(url)
    _fits(member)

    # the outside guest opens their link on a phone, without an account, and checks in
    outsider = new_page("phone")
    outsider.goto(f"{base}/hop/khach/{s.guest_link_token(guest)}/")
    assert "Nguyễn Văn Khách" in outsider.content()
    outsider.get_by_role("button", name="Xác nhận có mặt").click()
    outsider.get_by_test_id("guest-checked-in").wait_for()
    _fits(outsider)
    outsider.screenshot(path=str(tmp_path / "meeting-guest-phone.png"), full_page=True)

    chair.reload()
    marks = chair.locator("#nguoi-du").get_by_role("button", name="Điểm danh")
    while marks.count():
        with chair.expect_navigation():
            marks.first.click()
    chair.get_by_role("button", name="Khai mạc").click()
    chair.wait_for_url(url)
    chair.get_by_role("button", name="Mở biểu quyết").click()
    chair.wait_for_url("**/hop/*/**")

    member.goto(url)
    member.get_by_role("button", name="Tán thành", exact=True).click()
    member.wait_for_url("**/hop/*/**")
    assert "Bạn đã biểu quyết." in member.content()
    member.screenshot(path=str(tmp_path / "meeting-phone.png"), full_page=True)

    chair.goto(url)
    chair.get_by_role("button", name="Tán thành", exact=True).click()
    chair.wait_for_url("**/hop/*/**")
    chair.get_by_role("button", name="Kết thúc biểu quyết").click()
    chair.wait_for_url("**/hop/*/**")
    assert "Thông qua" in chair.locator(".result").inner_text()
    chair.get_by_role("button", name="Bế mạc").click()
    chair.wait_for_url(url)

    secretary = new_page()
    login_verified(secretary, base, cell.secretary, landing=None)
    secretary.goto(url)
    secretary.get_by_role("button", name="Thư ký ký biên bản").click()
    secretary.wait_for_url(url)

    chair.goto(url)
    chair.get_by_role("button", name="Chủ trì ký biên bản").click()
    chair.wait_for_url(url)
    assert "Biên bản đã ký" in chair.locator("#meeting-status").inner_text()
    pdf = chair.request.get(f"{url}bien-ban.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    chair.screenshot(path=str(tmp_path / "meeting-laptop.png"), full_page=True)
    _fits(chair)
