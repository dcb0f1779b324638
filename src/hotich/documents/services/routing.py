"""Routing an incoming document (Decree 30/2020/NĐ-CP): the clerk proposes, the leader writes
an instruction (bút phê) naming a lead handler and co-handlers with a deadline in working days;
the lead handler forwards, asks for opinions and reports back. Each step is an action of the
document life cycle, so the route is the document's one history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import can
from hotich.accounts.selectors import users_allowed
from hotich.agencies.selectors import acting_agency, user_ids_in
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Step
from hotich.core.workdays import add_working_days
from hotich.documents.models import Assignment, Document
from hotich.documents.services.common import lazy_format
from hotich.documents.vocabulary import AssignmentRole

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization

DEFAULT_HANDLING_DAYS = 10
MAX_HANDLING_DAYS = 120
MAX_PEOPLE = 20


def own_organization(actor: Actor) -> Organization | None:
    """The agency a new document of ``actor`` belongs to (None for the system, or a user who
    holds no position)."""
    return None if actor is None else acting_agency(actor)


def route_candidates(document: Document) -> QuerySet[User]:
    """Who may be on the document's route: the active users of its agency (and its sections)
    allowed to handle documents; without an agency, those of its unit."""
    users = users_allowed(unit=document.unit, action="documents.handle")
    if document.organization is not None:
        users = users.filter(pk__in=user_ids_in(document.organization))
    return users.order_by("full_name", "username")


def _pick(document: Document, ids: Any, *, field: str, label: Any) -> list[User]:
    wanted = [int(i) for i in ids or () if str(i).strip()]
    if len(wanted) > MAX_PEOPLE:
        raise ValidationFailed(
            lazy_format(_("%(label)s: tối đa %(n)s người."), label=label, n=MAX_PEOPLE),
            field=field,
        )
    found = {u.pk: u for u in route_candidates(document).filter(pk__in=wanted)}
    if len(found) != len(set(wanted)):
        raise ValidationFailed(
            lazy_format(
                _("%(label)s: chọn cán bộ của cơ quan có quyền xử lý văn bản."), label=label
            ),
            field=field,
        )
    return [found[i] for i in dict.fromkeys(wanted)]


def handling_deadline(days: int | None) -> Any:
    """The date ``days`` working days from today (10 by default)."""
    count = DEFAULT_HANDLING_DAYS if days is None else days
    if not 1 <= count <= MAX_HANDLING_DAYS:
        raise ValidationFailed(
            lazy_format(_("Thời hạn xử lý: từ 1 đến %(n)s ngày làm việc."), n=MAX_HANDLING_DAYS),
            field="days",
        )
    return add_working_days(timezone.localdate(), count)


def _lead(document: Document) -> Assignment | None:
    return document.assignments.filter(role=AssignmentRole.LEAD, active=True).first()


def _must_lead(actor: Actor, document: Document) -> None:
    """Only the lead handler (or a leader, who may take the route back) acts for the route."""
    if actor is None or can(actor, "documents.approve"):
        return
    lead = _lead(document)
    if lead is None or lead.user_id != actor.pk:
        raise PermissionDenied(_("Chỉ người chủ trì xử lý văn bản mới làm được việc này."))


def run_instruct(step: Step[Document]) -> None:
    """The leader's instruction: lead handler, co-handlers, deadline."""
    document, params = step.obj, step.params
    leads = _pick(document, [params.get("handler_id")], field="handler", label=_("Chủ trì"))
    if not leads:
        raise ValidationFailed(_("Chủ trì: chọn một người chủ trì xử lý."), field="handler")
    lead = leads[0]
    co = [u for u in _pick(document, params.get("co_ids"), field="co", label=_("Phối hợp"))]
    co = [u for u in co if u.pk != lead.pk]
    deadline = handling_deadline(params.get("days"))
    document.assignments.filter(active=True, answered_at=None).update(active=False)
    assigned_by = acting_user(step.actor)
    for user, role in [(lead, AssignmentRole.LEAD), *((u, AssignmentRole.CO) for u in co)]:
        Assignment.objects.create(
            document=document,
            user=user,
            role=role,
            assigned_by=assigned_by,
            instruction=step.note,
            deadline=deadline,
        )
    document.handler, document.deadline = lead, deadline
    names = ", ".join(actor_name(u, full=True) for u in co)
    step.note = str(
        lazy_format(
            _("%(note)s · Chủ trì: %(lead)s%(co)s · Hạn: %(deadline)s"),
            note=step.note,
            lead=actor_name(lead, full=True),
            co=f" · {_('Phối hợp')}: {names}" if names else "",
            deadline=deadline.strftime("%d/%m/%Y"),
        )
    )


def run_forward(step: Step[Document]) -> None:
    """The lead handler hands the lead on (a head of section to a specialist, say)."""
    document = step.obj
    _must_lead(step.actor, document)
    new = _pick(document, [step.params.get("handler_id")], field="handler", label=_("Chủ trì"))
    if not new:
        raise ValidationFailed(_("Chuyển xử lý: chọn người nhận."), field="handler")
    lead = _lead(document)
    if lead is not None:
        if lead.user_id == new[0].pk:
            raise ValidationFailed(_("Người này đang chủ trì xử lý."), field="handler")
        lead.active = False
        lead.save(update_fields=["active"])
    Assignment.objects.create(
        document=document,
        user=new[0],
        role=AssignmentRole.LEAD,
        assigned_by=acting_user(step.actor),
        instruction=step.note,
        deadline=document.deadline,
    )
    document.handler = new[0]
    step.note = f"→ {actor_name(new[0], full=True)}" + (f" · {step.note}" if step.note else "")


def run_consult(step: Step[Document]) -> None:
    document = step.obj
    _must_lead(step.actor, document)
    people = _pick(document, step.params.get("co_ids"), field="co", label=_("Xin ý kiến"))
    if not people:
        raise ValidationFailed(_("Xin ý kiến: chọn ít nhất một người."), field="co")
    for user in people:
        Assignment.objects.create(
            document=document,
            user=user,
            role=AssignmentRole.OPINION,
            assigned_by=acting_user(step.actor),
            instruction=step.note,
            deadline=document.deadline,
        )
    names = ", ".join(actor_name(u, full=True) for u in people)
    step.note = f"→ {names} · {step.note}"


def run_opinion(step: Step[Document]) -> None:
    """A co-handler's or a consulted person's answer."""
    asked = (
        step.obj.assignments.filter(
            user_id=getattr(step.actor, "pk", 0),
            role__in=(AssignmentRole.CO, AssignmentRole.OPINION),
            active=True,
            answered_at=None,
        )
        .order_by("pk")
        .first()
    )
    if asked is None:
        raise PermissionDenied(_("Không có ai xin ý kiến của bạn về văn bản này."))
    asked.answer, asked.answered_at = step.note, timezone.now()
    asked.save(update_fields=["answer", "answered_at"])


def run_report(step: Step[Document]) -> None:
    """The lead handler reports the result: the document is processed."""
    document = step.obj
    _must_lead(step.actor, document)
    lead = _lead(document)
    if lead is not None:
        lead.answer, lead.answered_at = step.note, timezone.now()
        lead.save(update_fields=["answer", "answered_at"])
