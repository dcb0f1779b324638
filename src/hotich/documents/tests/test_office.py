"""The e-office: routing an incoming document, draft versions and comments, tasks, calendars
and the day's page, inside agencies that share a unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add, organization_create
from hotich.agencies.tests.factories import make_tree
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed
from hotich.core.workdays import add_working_days
from hotich.documents.models import Assignment, Document
from hotich.documents.selectors import (
    RegisterFilter,
    calendar_week,
    document_detail,
    document_register,
    task_detail,
    today_for,
    week_of,
)
from hotich.documents.services import (
    calendar_entry_create,
    calendar_week_publish,
    document_comment,
    document_create,
    document_transition,
    document_update,
    task_create,
    task_transition,
)
from hotich.documents.tests.factories import incoming_factory
from hotich.documents.vocabulary import Direction, DocType, Status, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(units: dict[str, Any], make_user: Any) -> dict[str, Any]:
    tree = make_tree(units)
    finance = organization_create(
        actor=None,
        code="000.00.02.H41",
        name="Sở Tài chính",
        kind=OrganizationKind.DEPARTMENT,
        unit=units["province"],
        parent=tree.province,
    )

    def person(role: str, organization: Any, position: str, name: str) -> Any:
        user = make_user(role, units["province"], full_name=name)
        membership_add(actor=None, user=user, organization=organization, position=position)
        return user

    return {
        "tree": tree,
        "leader": person(Role.SIGNER, tree.justice, Position.DIRECTOR, "Đặng Quốc Khánh"),
        "clerk": person(Role.PROVINCE, tree.justice, Position.CLERK, "Lê Thị Ngọc Anh"),
        "head": person(Role.PROVINCE, tree.civil_status, Position.HEAD_OF_SECTION, "Phan Văn Hải"),
        "handler": person(Role.PROVINCE, tree.civil_status, Position.SPECIALIST, "Hồ Thị Minh Thư"),
        "co": person(Role.PROVINCE, tree.civil_status, Position.SPECIALIST, "Trần Thị Thu Hà"),
        "outsider": person(Role.PROVINCE, finance, Position.SPECIALIST, "Võ Văn Tài"),
    }


def _incoming(office: dict[str, Any], units: dict[str, Any]) -> Document:
    return incoming_factory(units["province"], organization=office["tree"].justice)


def test_the_route_from_proposal_to_report_is_one_history(
    office: dict[str, Any], units: dict[str, Any]
) -> None:
    document = _incoming(office, units)
    leader, clerk, head = office["leader"], office["clerk"], office["head"]
    with pytest.raises(ValidationFailed, match="nội dung đề xuất"):
        document_transition(actor=clerk, document=document, action="propose")
    document_transition(
        actor=clerk, document=document, action="propose", note="Kính chuyển Giám đốc cho ý kiến"
    )
    assert document.status == Status.PROPOSED
    assert [w.document for w in today_for(leader).documents] == [document]
    with pytest.raises(ValidationFailed, match="Chủ trì"):
        document_transition(
            actor=leader,
            document=document,
            action="instruct",
            note="Giao Phòng HCTP",
            handler_id=office["outsider"].pk,  # another agency's specialist
        )
    document_transition(
        actor=leader,
        document=document,
        action="instruct",
        note="Giao Phòng HCTP chủ trì, tham mưu văn bản trả lời",
        handler_id=head.pk,
        co_ids=[office["co"].pk],
        days=5,
    )
    assert document.status == Status.ASSIGNED and document.handler == head
    assert document.deadline == add_working_days(timezone.localdate(), 5)
    # the co-handler sees it today; the clerk cannot forward a route she does not lead
    assert document in [w.document for w in today_for(office["co"]).documents]
    with pytest.raises(PermissionDenied):
        document_transition(
            actor=clerk, document=document, action="forward", handler_id=office["handler"].pk
        )
    document_transition(
        actor=head,
        document=document,
        action="forward",
        note="Đồng chí Thư dự thảo trả lời",
        handler_id=office["handler"].pk,
    )
    handler = office["handler"]
    document_transition(
        actor=handler, document=document, action="consult", co_ids=[head.pk], note="Xin ý kiến"
    )
    document_transition(actor=head, document=document, action="opinion", note="Nhất trí")
    document_transition(actor=office["co"], document=document, action="opinion", note="Đã rà")
    with pytest.raises(PermissionDenied):
        document_transition(actor=office["co"], document=document, action="opinion", note="Lại")
    document_transition(
        actor=handler, document=document, action="report", note="Đã dự thảo công văn trả lời"
    )
    assert document.status == Status.PROCESSED
    detail = document_detail(actor=leader, document_id=document.pk)
    assert [e.action for e in detail.events] == [
        "propose", "instruct", "forward", "consult", "opinion", "opinion", "report"
    ]  # fmt: skip
    assert "Chủ trì: Phan Văn Hải" in detail.events[1].note
    roles = [(a.user.full_name, a.role, a.active) for a in detail.route]
    assert roles[0] == ("Phan Văn Hải", "lead", False)
    assert ("Hồ Thị Minh Thư", "lead", True) in roles
    assert not Assignment.objects.filter(document=document, active=True, answered_at=None).exists()


def test_agencies_sharing_a_unit_keep_their_registers_apart(
    office: dict[str, Any], units: dict[str, Any]
) -> None:
    document = _incoming(office, units)
    register = RegisterFilter(direction=Direction.INCOMING)
    assert document_register(actor=office["clerk"], filters=register) == [document]
    assert document_register(actor=office["outsider"], filters=register) == []


def test_draft_versions_and_comments(office: dict[str, Any], units: dict[str, Any]) -> None:
    handler = office["handler"]
    draft = document_create(
        actor=handler,
        doc_type=DocType.OFFICIAL_LETTER,
        title="Trả lời về số hóa sổ hộ tịch",
        body="Sở Tư pháp trả lời như sau.",
        recipient_name="UBND phường Thành Vinh",
    )
    assert draft.organization == office["tree"].justice
    document_comment(actor=office["head"], document=draft, text="Bổ sung căn cứ pháp lý")
    document_update(
        actor=handler,
        document=draft,
        doc_type=DocType.OFFICIAL_LETTER,
        title="Trả lời về số hóa sổ hộ tịch",
        body="Căn cứ Luật Hộ tịch 2014, Sở Tư pháp trả lời như sau.",
        recipient_name="UBND phường Thành Vinh",
    )
    detail = document_detail(actor=office["leader"], document_id=draft.pk)
    assert [v.number for v in detail.versions] == [1, 2]
    assert [(c.version, c.text) for c in detail.comments] == [(1, "Bổ sung căn cứ pháp lý")]
    document_transition(actor=handler, document=draft, action="submit")
    document_transition(actor=office["leader"], document=draft, action="approve")
    with pytest.raises(Conflict):
        document_comment(actor=office["head"], document=draft, text="Muộn")


def test_tasks_with_progress_and_result(office: dict[str, Any], units: dict[str, Any]) -> None:
    leader, handler, co = office["leader"], office["handler"], office["co"]
    document = _incoming(office, units)
    due = add_working_days(timezone.localdate(), 3)
    task = task_create(
        actor=leader,
        title="Rà soát sổ hộ tịch năm 2025",
        owner_id=handler.pk,
        co_worker_ids=[co.pk],
        deadline=due,
        document=document,
    )
    with pytest.raises(ValidationFailed):
        task_create(actor=leader, title="X", owner_id=office["outsider"].pk, deadline=due)
    assert [t for t, _ in today_for(co).tasks] == [task]
    task_transition(actor=co, task=task, action="progress", note="Đã rà 5 xã", progress=40)
    assert task.status == TaskStatus.DOING and task.progress == 40
    with pytest.raises(PermissionDenied):
        task_transition(actor=co, task=task, action="complete", note="Xong")
    result = incoming_factory(
        units["province"], organization=office["tree"].justice, number="2", sequence=2
    )
    task_transition(
        actor=handler, task=task, action="complete", note="Đã rà xong", result_document_id=result.pk
    )
    detail = task_detail(actor=leader, task_id=task.pk)
    assert detail.task.status == TaskStatus.DONE and detail.task.result_document == result
    assert [e.action for e in detail.events] == ["create", "progress", "complete"]
    assert today_for(co).tasks == []


def test_overdue_tasks_are_flagged(office: dict[str, Any]) -> None:
    task = task_create(
        actor=office["leader"],
        title="Báo cáo quý",
        owner_id=office["handler"].pk,
        deadline=timezone.localdate(),
    )
    type(task).objects.filter(pk=task.pk).update(deadline=timezone.localdate() - dt.timedelta(1))
    assert today_for(office["handler"]).tasks[0][1] is True


def test_calendar_published_and_public(office: dict[str, Any]) -> None:
    today = timezone.localdate()
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 0)))
    entry = calendar_entry_create(
        actor=office["clerk"],
        starts_at=at,
        title="Giao ban Sở",
        location="Phòng họp tầng 2",
        leader_id=office["leader"].pk,
    )
    public = calendar_entry_create(
        actor=office["clerk"], starts_at=at, title="Tiếp công dân định kỳ", is_public=True
    )
    justice = office["tree"].justice
    assert calendar_week(justice, week_of(today)) == []
    assert today_for(office["handler"]).calendar == []
    with pytest.raises(PermissionDenied):
        calendar_week_publish(actor=office["clerk"], monday=week_of(today))
    assert calendar_week_publish(actor=office["leader"], monday=week_of(today)) == 2
    assert calendar_week(justice, week_of(today)) == [entry, public]
    assert calendar_week(justice, week_of(today), public_only=True) == [public]
    assert today_for(office["handler"]).calendar == [entry, public]
    with pytest.raises(ValidationFailed):
        calendar_entry_create(actor=office["clerk"], starts_at=at, ends_at=at, title="Họp")


def test_issuing_to_organizations_delivers_to_each(
    office: dict[str, Any], units: dict[str, Any]
) -> None:
    tree = office["tree"]
    handler, leader = office["handler"], office["leader"]
    with pytest.raises(ValidationFailed, match="Gửi tới cơ quan"):
        document_create(
            actor=handler,
            doc_type=DocType.OFFICIAL_LETTER,
            title="Hướng dẫn",
            body="Nội dung",
            recipient_organization_ids=[tree.justice.pk],  # its own agency
        )
    draft = document_create(
        actor=handler,
        doc_type=DocType.OFFICIAL_LETTER,
        title="Hướng dẫn số hóa sổ hộ tịch",
        body="Sở Tư pháp hướng dẫn như sau.",
        recipient_organization_ids=[tree.commune.pk, tree.commune_b.pk],
    )
    for actor, action in ((handler, "submit"), (leader, "approve"), (leader, "sign")):
        document_transition(actor=actor, document=draft, action=action)
    document_transition(actor=leader, document=draft, action="issue")
    arrived = Document.objects.filter(source_document=draft).order_by("unit__path")
    assert [(d.unit, d.organization, d.signature_valid) for d in arrived] == [
        (units["a"], tree.commune, True),
        (units["b"], tree.commune_b, True),
    ]
    detail = document_detail(actor=leader, document_id=draft.pk)
    assert all(r.delivered is not None for r in detail.recipients)
