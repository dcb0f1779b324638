"""Tasks (giao việc): given from a document or on their own, with an owner, co-workers and a
deadline; progress reports; completion with a result document. Status changes go through
``TASK_LIFECYCLE`` (ADR 9)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import permits, require
from hotich.accounts.selectors import users_allowed
from hotich.agencies.selectors import user_ids_in
from hotich.audit.services import audit_record
from hotich.core import dates
from hotich.core.errors import NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.text import nfc
from hotich.documents.models import Document, Task, TaskEvent
from hotich.documents.services.common import clean_text, lazy_format, own_unit
from hotich.documents.services.routing import own_organization
from hotich.documents.vocabulary import TASK_OBJECT_TYPE, TaskAction, TaskStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from hotich.accounts.models import User

MAX_CO_WORKERS = 20
#: who gives tasks: leaders and the officers who route documents
GIVE = ("documents.approve", "documents.handle")


def task_people(actor: Actor) -> QuerySet[User]:
    """Whom the actor may give a task to: the active users of their unit allowed to handle
    documents, within their agency when they act in one."""
    unit = own_unit(actor)
    users = users_allowed(unit=unit, action="documents.handle")
    agency = own_organization(actor)
    if agency is not None:
        users = users.filter(pk__in=user_ids_in(agency))
    return users.order_by("full_name", "username")


def _involved(actor: Actor, task: Task) -> bool:
    if actor is None:
        return True
    user_id = getattr(actor, "pk", None)
    return (
        task.owner_id == user_id
        or task.created_by_id == user_id
        or task.co_workers.filter(pk=user_id or 0).exists()
    )


def task_in_reach(actor: Actor, task: Task) -> None:
    """A task of the actor's unit and, when they act in an agency, of that agency; else it does
    not exist for them (``NotFound``)."""
    if actor is None:
        return
    agency = own_organization(actor)
    outside = agency is not None and (
        task.organization is None or not task.organization.path.startswith(agency.path)
    )
    if task.unit_id != getattr(actor, "unit_id", None) or outside:
        raise NotFound(_("Không tìm thấy nhiệm vụ."), field="task")


def _must_be_owner(step: Step[Task]) -> None:
    actor, task = step.actor, step.obj
    if actor is not None and getattr(actor, "pk", None) not in (task.owner_id, task.created_by_id):
        raise PermissionDenied(_("Chỉ người chủ trì hoặc người giao nhiệm vụ làm được việc này."))


def _progress(step: Step[Task]) -> None:
    if not _involved(step.actor, step.obj):
        raise PermissionDenied(_("Bạn không tham gia nhiệm vụ này."))
    value = step.params.get("progress")
    if value is not None:
        if not 0 <= int(value) <= 100:
            raise ValidationFailed(_("Tiến độ: từ 0 đến 100%."), field="progress")
        step.obj.progress = int(value)


def _start(step: Step[Task]) -> None:
    if not _involved(step.actor, step.obj):
        raise PermissionDenied(_("Bạn không tham gia nhiệm vụ này."))


def _complete(step: Step[Task]) -> None:
    _must_be_owner(step)
    task, result_id = step.obj, step.params.get("result_document_id")
    if result_id:
        result = Document.objects.filter(pk=result_id, unit_id=task.unit_id).first()
        if result is None:
            raise ValidationFailed(
                _("Văn bản kết quả: chọn một văn bản của đơn vị."), field="result_document"
            )
        task.result_document = result
    task.result_note = step.note
    task.progress = 100
    task.completed_at = timezone.now()


def _cancel(step: Step[Task]) -> None:
    _must_be_owner(step)


def _history(step: Step[Task]) -> None:
    TaskEvent.objects.create(
        task=step.obj,
        action=step.action.name,
        from_status=step.from_status,
        to_status=step.obj.status,
        progress=step.obj.progress,
        actor=acting_user(step.actor),
        actor_name=actor_name(step.actor, full=True),
        note=step.note[:1000],
    )


TASK_LIFECYCLE = Lifecycle(
    model=Task,
    object_type=TASK_OBJECT_TYPE,
    noun=_("nhiệm vụ"),
    statuses=TaskStatus,
    actions=[
        Action(
            TaskAction.START, TaskAction.START.label, "documents.view", TaskStatus.DOING, _start
        ),
        Action(
            TaskAction.PROGRESS,
            TaskAction.PROGRESS.label,
            "documents.view",
            TaskStatus.DOING,
            _progress,
            note_required=_("Báo cáo tiến độ: cần ghi nội dung."),
        ),
        Action(
            TaskAction.COMPLETE,
            TaskAction.COMPLETE.label,
            "documents.view",
            TaskStatus.DONE,
            _complete,
            note_required=_("Hoàn thành: cần ghi kết quả."),
        ),
        Action(
            TaskAction.CANCEL,
            TaskAction.CANCEL.label,
            "documents.view",
            TaskStatus.CANCELLED,
            _cancel,
            note_required=_("Hủy nhiệm vụ: cần ghi lý do."),
        ),
    ],
    table={
        TaskStatus.TODO: (TaskAction.START, TaskAction.PROGRESS, TaskAction.CANCEL),
        TaskStatus.DOING: (TaskAction.PROGRESS, TaskAction.COMPLETE, TaskAction.CANCEL),
        TaskStatus.DONE: (),
        TaskStatus.CANCELLED: (),
    },
    initial=(TaskStatus.TODO,),
    other_steps={"create": _("Giao nhiệm vụ")},
    scope=task_in_reach,
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("unit", "owner", "organization"),
)


@transaction.atomic
def task_create(
    *,
    actor: Actor,
    title: str,
    owner_id: int,
    deadline: dt.date,
    description: str = "",
    co_worker_ids: list[int] | tuple[int, ...] = (),
    document: Document | None = None,
) -> Task:
    """Give a task to ``owner_id`` with co-workers, due on ``deadline``; from ``document`` (of
    the actor's unit) when given."""
    require(actor, GIVE)
    unit = own_unit(actor)
    title = clean_text(title, field="title", label=_("Tên nhiệm vụ"), max_length=300, required=True)
    people = task_people(actor)
    owner = people.filter(pk=owner_id).first()
    if owner is None:
        raise ValidationFailed(_("Người chủ trì: chọn một cán bộ của cơ quan."), field="owner")
    wanted = {int(i) for i in co_worker_ids} - {owner.pk}
    if len(wanted) > MAX_CO_WORKERS:
        raise ValidationFailed(
            lazy_format(_("Phối hợp: tối đa %(n)s người."), n=MAX_CO_WORKERS), field="co_workers"
        )
    co_workers = list(people.filter(pk__in=wanted))
    if len(co_workers) != len(wanted):
        raise ValidationFailed(_("Phối hợp: chọn cán bộ của cơ quan."), field="co_workers")
    if deadline < timezone.localdate():
        raise ValidationFailed(_("Hạn hoàn thành: không được trước hôm nay."), field="deadline")
    if document is not None and document.unit_id != unit.pk:
        raise NotFound(_("Không tìm thấy văn bản."), field="document")
    task = Task.objects.create(
        unit=unit,
        organization=own_organization(actor),
        title=title,
        description=nfc(description or "")[:10_000],
        document=document,
        owner=owner,
        deadline=deadline,
        created_by=acting_user(actor),
    )
    task.co_workers.set(co_workers)
    return _task_created(
        actor,
        task,
        detail={"document": document.pk if document else None, "co_workers": len(co_workers)},
    )


def task_transition(
    *,
    actor: Actor,
    task: Task,
    action: str,
    note: str = "",
    progress: int | None = None,
    result_document_id: int | None = None,
) -> Task:
    """``start``, ``progress`` (a note and the percentage), ``complete`` (the result as the note,
    a result document of the unit), ``cancel`` (a reason)."""
    TASK_LIFECYCLE.transition(
        actor=actor,
        obj=task,
        action=action,
        note=nfc(note or ""),
        progress=progress,
        result_document_id=result_document_id,
    )
    task.refresh_from_db()
    return task


@transaction.atomic
def task_send(
    *,
    actor: Actor,
    owner: User,
    title: str,
    deadline: dt.date,
    description: str = "",
    document: Document | None = None,
) -> Task:
    """Give a task to ``owner`` on behalf of a body that has no register of its own (a party
    committee sending a directive to the cells under it): the task belongs to the owner's unit
    and agency, so it is in their list of tasks; ``document`` is the paper received there. The
    calling context decides who may send it; the actor must be able to use the e-office."""
    if actor is not None:
        require(actor, "documents.view")
    title = clean_text(title, field="title", label=_("Tên nhiệm vụ"), max_length=300, required=True)
    if document is not None and document.unit_id != owner.unit_id:
        raise NotFound(_("Không tìm thấy văn bản."), field="document")
    if owner.unit_id is None:
        raise ValidationFailed(_("Người chủ trì chưa thuộc đơn vị nào."), field="owner")
    task = Task.objects.create(
        unit_id=owner.unit_id,
        organization=own_organization(owner),
        title=title,
        description=nfc(description or "")[:10_000],
        document=document,
        owner=owner,
        deadline=deadline,
        created_by=acting_user(actor),
    )
    return _task_created(
        actor, task, detail={"document": document.pk if document else None, "sent": True}
    )


def _task_created(actor: Actor, task: Task, *, detail: dict[str, object]) -> Task:
    """The new task's first event on its timeline and its audit entry."""
    TaskEvent.objects.create(
        task=task,
        action="create",
        to_status=task.status,
        actor=acting_user(actor),
        actor_name=actor_name(actor, full=True),
        note=f"→ {actor_name(task.owner, full=True)} · {dates.display(task.deadline)}",
    )
    audit_record(
        actor=actor,
        action="create",
        object_type=TASK_OBJECT_TYPE,
        object_id=task.pk,
        after=task.state(),
        detail=detail,
    )
    return task
