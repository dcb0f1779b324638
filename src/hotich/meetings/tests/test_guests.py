"""Guests from outside the organization: a user of another organization and a named outside
person read the invitation and the papers and check in; they count for no quorum and cast no
vote."""

from __future__ import annotations

import pytest
from django.test import Client

from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed
from hotich.core.pdf import html_to_pdf
from hotich.meetings import services as s
from hotich.meetings.selectors import attendance
from hotich.meetings.tests.factories import body, tomorrow
from hotich.meetings.vocabulary import Choice

pytestmark = pytest.mark.django_db


def test_guests_see_and_check_in_but_neither_count_nor_vote(units, make_user, staff_client):
    cell = body(units, make_user, kind="chi_bo", size=3)
    outsider = body(units, make_user, kind="so", size=2).members[1]
    meeting = s.meeting_create(
        actor=cell.chair,
        organization=cell.organization,
        kind="regular",
        title="Sinh hoạt chi bộ có khách mời",
        starts_at=tomorrow(),
        place="Phòng họp",
        chair_id=cell.chair.pk,
        secretary_id=cell.secretary.pk,
    )
    item = s.item_add(actor=cell.chair, meeting=meeting, title="Góp ý dự thảo", vote=True)
    paper = s.paper_add(
        actor=cell.chair, item=item, name="du-thao.pdf", data=html_to_pdf("<p>Dự thảo</p>")
    )
    with pytest.raises(ValidationFailed):
        s.guest_invite(actor=cell.chair, meeting=meeting, name="Ông Ngoài")  # no email/phone
    with pytest.raises(ValidationFailed):
        s.guest_invite(actor=cell.chair, meeting=meeting, name="Ông Ngoài", phone="12345")
    with pytest.raises(PermissionDenied):
        s.guest_invite(actor=cell.members[2], meeting=meeting, username=outsider.username)
    user_guest = s.guest_invite(
        actor=cell.chair, meeting=meeting, username=outsider.username, position="Sở Tài chính"
    )
    with pytest.raises(Conflict):
        s.guest_invite(actor=cell.chair, meeting=meeting, username=outsider.username)
    named = s.guest_invite(
        actor=cell.chair,
        meeting=meeting,
        name="Trần Văn Khách",
        position="Chuyên gia",
        phone="0912 345 678",
    )
    assert named.phone == "0912345678" and not named.is_member
    s.meeting_transition(actor=cell.chair, meeting=meeting, action="invite")

    # the user guest reaches the meeting and its paper, and checks in by the room's QR code
    guest_client = staff_client(outsider)
    assert "Góp ý dự thảo" in guest_client.get(f"/hop/{meeting.pk}/").content.decode()
    assert guest_client.get(f"/hop/tai-lieu/{paper.pk}/").status_code == 200
    s.checkin_qr(actor=outsider, meeting=meeting, token=s.checkin_token(meeting))

    # the named guest opens the link, reads the paper and checks in
    link = f"/hop/khach/{s.guest_link_token(named)}/"
    anonymous = Client()
    page = anonymous.get(link).content.decode()
    assert "Trần Văn Khách" in page and "du-thao.pdf" in page
    assert anonymous.get(f"{link}tai-lieu/{paper.pk}/")["Content-Type"] == "application/pdf"
    assert anonymous.post(f"{link}diem-danh/").status_code == 302
    named.refresh_from_db()
    assert named.checked_in_at is not None and named.checked_in_by == "link"
    assert anonymous.get(link.replace("/khach/", "/khach/x")).status_code == 404
    # the link of a guest is not the link of a member: a member's row is never reached by it
    assert anonymous.get(f"/hop/khach/{s.checkin_token(meeting)}/").status_code == 404

    # two members of three present: quorate; the guests do not change the count
    for user in cell.members[:2]:
        s.checkin_secretary(actor=cell.secretary, participant=meeting.participants.get(user=user))
    counted = attendance(meeting)
    assert (counted.members, counted.present, counted.quorate) == (3, 2, True)
    s.meeting_transition(actor=cell.chair, meeting=meeting, action="open")
    s.vote_open(actor=cell.chair, item=item)
    with pytest.raises(PermissionDenied):
        s.vote_cast(actor=outsider, item=item, choice=Choice.FOR)
    s.vote_cast(actor=cell.chair, item=item, choice=Choice.FOR)
    closed = s.vote_close(actor=cell.chair, item=item)
    assert (closed.members, closed.present, closed.yes) == (3, 2, 1)
    assert user_guest.votes.count() == 0
    meeting = s.meeting_transition(actor=cell.chair, meeting=meeting, action="close")
    assert "Trần Văn Khách" in meeting.minutes and "Thành viên: 3; có mặt: 2" in meeting.minutes


def test_the_guest_form_on_the_meeting_page(units, make_user, staff_client):
    cell = body(units, make_user, kind="chi_bo", size=2)
    meeting = s.meeting_create(
        actor=cell.chair,
        organization=cell.organization,
        kind="thematic",
        title="Sinh hoạt chuyên đề",
        starts_at=tomorrow(),
        place="Phòng họp",
        chair_id=cell.chair.pk,
        secretary_id=cell.secretary.pk,
    )
    chair = staff_client(cell.chair)
    response = chair.post(
        f"/hop/{meeting.pk}/khach/", {"name": "Lê Thị Mời", "email": "khong-hop-le"}, follow=True
    )
    assert "Email không hợp lệ." in response.content.decode()
    chair.post(f"/hop/{meeting.pk}/khach/", {"name": "Lê Thị Mời", "email": "moi@example.vn"})
    html = chair.get(f"/hop/{meeting.pk}/").content.decode()
    assert "Lê Thị Mời" in html and "/hop/khach/" in html
