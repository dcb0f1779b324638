"""A cell's monthly meeting and a People's Council session through the services."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from hotich.audit.models import Entry
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.documents.render import render_html
from hotich.documents.services import outgoing
from hotich.documents.vocabulary import DocType
from hotich.documents.vocabulary import Status as DocStatus
from hotich.meetings import services as s
from hotich.meetings.models import Vote
from hotich.meetings.selectors import attendance, meetings_visible
from hotich.meetings.tests.factories import body, tomorrow
from hotich.meetings.vocabulary import Ballot, Choice, Status

pytestmark = pytest.mark.django_db


def _meeting(b: Any, **extra: Any) -> Any:
    return s.meeting_create(
        actor=b.chair,
        organization=b.organization,
        kind=extra.pop("kind", "regular"),
        title="Kỳ họp thứ nhất",
        starts_at=tomorrow(),
        place="Hội trường",
        chair_id=b.chair.pk,
        secretary_id=b.secretary.pk,
        **extra,
    )


def _open(b: Any, meeting: Any, *, present: int) -> None:
    s.meeting_transition(actor=b.chair, meeting=meeting, action="invite")
    for user in b.members[:present]:
        s.checkin_secretary(actor=b.secretary, participant=meeting.participants.get(user=user))
    s.meeting_transition(actor=b.chair, meeting=meeting, action="open")


def _vote(b: Any, item: Any, choices: list[str]) -> Any:
    s.vote_open(actor=b.chair, item=item)
    for user, choice in zip(b.members, choices, strict=False):
        s.vote_cast(actor=user, item=item, choice=choice)
    return s.vote_close(actor=b.chair, item=item)


def test_council_resolution_passes_only_with_more_than_half_of_all_delegates(
    units, make_user, monkeypatch
):
    layouts: list[Any] = []
    real_render = outgoing.render_pdf

    def render(layout: Any) -> bytes:
        layouts.append(layout)
        return real_render(layout)

    monkeypatch.setattr(outgoing, "render_pdf", render)
    council = body(units, make_user, kind="hdnd", size=9)
    meeting = _meeting(council, kind="extraordinary")
    passing = s.item_add(
        actor=council.chair, meeting=meeting, title="Nghị quyết A", is_resolution=True
    )
    failing = s.item_add(
        actor=council.chair, meeting=meeting, title="Nghị quyết B", is_resolution=True
    )
    _open(council, meeting, present=7)
    yes, no, ab = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
    passing = _vote(council, passing, [yes, yes, yes, yes, yes, no, ab])
    failing = _vote(council, failing, [yes, yes, yes, yes, no, no, ab])
    assert (passing.passed, passing.yes, passing.members, passing.present) == (True, 5, 9, 7)
    # 4 of 7 present is a majority of those present, but not of the 9 delegates
    assert failing.passed is False and failing.applied_rule == "all_members"
    s.meeting_transition(actor=council.chair, meeting=meeting, action="close")
    issued = s.resolution_issue(actor=council.chair, item=passing)
    assert issued.resolution.doc_type == DocType.RESOLUTION
    assert issued.resolution.status == DocStatus.ISSUED
    # the council's own register and signature block, not the People's Committee's
    assert issued.resolution.number.endswith("/NQ-HĐND")
    (layout,) = layouts
    assert layout.signer_title == "TM. HỘI ĐỒNG NHÂN DÂN\nCHỦ TỊCH"
    assert layout.signer_name == council.chair.full_name
    html = render_html(layout)
    assert "HỘI ĐỒNG NHÂN DÂN" in html and "ỦY BAN NHÂN DÂN" not in html
    with pytest.raises(Conflict):
        s.resolution_issue(actor=council.chair, item=failing)


def test_cell_meeting_from_invitation_to_signed_minutes_and_a_task(units, make_user):
    cell = body(units, make_user, kind="chi_bo", size=4)
    meeting = _meeting(cell)
    item = s.item_add(actor=cell.chair, meeting=meeting, title="Kết nạp đảng viên", vote=True)
    s.meeting_transition(actor=cell.chair, meeting=meeting, action="invite")
    s.respond(actor=cell.members[3], meeting=meeting, attend=False, excuse="Đi công tác")
    with pytest.raises(ValidationFailed):
        s.respond(actor=cell.members[2], meeting=meeting, attend=False, excuse="")
    token = s.checkin_token(meeting)
    for user in cell.members[:3]:
        s.checkin_qr(actor=user, meeting=meeting, token=token)
    assert attendance(meeting).present == 3 and attendance(meeting).quorate
    s.meeting_transition(actor=cell.chair, meeting=meeting, action="open")
    s.vote_open(actor=cell.chair, item=item)
    s.vote_cast(actor=cell.members[0], item=item, choice=Choice.FOR)
    with pytest.raises(Conflict):
        s.vote_cast(actor=cell.members[0], item=item, choice=Choice.AGAINST)
    with pytest.raises(PermissionDenied):  # excused, not checked in
        s.vote_cast(actor=cell.members[3], item=item, choice=Choice.FOR)
    s.vote_cast(actor=cell.members[1], item=item, choice=Choice.FOR)
    item = s.vote_close(actor=cell.chair, item=item)
    assert item.passed and item.applied_rule == "present"
    s.conclusion_set(actor=cell.chair, item=item, text="Đồng ý kết nạp.")
    meeting = s.meeting_transition(actor=cell.chair, meeting=meeting, action="close")
    assert "Đi công tác" in meeting.minutes and "tán thành 2" in meeting.minutes
    with pytest.raises(PermissionDenied):
        s.meeting_transition(actor=cell.chair, meeting=meeting, action="sign_secretary")
    s.meeting_transition(actor=cell.secretary, meeting=meeting, action="sign_secretary")
    meeting = s.meeting_transition(actor=cell.chair, meeting=meeting, action="sign_chair")
    assert meeting.status == Status.MINUTES_SIGNED
    signed = meeting.minutes_signed
    assert signed.kind == "meetings.minutes"
    with default_storage.open(signed.file_path, "rb") as handle:
        fields = [
            sig.field_name for sig in PdfFileReader(io.BytesIO(handle.read())).embedded_signatures
        ]
    assert fields == ["ChuKyCaNhan1", "ChuKyCaNhan2", "ChuKyCoQuan3"]  # secretary, chair, seal
    task = s.task_from_item(
        actor=cell.chair,
        item=item,
        title="Hoàn thiện hồ sơ kết nạp",
        owner_id=cell.secretary.pk,
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    assert task.owner == cell.secretary


def test_a_secret_ballot_keeps_who_voted_never_how(units, make_user):
    cell = body(units, make_user, kind="chi_bo", size=3)
    meeting = _meeting(cell)
    item = s.item_add(
        actor=cell.chair, meeting=meeting, title="Bầu", vote=True, ballot=Ballot.SECRET
    )
    _open(cell, meeting, present=3)
    item = _vote(cell, item, [Choice.FOR, Choice.AGAINST, Choice.FOR])
    assert (item.yes, item.no) == (2, 1)
    assert set(Vote.objects.filter(item=item).values_list("choice", flat=True)) == {""}
    details = Entry.objects.filter(object_type="meetings.item", object_id=str(item.pk))
    assert not any("choice" in (e.detail or {}) for e in details)


def test_a_user_of_another_organization_sees_nothing(units, make_user):
    cell = body(units, make_user, kind="chi_bo", size=3)
    other = body(units, make_user, kind="chi_bo", size=3)
    meeting = _meeting(cell)
    assert list(meetings_visible(other.chair)) == []
    with pytest.raises(NotFound):
        s.meeting_transition(actor=other.chair, meeting=meeting, action="invite")
    with pytest.raises(NotFound):
        s.meeting_create(
            actor=other.chair,
            organization=cell.organization,
            kind="regular",
            title="x",
            starts_at=tomorrow(),
            place="x",
            chair_id=cell.chair.pk,
            secretary_id=cell.secretary.pk,
        )


def test_a_vote_after_it_closed_is_refused(units, make_user):
    cell = body(units, make_user, kind="chi_bo", size=3)
    meeting = _meeting(cell)
    item = s.item_add(actor=cell.chair, meeting=meeting, title="Biểu quyết", vote=True)
    _open(cell, meeting, present=3)
    _vote(cell, item, [Choice.FOR])
    with pytest.raises(Conflict):
        s.vote_cast(actor=cell.members[2], item=item, choice=Choice.FOR)
