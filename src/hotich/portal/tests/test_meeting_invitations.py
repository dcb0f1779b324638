"""Outside guests of a meeting get their invitation through the notifier (ADR 0031's sibling in
meetings: the portal installs its outbox as the meetings' messenger): an e-mail with the whole
invitation, an SMS with the link first; each guest once; the link opens their invitation."""

from __future__ import annotations

import pytest
from django.test import Client

from hotich.core.pdf import html_to_pdf
from hotich.meetings import services as s
from hotich.meetings.tests.factories import body, tomorrow
from hotich.portal.models import Notification

pytestmark = pytest.mark.django_db


def test_outside_guests_are_sent_their_invitation_once(
    units, make_user, django_capture_on_commit_callbacks
):
    cell = body(units, make_user, kind="chi_bo", size=3)
    meeting = s.meeting_create(
        actor=cell.chair,
        organization=cell.organization,
        kind="regular",
        title="Sinh hoạt chi bộ tháng 12",
        starts_at=tomorrow(),
        place="Phòng họp số 2",
        chair_id=cell.chair.pk,
        secretary_id=cell.secretary.pk,
    )
    item = s.item_add(actor=cell.chair, meeting=meeting, title="Góp ý dự thảo", vote=False)
    s.paper_add(actor=cell.chair, item=item, name="du-thao.pdf", data=html_to_pdf("<p>x</p>"))
    both = s.guest_invite(
        actor=cell.chair,
        meeting=meeting,
        name="Trần Văn Khách",
        email="khach@example.vn",
        phone="0912345678",
    )
    assert Notification.objects.count() == 0  # a draft: nothing goes out yet
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_transition(actor=cell.chair, meeting=meeting, action="invite")
    mail, sms = (
        Notification.objects.get(channel="email"),
        Notification.objects.get(channel="sms"),
    )
    assert mail.recipient == "khach@example.vn" and sms.recipient == "0912345678"
    assert "Sinh hoạt chi bộ tháng 12" in mail.subject and "Phòng họp số 2" in mail.body
    link = next(w for w in mail.body.split() if "/hop/khach/" in w)
    assert sms.body.startswith(link)  # the link survives the cut to one SMS
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = Client().get("/" + path)
    assert page.status_code == 200 and "Góp ý dự thảo" in page.content.decode()
    both.refresh_from_db()
    assert both.invited_at is not None
    # a guest added after the invitations went out gets theirs at once; nobody twice
    s.guest_invite(actor=cell.chair, meeting=meeting, name="Lê Thị Mời", phone="0987654321")
    assert Notification.objects.count() == 3
    assert Notification.objects.filter(recipient="0987654321").count() == 1
