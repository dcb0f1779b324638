"""The document life cycle (ADR 9): its table, each action's work, ``document_transition``."""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import permits
from hotich.audit.services import audit_record
from hotich.core.errors import NotFound
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.text import nfc
from hotich.documents.models import Document
from hotich.documents.services.common import check_pdf, event_record, pdf_store
from hotich.documents.services.incoming import assign_handler, document_deliver
from hotich.documents.services.numbering import number_document
from hotich.documents.services.outgoing import sign_document
from hotich.documents.services.routing import (
    run_consult,
    run_forward,
    run_instruct,
    run_opinion,
    run_report,
)
from hotich.documents.services.text import text_read_later
from hotich.documents.vocabulary import (
    OBJECT_TYPE,
    Status,
)
from hotich.documents.vocabulary import Action as A
from hotich.signing.services import document_revoke


def _run_sign(step: Step[Document]) -> None:
    sign_document(step.actor, step.obj, timezone.now())
    stored = step.obj.file_path
    step.on_failure(lambda: default_storage.delete(stored))
    step.note = _numbered(step.obj, step.note)


def _run_sign_paper(step: Step[Document]) -> None:
    document, data = step.obj, step.params["data"]
    check_pdf(step.params["file_name"], data)
    now = timezone.now()
    number_document(document, now)
    stored = document.file_path = pdf_store(data)
    step.on_failure(lambda: default_storage.delete(stored))
    document.file_sha256 = hashlib.sha256(data).hexdigest()
    document.file_size = len(data)
    document.signed_digitally = False
    document.signed_at = now
    step.note = _numbered(document, step.note)
    text_read_later(document)


def _run_issue(step: Step[Document]) -> None:
    document, actor = step.obj, step.actor
    document.issued_at = timezone.now()
    recipients = list(document.recipients.filter(organization__isnull=False))
    if document.recipient_unit is None and not recipients:
        return

    def deliver() -> None:
        with default_storage.open(document.file_path, "rb") as handle:
            data = handle.read()
        if document.recipient_unit is not None:
            document_deliver(actor=actor, source=document, pdf=data)
        for recipient in recipients:
            recipient.delivered = document_deliver(
                actor=actor, source=document, pdf=data, organization=recipient.organization
            )
            recipient.save(update_fields=["delivered"])

    step.afterwards(deliver)


def _run_withdraw(step: Step[Document]) -> None:
    if step.obj.signed is not None:
        document_revoke(actor=step.actor, verify_code=step.obj.signed.verify_code, reason=step.note)


def _run_assign(step: Step[Document]) -> None:
    p = step.params
    assigned = assign_handler(step.actor, step.obj, p.get("handler_id"), p.get("days"))
    step.note = assigned + (f" · {step.note}" if step.note else "")


def _numbered(document: Document, note: str) -> str:
    return document.number + (f" · {note}" if note else "")


def _in_own_unit(actor: Actor, document: Document) -> None:
    if actor is not None and document.unit_id != getattr(actor, "unit_id", None):
        raise NotFound(_("Không tìm thấy văn bản."), field="document")


def _history(step: Step[Document]) -> None:
    event_record(step.obj, step.actor, step.action.name, step.from_status, step.note)


DOCUMENT_LIFECYCLE = Lifecycle(
    model=Document,
    object_type=OBJECT_TYPE,
    noun=_("văn bản"),
    statuses=Status,
    actions=[
        Action(A.SUBMIT, A.SUBMIT.label, "documents.draft", Status.SUBMITTED),
        Action(A.APPROVE, A.APPROVE.label, "documents.approve", Status.APPROVED),
        Action(
            A.RETURN,
            A.RETURN.label,
            "documents.approve",
            Status.DRAFT,
            note_required=_("Trả lại: cần ghi lý do."),
        ),
        Action(A.SIGN, A.SIGN.label, "documents.sign", Status.SIGNED, _run_sign),
        Action(A.SIGN_PAPER, A.SIGN_PAPER.label, "documents.issue", Status.SIGNED, _run_sign_paper),
        Action(A.ISSUE, A.ISSUE.label, "documents.issue", Status.ISSUED, _run_issue),
        Action(
            A.WITHDRAW,
            A.WITHDRAW.label,
            "documents.sign",
            Status.WITHDRAWN,
            _run_withdraw,
            note_required=_("Thu hồi: cần ghi lý do (căn cứ thu hồi)."),
        ),
        Action(A.ASSIGN, A.ASSIGN.label, "documents.handle", Status.ASSIGNED, _run_assign),
        Action(A.PROCESS, A.PROCESS.label, "documents.handle", Status.PROCESSED),
        Action(A.CLOSE, A.CLOSE.label, "documents.handle", Status.CLOSED),
        Action(
            A.PROPOSE,
            A.PROPOSE.label,
            "documents.draft",
            Status.PROPOSED,
            note_required=_("Đề xuất: cần ghi nội dung đề xuất."),
        ),
        Action(
            A.INSTRUCT,
            A.INSTRUCT.label,
            "documents.approve",
            Status.ASSIGNED,
            run_instruct,
            note_required=_("Bút phê: cần ghi ý kiến chỉ đạo."),
        ),
        Action(A.FORWARD, A.FORWARD.label, "documents.handle", None, run_forward),
        Action(
            A.CONSULT,
            A.CONSULT.label,
            "documents.handle",
            None,
            run_consult,
            note_required=_("Xin ý kiến: cần ghi nội dung cần cho ý kiến."),
        ),
        Action(
            A.OPINION,
            A.OPINION.label,
            "documents.view",
            None,
            run_opinion,
            note_required=_("Cho ý kiến: cần ghi ý kiến."),
        ),
        Action(
            A.REPORT,
            A.REPORT.label,
            "documents.handle",
            Status.PROCESSED,
            run_report,
            note_required=_("Báo cáo kết quả: cần ghi kết quả xử lý."),
        ),
    ],
    table={
        Status.DRAFT: (A.SUBMIT,),
        Status.SUBMITTED: (A.APPROVE, A.RETURN),
        Status.APPROVED: (A.SIGN, A.SIGN_PAPER),
        Status.SIGNED: (A.ISSUE, A.WITHDRAW),
        Status.ISSUED: (A.WITHDRAW,),
        Status.WITHDRAWN: (),
        Status.RECEIVED: (A.PROPOSE, A.INSTRUCT, A.ASSIGN, A.CLOSE),
        Status.PROPOSED: (A.INSTRUCT, A.CLOSE),
        Status.ASSIGNED: (
            A.FORWARD,
            A.CONSULT,
            A.OPINION,
            A.REPORT,
            A.INSTRUCT,
            A.ASSIGN,
            A.PROCESS,
        ),
        Status.PROCESSED: (A.CLOSE,),
        Status.CLOSED: (),
        Status.REJECTED: (A.CLOSE,),
    },
    initial=(Status.DRAFT, Status.RECEIVED, Status.REJECTED),
    scope=_in_own_unit,
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("unit", "unit__parent", "recipient_unit"),
)


def document_transition(
    *,
    actor: Actor,
    document: Document,
    action: str,
    note: str = "",
    handler_id: int | None = None,
    co_ids: list[int] | tuple[int, ...] = (),
    days: int | None = None,
    file_name: str = "",
    data: bytes = b"",
) -> Document:
    """Apply one action of :data:`DOCUMENT_LIFECYCLE` to a document.

    Outgoing: ``submit``, ``approve``, ``return`` (needs a note), ``sign`` (numbers, renders and
    signs as the official then the seal), ``sign_paper`` (numbers a document signed by hand,
    with its scan: ``file_name``, ``data``), ``issue`` (sends; to a unit of the system it arrives
    there as an incoming document, its signature verified on receipt), ``withdraw`` (needs a
    note). Incoming: ``assign`` (``handler_id``, ``days`` working days), ``process``, ``close``.
    The route (``services.routing``): ``propose`` (the clerk, a note), ``instruct`` (a leader's
    instruction as the note; lead ``handler_id``, co-handlers ``co_ids``, ``days``), ``forward``
    (the lead to ``handler_id``), ``consult`` (``co_ids``, a note), ``opinion`` and ``report``
    (a note).
    """
    DOCUMENT_LIFECYCLE.transition(
        actor=actor,
        obj=document,
        action=action,
        note=nfc(note or ""),
        handler_id=handler_id,
        co_ids=list(co_ids),
        days=days,
        file_name=file_name,
        data=data,
    )
    document.refresh_from_db()
    return document
