"""Dossiers: filing online or at the desk, the one transition function over the status table,
supplements (the clock stops and restarts), results, ratings and deadline flags."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_labels, actor_name
from hotich.accounts.authz import can, require, unit_in_scope
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, DomainError, FormInvalid, NotFound, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.workdays import add_working_days, working_days_between
from hotich.portal.forms_schema import clean_form, registry_input
from hotich.portal.models import (
    Channel,
    Citizen,
    Dossier,
    DossierEvent,
    Payment,
    PaymentStatus,
    Procedure,
    Rating,
    Status,
)
from hotich.portal.result import render_result_pdf
from hotich.portal.selectors import OPEN_STATUSES, calendar_overrides, deadline_flag
from hotich.portal.services.files import Upload, check_uploads, remove_stored, store_uploads
from hotich.portal.services.notifications import contact_channel, notification_send
from hotich.registry.extracts.services import extract_issue
from hotich.registry.selectors import record_for_copy
from hotich.registry.services import record_create
from hotich.signing.services import document_sign, new_verify_code

if TYPE_CHECKING:
    from hotich.geo.models import Unit

log = logging.getLogger(__name__)
OBJECT_TYPE = "portal.dossier"
CITIZEN = "citizen"  # the permission of actions a citizen takes on their own dossier
COPY_PROCEDURE = "2.000635"

#: what the citizen is told at each step
MESSAGES: dict[str, Any] = {
    Status.SUBMITTED: _("Hồ sơ {code} đã được nộp, đang chờ tiếp nhận."),
    Status.RECEIVED: _("Hồ sơ {code} đã được tiếp nhận; hẹn trả kết quả ngày {due}."),
    Status.SUPPLEMENT: _("Hồ sơ {code} cần bổ sung: {note}"),
    Status.IN_PROGRESS: _("Hồ sơ {code} đang được xử lý."),
    Status.APPROVED: _("Hồ sơ {code} đã được duyệt, đang chờ ký."),
    Status.SIGNED: _("Kết quả hồ sơ {code} đã được ký số."),
    Status.RETURNED: _("Đã trả kết quả hồ sơ {code}; bạn có thể tải kết quả trên cổng."),
    Status.REJECTED: _("Hồ sơ {code} bị từ chối: {note}"),
}

#: by SMS the reason of a supplement request or a refusal is not sent (it may name people)
SMS_MESSAGES: dict[str, Any] = {
    Status.SUPPLEMENT: _("Hồ sơ {code} cần bổ sung giấy tờ; xem chi tiết trên cổng dịch vụ công."),
    Status.REJECTED: _("Hồ sơ {code} bị từ chối; xem lý do trên cổng dịch vụ công."),
}


def dossier_history(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's steps as an officer reads them: labels and names, never codes."""
    events = list(dossier.events.all())
    actors = actor_labels(e.actor_name for e in events)
    return DOSSIER_LIFECYCLE.history_words(events, actors, "note")


def dossier_timeline(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's steps as its citizen reads them: each new status once, and a step that
    keeps the status (the fee paid) by what was done."""
    lifecycle = DOSSIER_LIFECYCLE
    lines: list[dict[str, Any]] = []
    for e in dossier.events.all():
        kept = e.from_status == e.to_status
        text = lifecycle.label(e.action) if kept else lifecycle.status_label(e.to_status)
        if lines and lines[-1]["text"] == text and not e.note:
            continue
        lines.append({"at": e.at, "text": text, "note": e.note})
    return lines


def allowed_actions(actor: Actor, dossier: Dossier) -> list[str]:
    """The actions ``actor`` (a staff user) may take on ``dossier`` now."""
    return [action.name for action in DOSSIER_LIFECYCLE.allowed(actor, dossier)]


def new_dossier_code() -> str:
    """``HS-`` and four groups of four base32 characters: 80 random bits, so a code cannot be
    guessed."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "HS-" + "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _fee(procedure: Procedure, form_data: Mapping[str, str]) -> int:
    copies = int(form_data.get("copies") or 0)
    if copies > 20:
        raise ValidationFailed(_("Số bản sao: tối đa 20 bản."), field="copies")
    return procedure.fee + procedure.copy_fee * copies


def _check_unit(procedure: Procedure, unit: Unit | None) -> Unit:
    if unit is None or unit.era != "n":
        raise ValidationFailed(_("Chưa chọn cơ quan giải quyết."), field="unit")
    if procedure.authority_level == "commune" and unit.level != "commune":
        raise ValidationFailed(_("Thủ tục này do Ủy ban nhân dân cấp xã giải quyết."), field="unit")
    return unit


def _check_required_documents(procedure: Procedure, uploads: Sequence[Upload]) -> None:
    given = {u.doc_key for u in uploads}
    missing = {
        f"file_{doc['key']}": format_lazy(
            _("Thiếu thành phần hồ sơ bắt buộc: {name}."), name=doc["name"]
        )
        for doc in procedure.required_documents
        if doc.get("required") and doc["key"] not in given
    }
    if missing:
        raise FormInvalid.collect(
            [ValidationFailed(message, field=name) for name, message in missing.items()]
        )


def _event(dossier: Dossier, action: str, from_status: str, actor_name: str, note: str) -> None:
    """Record a step (and, when the status changes, add it to the public history; the caller
    saves the dossier)."""
    now = timezone.now()
    DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor_name=actor_name[:150],
        note=note[:500],
        at=now,
    )
    if from_status != dossier.status:
        day = timezone.localtime(now).date().isoformat()
        dossier.public_history = [*dossier.public_history, [day, dossier.status]]
        Dossier.objects.filter(pk=dossier.pk).update(public_history=dossier.public_history)


def _notify(dossier: Dossier, note: str = "") -> None:
    """One message per status change. By SMS, in Vietnamese, it names nothing but the dossier's
    code (and the due date): no note, which may hold personal details; the portal shows them."""
    template = MESSAGES.get(dossier.status)
    if template is None or not dossier.applicant_contact:
        return
    due = dossier.due_date.strftime("%d/%m/%Y") if dossier.due_date else ""
    by_sms = contact_channel(dossier.applicant_contact) == "sms"
    if by_sms:
        with translation.override("vi"):
            subject = str(_("Dịch vụ công hộ tịch: cập nhật hồ sơ"))
            body = str(SMS_MESSAGES.get(dossier.status, template)).format(
                code=dossier.code, due=due, note=""
            )
    else:
        subject = str(_("Dịch vụ công hộ tịch: cập nhật hồ sơ"))
        body = str(template).format(code=dossier.code, due=due, note=note)
    notification_send(
        recipient=dossier.applicant_contact, subject=subject, body=body, dossier=dossier
    )


def _applicant(procedure: Procedure, form_data: Mapping[str, str]) -> str:
    key = procedure.form_schema.get("applicant", "")
    return (form_data.get(key) or "")[:100]


def _create(
    *,
    actor: Actor,
    citizen: Citizen | None,
    procedure: Procedure,
    unit: Unit | None,
    form_data: Mapping[str, Any],
    uploads: Sequence[Upload],
    channel: str,
    contact: str,
    received_at: dt.datetime | None = None,
) -> Dossier:
    if not procedure.is_active:
        raise NotFound(_("Không tìm thấy thủ tục."), field="procedure")
    if channel == Channel.ONLINE and not procedure.is_online:
        raise ValidationFailed(_("Thủ tục này chưa nộp trực tuyến được."), field="procedure")
    # Every input is checked before anything is refused, so the form shows all its errors.
    errors: list[DomainError] = []
    checked_unit = clean = None
    fee = 0
    try:
        checked_unit = _check_unit(procedure, unit)
    except ValidationFailed as exc:
        errors.append(exc)
    try:
        clean = clean_form(procedure.form_schema, form_data)
        fee = _fee(procedure, clean)
    except ValidationFailed as exc:
        errors.append(exc)
    try:
        check_uploads(uploads, allowed_keys=[d["key"] for d in procedure.required_documents])
        _check_required_documents(procedure, uploads)
    except ValidationFailed as exc:
        errors.append(exc)
    if errors:
        raise FormInvalid.collect(errors)
    assert checked_unit is not None and clean is not None
    unit = checked_unit
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            dossier = Dossier(
                code=new_dossier_code(),
                procedure=procedure,
                unit=unit,
                citizen=citizen,
                channel=channel,
                status=Status.SUBMITTED,
                applicant_name=_applicant(procedure, clean),
                applicant_contact=contact,
                form_data=clean,
                fee=fee,
                submitted_at=now,
                created_by=acting_user(actor),
            )
            dossier.save()
            store_uploads(dossier, uploads, source="citizen" if citizen else "desk", stored=stored)
            _event(dossier, "submit", "", actor_name(actor), "")
            audit_record(
                actor=actor,
                action="create",
                object_type=OBJECT_TYPE,
                object_id=dossier.pk,
                after=dossier.state(),
                detail={
                    "channel": channel,
                    "procedure": procedure.code,
                    "files": len(uploads),
                    "citizen": citizen.pk if citizen else None,
                },
            )
            if channel == Channel.DESK:
                if fee:
                    _paid(dossier, provider="cash", transaction_id=f"desk-{dossier.pk}")
                dossier = dossier_transition(
                    actor=actor,
                    dossier=dossier,
                    action="receive",
                    today=timezone.localdate(received_at) if received_at else None,
                    received_at=received_at,
                )
            else:
                _notify(dossier)
    except Exception:
        remove_stored(stored)
        raise
    return dossier


def dossier_submit(
    *,
    citizen: Citizen,
    procedure: Procedure,
    unit: Unit | None,
    form_data: Mapping[str, Any],
    uploads: Sequence[Upload] = (),
) -> Dossier:
    """A citizen files a dossier online. Everything is checked before anything is written, and
    nothing is kept if a step fails (files written are removed)."""
    contact = citizen.contact
    return _create(
        actor=citizen,
        citizen=citizen,
        procedure=procedure,
        unit=unit,
        form_data=form_data,
        uploads=uploads,
        channel=Channel.ONLINE,
        contact=contact,
    )


def dossier_enter_paper(
    *,
    actor: Actor,
    procedure: Procedure,
    form_data: Mapping[str, Any],
    uploads: Sequence[Upload] = (),
    contact: str = "",
    received_at: dt.datetime | None = None,
) -> Dossier:
    """The desk enters a paper dossier (its papers scanned as ``uploads``): it is received at
    once, in the officer's unit, and the fee is taken in cash. ``received_at``: when the desk
    took the papers, if earlier than now (entered offline and sent when the line returned): the
    working-day deadline counts from that day."""
    user = require(
        actor, "portal.receive", message=_("Bạn không có quyền tiếp nhận hồ sơ."), system=False
    )
    contact = contact.strip()
    if contact:
        from hotich.portal.services.citizens import normalize_contact

        contact = normalize_contact(contact)[0]
    return _create(
        actor=actor,
        citizen=None,
        procedure=procedure,
        unit=user.unit,
        form_data=form_data,
        uploads=uploads,
        channel=Channel.DESK,
        contact=contact,
        received_at=received_at,
    )


@transaction.atomic
def _run_receive(step: Step[Dossier]) -> None:
    dossier, today = step.obj, step.params["today"]
    dossier.received_at = step.params.get("received_at") or timezone.now()
    dossier.due_date = add_working_days(
        today, dossier.procedure.processing_days, calendar_overrides()
    )


def _run_request_supplement(step: Step[Dossier]) -> None:
    if step.obj.due_date is not None:
        step.obj.paused_on = step.params["today"]  # the clock stops


def _run_resubmit(step: Step[Dossier]) -> None:
    dossier, today = step.obj, step.params["today"]
    if dossier.due_date is not None and dossier.paused_on is not None:
        # the clock restarts with the working days that were left when it stopped
        overrides = calendar_overrides()
        left = working_days_between(dossier.paused_on, dossier.due_date, overrides)
        dossier.due_date = add_working_days(today, left, overrides)
    dossier.paused_on = None
    step.to_status = Status.RECEIVED if dossier.received_at else Status.SUBMITTED


def _run_assign(step: Step[Dossier]) -> None:
    dossier = step.obj
    assignee = step.params["assignee"] or step.actor
    if not (can(assignee, "portal.process") and unit_in_scope(assignee, dossier.unit)):
        raise ValidationFailed(
            _("Người được phân công không xử lý được hồ sơ này."), field="assignee"
        )
    dossier.assigned_to = assignee


def _run_approve(step: Step[Dossier]) -> None:
    p = step.params
    _approve(
        step.actor,
        step.obj,
        related_record=p["related_record"],
        confirm_warnings=p["confirm_warnings"],
        today=p["today"],
    )


def _run_sign(step: Step[Dossier]) -> None:
    _sign(step.actor, step.obj)
    step.obj.resolved_at = timezone.now()


def _run_reject(step: Step[Dossier]) -> None:
    step.obj.resolved_at = timezone.now()
    step.obj.note = step.note


def _run_return(step: Step[Dossier]) -> None:
    dossier = step.obj
    if dossier.fee and not _is_paid(dossier):
        raise Conflict(_("Hồ sơ chưa thanh toán lệ phí."), field="payment", code="unpaid")
    dossier.returned_at = timezone.now()


def _in_reach(actor: Actor, dossier: Dossier) -> None:
    """A citizen reaches their own dossiers; an officer the dossiers of their units."""
    if isinstance(actor, Citizen):
        if dossier.citizen_id != actor.pk:
            raise NotFound(_("Không tìm thấy hồ sơ."))
    elif not unit_in_scope(actor, dossier.unit):
        raise NotFound(_("Không tìm thấy hồ sơ."))


def _permits(actor: Actor, permission: str) -> bool:
    if permission == CITIZEN:
        return isinstance(actor, Citizen)
    return not isinstance(actor, Citizen) and can(actor, permission)


def _record_and_notify(step: Step[Dossier]) -> None:
    dossier = step.obj
    _event(dossier, step.action.name, step.from_status, actor_name(step.actor), step.note)
    if step.from_status != dossier.status or step.action.name == "resubmit":
        _notify(dossier, step.note)


REASON_REQUIRED = _("Cần ghi rõ lý do / nội dung cần bổ sung.")
_BACK = (Status.RECEIVED, Status.SUBMITTED)

DOSSIER_LIFECYCLE = Lifecycle(
    model=Dossier,
    object_type=OBJECT_TYPE,
    noun=_("hồ sơ"),
    statuses=Status,
    actions=[
        Action("receive", _("Tiếp nhận"), "portal.receive", Status.RECEIVED, _run_receive),
        Action(
            "request_supplement",
            _("Yêu cầu bổ sung"),
            "portal.process",
            Status.SUPPLEMENT,
            _run_request_supplement,
            note_required=REASON_REQUIRED,
            permission_in={Status.SUBMITTED: "portal.receive"},
        ),
        Action(
            "reject",
            _("Từ chối"),
            "portal.process",
            Status.REJECTED,
            _run_reject,
            note_required=REASON_REQUIRED,
            permission_in={Status.SUBMITTED: "portal.receive"},
        ),
        Action("assign", _("Phân công xử lý"), "portal.receive", Status.IN_PROGRESS, _run_assign),
        Action("resubmit", _("Nộp bổ sung"), CITIZEN, _BACK, _run_resubmit),
        Action(
            "resubmit_desk",
            _("Nhận hồ sơ bổ sung tại quầy"),
            "portal.receive",
            _BACK,
            _run_resubmit,
        ),
        Action("approve", _("Duyệt"), "portal.approve", Status.APPROVED, _run_approve),
        Action("sign", _("Ký số kết quả"), "portal.sign", Status.SIGNED, _run_sign),
        Action("return", _("Trả kết quả"), "portal.receive", Status.RETURNED, _run_return),
    ],
    table={
        Status.SUBMITTED: ("receive", "request_supplement", "reject"),
        Status.RECEIVED: ("assign", "request_supplement", "reject"),
        Status.SUPPLEMENT: ("resubmit", "resubmit_desk"),
        Status.IN_PROGRESS: ("assign", "approve", "request_supplement", "reject"),
        Status.APPROVED: ("sign",),
        Status.SIGNED: ("return",),
        Status.RETURNED: (),
        Status.REJECTED: (),
    },
    initial=(Status.SUBMITTED,),
    other_steps={"submit": _("Nộp hồ sơ"), "pay": _("Thanh toán lệ phí")},
    scope=_in_reach,
    permits=_permits,
    history=_record_and_notify,
    audit=audit_record,
    audit_actor=lambda actor: None if isinstance(actor, Citizen) else actor,
    select_related=("procedure", "unit"),
    status_first=True,
)


def dossier_transition(
    *,
    actor: Actor,
    dossier: Dossier,
    action: str,
    note: str = "",
    assignee: Any = None,
    related_record: int | None = None,
    confirm_warnings: bool | Collection[str] = False,
    today: dt.date | None = None,
    received_at: dt.datetime | None = None,
) -> Dossier:
    """Apply one action of :data:`DOSSIER_LIFECYCLE`: a citizen acts on their own dossier, an
    officer on the dossiers of their units (outside: NotFound); the citizen is notified.
    ``confirm_warnings`` is passed to the registry when approving registers a record."""
    return DOSSIER_LIFECYCLE.transition(
        actor=actor,
        obj=dossier,
        action=action,
        note=note,
        assignee=assignee,
        related_record=related_record,
        confirm_warnings=confirm_warnings,
        today=today or timezone.localdate(),
        received_at=received_at,
    )


_NO_PARAMS: dict[str, Any] = {
    "assignee": None,
    "related_record": None,
    "confirm_warnings": False,
}


def _is_paid(dossier: Dossier) -> bool:
    return dossier.payments.filter(status=PaymentStatus.PAID).exists()


def _paid(dossier: Dossier, *, provider: str, transaction_id: str) -> Payment:
    now = timezone.now()
    return Payment.objects.create(
        dossier=dossier,
        reference=secrets.token_hex(8).upper(),
        amount=dossier.fee,
        provider=provider,
        status=PaymentStatus.PAID,
        transaction_id=transaction_id,
        created_at=now,
        paid_at=now,
    )


# --- approval and result ---------------------------------------------------------------------


def _approve(
    actor: Actor,
    dossier: Dossier,
    *,
    related_record: int | None,
    confirm_warnings: bool | Collection[str],
    today: dt.date,
) -> None:
    """A civil-status dossier is registered in the register (the registry's rules apply and
    their errors are the officer's); a copy request finds the record the copy is issued of."""
    procedure = dossier.procedure
    data = dossier.form_data
    if procedure.code == COPY_PROCEDURE:
        birth = data.get("copy.birth_date") or ""
        dossier.record = record_for_copy(
            actor=actor,
            event_type=data.get("copy.event_type", ""),
            personal_id=data.get("copy.personal_id", ""),
            full_name=data.get("copy.full_name", ""),
            birth_date=dt.date.fromisoformat(birth) if birth else None,
        )
        return
    if not procedure.registry_event:
        return
    parties, fixed = registry_input(data, fixed=procedure.registry_data)
    changes = None
    if procedure.registry_event == "correction":
        if not related_record:
            raise ValidationFailed(
                _("Cần chọn bản ghi hộ tịch được thay đổi, cải chính."), field="related_record"
            )
        changes = {data["change.field"]: data["change.new_value"]}
    if procedure.registry_event == "birth":
        fixed.setdefault("declarant_name", data.get("applicant.full_name", ""))
        fixed.setdefault("declarant_relation", data.get("applicant.relation", ""))
    record = record_create(
        actor=actor,
        event_type=procedure.registry_event,
        registration_date=today.isoformat(),
        parties=parties,
        data=fixed,
        unit=dossier.unit,
        related_record=related_record,
        changes=changes,
        officer_name=actor_name(actor, full=True),
        legal_basis=f"Hồ sơ {dossier.code}",
        confirm_warnings=confirm_warnings,
        today=today,
    )
    dossier.record = record


def _sign(actor: Actor, dossier: Dossier) -> None:
    """Issue the signed result. A civil-status dossier's result is the register extract (or
    certificate, or copy), which the registry issues signed by the official and the unit's seal;
    any other result is rendered here and signed through the signing context."""
    procedure = dossier.procedure
    if dossier.record is not None:
        issued = extract_issue(
            actor=actor,
            record=dossier.record,
            copy=procedure.code == COPY_PROCEDURE,
            requested_by=dossier.applicant_name,
            out_storage=False,
        )
        signed, verify_code = bytes(issued.pdf), issued.verify_code
    else:
        verify_code = new_verify_code()
        document = document_sign(
            pdf=render_result_pdf(dossier, verify_code=verify_code, signer=actor),
            actor=actor,
            unit=dossier.unit,
            kind="portal_result",
            title=str(procedure.name),
            source_type=OBJECT_TYPE,
            source_id=str(dossier.pk),
            verify_code=verify_code,
            number=dossier.code,
            public={"procedure": procedure.code},
            store=False,
        )
        signed = bytes(document.pdf)
    path = archive_store(
        path=f"portal/results/{timezone.localdate().year}/{uuid.uuid4()}.pdf",
        content=signed,
        source="portal.result",
    ).path
    dossier.result_path = path
    dossier.result_sha256 = hashlib.sha256(signed).hexdigest()
    dossier.result_verify_code = verify_code
    dossier.result_signed = True


def dossier_result(*, citizen: Citizen | None, actor: Actor, dossier: Dossier) -> bytes:
    """The signed result file, for its citizen once returned, or for an officer in scope."""
    if citizen is not None:
        if dossier.citizen_id != citizen.pk or dossier.status != Status.RETURNED:
            raise NotFound(_("Không tìm thấy kết quả."))
    elif not (can(actor, "portal.view") and unit_in_scope(actor, dossier.unit)):
        raise NotFound(_("Không tìm thấy kết quả."))
    if not dossier.result_path:
        raise NotFound(_("Hồ sơ chưa có kết quả."))
    with default_storage.open(dossier.result_path, "rb") as handle:
        data: bytes = handle.read()
    audit_record(
        actor=actor,
        action="export",
        object_type=OBJECT_TYPE,
        object_id=dossier.pk,
        detail={"result": dossier.result_sha256, "by": "citizen" if citizen else "staff"},
    )
    return data


# --- citizens: supplements and ratings -------------------------------------------------------


def dossier_supplement(
    *,
    citizen: Citizen,
    dossier: Dossier,
    uploads: Sequence[Upload] = (),
    form_data: Mapping[str, Any] | None = None,
) -> Dossier:
    """The citizen answers a request for supplement: new files and/or corrected form values;
    the clock restarts."""
    if dossier.citizen_id != citizen.pk:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    procedure = dossier.procedure
    clean = clean_form(procedure.form_schema, form_data) if form_data else None
    check_uploads(uploads, allowed_keys=[d["key"] for d in procedure.required_documents])
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = (
                Dossier.objects.select_for_update()
                .select_related("procedure", "unit")
                .get(pk=dossier.pk)
            )
            if clean is not None and locked.status == Status.SUPPLEMENT:
                locked.form_data = clean
                locked.fee = max(locked.fee, _fee(procedure, clean))
            store_uploads(locked, uploads, source="citizen", stored=stored)
            dossier = DOSSIER_LIFECYCLE.transition(
                actor=citizen,
                obj=locked,
                action="resubmit",
                locked=True,
                today=timezone.localdate(),
                **_NO_PARAMS,
            )
    except Exception:
        remove_stored(stored)
        raise
    return dossier


@transaction.atomic
def dossier_rate(*, citizen: Citizen, dossier: Dossier, score: int, comment: str = "") -> Rating:
    if dossier.citizen_id != citizen.pk:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    if dossier.status not in (Status.RETURNED, Status.REJECTED):
        raise Conflict(_("Chỉ đánh giá được khi hồ sơ đã có kết quả."), field="score")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed(_("Mức đánh giá từ 1 đến 5."), field="score")
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict(_("Hồ sơ này đã được đánh giá."), field="score")
    rating = Rating.objects.create(
        dossier=dossier,
        score=score,
        comment=" ".join(comment.split())[:500],
        created_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action="create",
        object_type="portal.rating",
        object_id=rating.pk,
        detail={"dossier": dossier.pk, "score": score},
    )
    return rating


# --- deadlines -------------------------------------------------------------------------------


def dossiers_flag_deadlines(*, today: dt.date | None = None) -> dict[str, int]:
    """Notify the citizen (and list in the officers' outbox) once when an open dossier comes
    near its due date and once when it passes it. Returns the counts notified now."""
    today = today or timezone.localdate()
    counts = {"near": 0, "overdue": 0}
    qs = (
        Dossier.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False)
        .filter(Q(near_deadline_notified=False) | Q(overdue_notified=False))
        .select_related("procedure", "unit")
    )
    for dossier in qs.iterator():
        flag = deadline_flag(dossier, today=today)
        if not flag:
            continue
        if (flag == "near" and dossier.near_deadline_notified) or (
            flag == "overdue" and dossier.overdue_notified
        ):
            continue
        counts[flag] += 1
        with transaction.atomic():
            field = "overdue_notified" if flag == "overdue" else "near_deadline_notified"
            Dossier.objects.filter(pk=dossier.pk).update(
                **{field: True, "near_deadline_notified": True}
            )
            body = (
                _("Hồ sơ {code} đã quá hạn giải quyết ({due}); chúng tôi xin lỗi vì sự chậm trễ.")
                if flag == "overdue"
                else _("Hồ sơ {code} sắp đến hạn giải quyết ({due}).")
            )
            notification_send(
                recipient=dossier.applicant_contact,
                subject=str(_("Dịch vụ công hộ tịch: hạn giải quyết")),
                body=str(body).format(code=dossier.code, due=f"{dossier.due_date:%d/%m/%Y}"),
                dossier=dossier,
            )
    return counts
