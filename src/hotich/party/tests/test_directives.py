"""Directives down (a signed paper in each organization's register, one task each, tracked on
the committee's page), badges awarded (the due list then leaves them out), a member's own
self-assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from hotich.core.errors import FormInvalid, NotFound
from hotich.documents.models import Document, Task
from hotich.documents.services import task_transition
from hotich.party import services as s
from hotich.party.models import BadgeAward, Directive, Rating
from hotich.party.selectors import badges_due, directive_get, directives_of, own_record
from hotich.party.tests.factories import committee, member
from hotich.signing.verify import pdf_verify

pytestmark = pytest.mark.django_db


def _issue(party, **overrides):
    values = {
        "actor": party.secretary,
        "committee": party.organization,
        "kind": "resolution",
        "title": "Về nâng cao chất lượng sinh hoạt chi bộ",
        "body": "1. Sinh hoạt chuyên đề hằng quý.\n2. Báo cáo kết quả.",
        "deadline": timezone.localdate() + dt.timedelta(days=10),
        "targets": party.cells,
    }
    values.update(overrides)
    return s.directive_issue(**values)


def test_a_directive_goes_down_as_a_signed_paper_with_one_task_per_cell(units, make_user):
    party = committee(units, make_user, cells=2)
    directive = _issue(party)
    assert directive.number.startswith("01-NQ/")
    targets = list(directive.targets.select_related("task", "document", "organization"))
    assert [t.organization for t in targets] == party.cells
    for target, keeper in zip(targets, party.cell_secretaries, strict=True):
        document = Document.objects.get(pk=target.document_id)
        assert (document.direction, document.organization_id, document.signature_valid) == (
            "in",
            target.organization.pk,
            True,
        )
        assert target.task.owner == keeper and target.task.deadline == directive.deadline
    with default_storage.open(directive.signed.file_path, "rb") as handle:
        report = pdf_verify(handle.read())
    assert report.signatures and not report.problems
    assert report.verify_code == directive.signed.verify_code
    # the second paper of the year of the same kind is numbered 02
    assert _issue(party, title="Lần hai").number.startswith("02-NQ/")


def test_the_committee_sees_who_has_done_it_and_who_is_late(units, make_user):
    party = committee(units, make_user, cells=3)
    directive = _issue(party)
    first, second, _third = directive.targets.select_related("task").order_by("organization__path")
    keeper = party.cell_secretaries[0]
    task_transition(actor=keeper, task=first.task, action="start")
    task_transition(actor=keeper, task=first.task, action="complete", note="Đã triển khai.")
    board = directive_get(party.secretary, directive.pk)
    assert [r.state for r in board.rows] == ["done", "open", "open"]
    assert (board.done, board.overdue) == (1, 0)
    Directive.objects.filter(pk=directive.pk).update(deadline=dt.date(2020, 1, 1))
    board = directive_get(party.secretary, directive.pk)
    assert [r.state for r in board.rows] == ["late", "overdue", "overdue"]
    assert board.overdue == 2
    # the cell sees the paper it received, with its own row only
    received = directives_of(party.cell_secretaries[1], party.cells[1])["received"]
    assert [b.rows[0].target.pk for b in received] == [second.pk]


def test_directives_stay_within_the_committee(units, make_user):
    party = committee(units, make_user, cells=1)
    other = committee(units, make_user, cells=1)
    with pytest.raises(FormInvalid) as caught:
        _issue(party, targets=[other.cells[0]], title="", deadline=dt.date(2020, 1, 1))
    assert set(caught.value.errors) == {"targets", "title", "deadline"}
    with pytest.raises(NotFound):  # another committee's keeper cannot send in its name
        _issue(party, actor=other.secretary)
    directive = _issue(party)
    with pytest.raises(NotFound):
        directive_get(other.secretary, directive.pk)
    with pytest.raises(NotFound):  # a cell's secretary does not follow the committee's papers
        directive_get(party.cell_secretaries[0], directive.pk)
    assert Task.objects.filter(owner=other.cell_secretaries[0]).count() == 0


def test_the_directive_pages(units, make_user, staff_client):
    party = committee(units, make_user, cells=2)
    client = staff_client(party.secretary)
    response = client.post(
        f"/dang-vien/chi-thi/{party.organization.pk}/",
        {
            "kind": "directive",
            "title": "Về công tác đảng phí",
            "body": "Rà soát mức đóng.",
            "deadline": (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y"),
            "target": [str(party.cells[0].pk)],
        },
    )
    directive = Directive.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{directive.pk}/")
    html = client.get(response["Location"]).content.decode()
    assert "0/1" in html and party.cells[0].name in html and "Đang thực hiện" in html
    pdf = client.get(f"/dang-vien/chi-thi/van-ban/{directive.pk}/van-ban.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    bad = client.post(f"/dang-vien/chi-thi/{party.organization.pk}/", {"kind": "directive"})
    assert bad.status_code == 400 and "Trích yếu" in bad.content.decode()
    cell_page = staff_client(party.cell_secretaries[0]).get(
        f"/dang-vien/chi-thi/{party.cells[0].pk}/"
    )
    assert directive.number in cell_page.content.decode()
    outsider = committee(units, make_user, cells=1).secretary
    assert (
        staff_client(outsider).get(f"/dang-vien/chi-thi/van-ban/{directive.pk}/").status_code == 404
    )


def test_badges_awarded_leave_the_due_list_and_show_on_the_member(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    toan = member(
        party.cells[0],
        full_name="Hồ Sỹ Toàn",
        admitted_on=dt.date(1997, 1, 10),
        birth_date=dt.date(1960, 1, 1),
    )
    thang = member(
        party.cells[0],
        full_name="Lê Văn Thắng",
        admitted_on=dt.date(1987, 1, 10),
        birth_date=dt.date(1960, 1, 1),
    )
    occasion = dt.date(2027, 2, 3)
    assert {
        b.member.pk: b.years for b in badges_due(party.secretary, party.organization, occasion)
    } == {
        toan.pk: 30,
        thang.pk: 40,
    }
    client = staff_client(party.secretary)
    response = client.post(
        f"/dang-vien/huy-hieu/{party.organization.pk}/",
        {
            "dip": "03/02/2027",
            "decision": "Quyết định số 12-QĐ/TU",
            "decided_on": "20/01/2027",
            "member": [str(toan.pk)],
        },
    )
    assert response.status_code == 302
    award = BadgeAward.objects.get()
    assert (award.member, award.years, award.occasion) == (toan, 30, occasion)
    assert [b.member for b in badges_due(party.secretary, party.organization, occasion)] == [thang]
    html = client.get(f"/dang-vien/{toan.pk}/").content.decode()
    assert "30 năm tuổi Đảng" in html and "Quyết định số 12-QĐ/TU" in html
    with pytest.raises(FormInvalid):  # the same badge twice
        s.badges_award(
            actor=party.secretary,
            organization=party.organization,
            occasion=occasion,
            decision="Lần nữa",
            decided_on=dt.date(2027, 1, 20),
            member_ids=[toan.pk],
        )
    with pytest.raises(FormInvalid) as caught:  # not an occasion, not yet due
        s.badges_award(
            actor=party.secretary,
            organization=party.organization,
            occasion=dt.date(2027, 3, 1),
            decision="Q",
            decided_on=dt.date(2027, 1, 20),
            member_ids=[thang.pk],
        )
    assert "occasion" in caught.value.errors
    other = committee(units, make_user, cells=1)
    with pytest.raises(NotFound):
        s.badges_award(
            actor=other.secretary,
            organization=party.organization,
            occasion=occasion,
            decision="Q",
            decided_on=dt.date(2027, 1, 20),
            member_ids=[thang.pk],
        )


def test_a_member_assesses_themselves(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    user = make_user("clerk", units["province"], full_name="Trần Thị Hà")  # no party permission
    ha = member(party.cells[0], full_name="Trần Thị Hà", user=user)
    other = member(party.cells[0], full_name="Người khác")
    record = own_record(user)
    assert record.member == ha and record.open_year in (
        timezone.localdate().year,
        timezone.localdate().year - 1,
    )
    client = staff_client(user)
    assert "Tự đánh giá" in client.get("/dang-vien/cua-toi/").content.decode()
    response = client.post(
        "/dang-vien/cua-toi/",
        {"nam": str(record.open_year), "grade": "good", "note": "Hoàn thành tốt công việc."},
    )
    assert response.status_code == 302
    rating = Rating.objects.get(member=ha)
    assert (rating.status, rating.self_grade, rating.year) == (
        "self_assessed",
        "good",
        record.open_year,
    )
    assert own_record(user).open_year is None
    # the cell's opinion follows as for any member
    s.rating_transition(
        actor=party.cell_secretaries[0], rating=rating, action="review", grade="good"
    )
    # only their own record, only a recent year
    with pytest.raises(Exception):  # noqa: B017 - no permission on another's record
        s.rating_self(actor=user, member=other, year=record.open_year, grade="good")
    assert not Rating.objects.filter(member=other).exists()
    with pytest.raises(Exception):  # noqa: B017
        s.rating_self(actor=user, member=ha, year=2015, grade="good")
    # a user who is no member gets 404
    stranger = make_user("clerk", units["province"])
    assert staff_client(stranger).get("/dang-vien/cua-toi/").status_code == 404
