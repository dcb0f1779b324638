"""The pages: a member reads the meeting and votes on it; the secretary checks people in; an
outsider gets 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hotich.meetings import services as s
from hotich.meetings.models import Meeting
from hotich.meetings.tests.factories import body

pytestmark = pytest.mark.django_db


def test_a_meeting_from_the_form_to_a_vote(units, make_user, staff_client):
    cell = body(units, make_user, kind="chi_bo", size=3)
    chair = staff_client(cell.chair)
    page = chair.get(f"/hop/tao/{cell.organization.pk}/")
    assert page.status_code == 200
    response = chair.post(
        f"/hop/tao/{cell.organization.pk}/",
        {
            "kind": "regular",
            "title": "Sinh hoạt chi bộ tháng 12",
            "day": "20/12/2026",
            "time": "14:00",
            "place": "Phòng họp",
            "chair": cell.chair.pk,
            "secretary": cell.secretary.pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hop/{meeting.pk}/"
    chair.post(f"/hop/{meeting.pk}/noi-dung/", {"title": "Biểu quyết kế hoạch", "vote": "1"})
    item = meeting.items.get()
    chair.post(f"/hop/{meeting.pk}/thao-tac/", {"action": "invite"})
    member = staff_client(cell.members[2])
    html = member.get(f"/hop/{meeting.pk}/").content.decode()
    assert "Xác nhận dự họp" in html and "Biểu quyết kế hoạch" in html
    member.post(f"/hop/{meeting.pk}/tra-loi/", {"attend": "1"})
    token = s.checkin_token(meeting)
    assert member.post(f"/hop/{meeting.pk}/diem-danh/{token}/").status_code == 302
    for participant in meeting.participants.exclude(user=cell.members[2]):
        chair.post(f"/hop/nguoi-du/{participant.pk}/diem-danh/")
    chair.post(f"/hop/{meeting.pk}/thao-tac/", {"action": "open"})
    chair.post(f"/hop/noi-dung/{item.pk}/bieu-quyet/", {"op": "open"})
    member.post(f"/hop/noi-dung/{item.pk}/bieu-quyet/", {"op": "cast", "choice": "for"})
    chair.post(f"/hop/noi-dung/{item.pk}/bieu-quyet/", {"op": "cast", "choice": "against"})
    chair.post(f"/hop/noi-dung/{item.pk}/bieu-quyet/", {"op": "close"})
    item.refresh_from_db()
    assert (item.yes, item.no, item.passed) == (1, 1, False)
    live = member.get(f"/hop/{meeting.pk}/dien-bien/").content.decode()
    assert "3/3" in live and "Không thông qua" in live
    assert "Sinh hoạt chi bộ tháng 12" in member.get("/hop/").content.decode()


def test_an_outsider_gets_404(units, make_user, staff_client):
    cell = body(units, make_user, kind="chi_bo", size=2)
    other = body(units, make_user, kind="chi_bo", size=2)
    meeting = s.meeting_create(
        actor=None,
        organization=cell.organization,
        kind="regular",
        title="Sinh hoạt riêng của chi bộ",
        starts_at=timezone.now(),
        place="Phòng họp",
        chair_id=cell.chair.pk,
        secretary_id=cell.secretary.pk,
    )
    outsider = staff_client(other.chair)
    assert outsider.get(f"/hop/{meeting.pk}/").status_code == 404
    assert outsider.get(f"/hop/tao/{cell.organization.pk}/").status_code == 404
    assert "Sinh hoạt riêng của chi bộ" not in outsider.get("/hop/").content.decode()
