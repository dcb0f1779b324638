"""Writes of the document register: drafting an outgoing document, registering an incoming
paper document, the one transition function, and delivery from one unit to another.

Every write checks the actor's permission (``accounts.authz``) and that the document belongs to
the actor's own unit (other units' documents do not exist for them: ``NotFound``), runs in one
transaction, records an :class:`Event` and an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from hotich.accounts.authz import can
from hotich.accounts.models import User
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.text import nfc
from hotich.core.workdays import add_working_days
from hotich.documents.models import Counter, Document, Event
from hotich.documents.render import Layout, render_pdf
from hotich.documents.vocabulary import (
    DEFAULT_AGENCY_ABBREV,
    OBJECT_TYPE,
    Direction,
    DocType,
    Status,
)
from hotich.documents.vocabulary import Action as A
from hotich.geo.models import Era, Unit
from hotich.signing.services import document_revoke, document_sign, new_verify_code
from hotich.signing.verify import PdfRefused, pdf_verify

MAX_PDF_BYTES = 50 * 1024 * 1024
INCOMING_SERIES = "den"
DEFAULT_HANDLING_DAYS = 10
MAX_HANDLING_DAYS = 120
_SECTION = re.compile(r"^[A-ZĐ0-9]{1,10}$")
# Names whose presence makes a PDF active content rather than a document.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm)\b")


def _fmt(template: Any, **params: Any) -> Any:
    """A lazy ``template % params`` that follows the active language when shown."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in params.items()}, str)()


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "full_name", "") or getattr(actor, "username", "") or actor)[:120]


def _check_permission(actor: Any, permission: str) -> None:
    if actor is not None and not can(actor, permission):
        raise PermissionDenied(_("Bạn không có quyền thực hiện việc này."))


def _own_unit(actor: Any) -> Unit:
    unit = getattr(actor, "unit", None)
    if unit is None:
        raise PermissionDenied(_("Tài khoản chưa được giao đơn vị."))
    return unit  # type: ignore[no-any-return]


def _text(value: str, *, field: str, label: Any, max_length: int, required: bool) -> str:
    text = nfc(" ".join((value or "").split()) if max_length <= 500 else (value or "").strip())
    if required and not text:
        raise ValidationFailed(
            _fmt(_("%(label)s: chưa nhập (bắt buộc)."), label=label), field=field
        )
    if len(text) > max_length:
        raise ValidationFailed(
            _fmt(_("%(label)s: dài quá %(n)s ký tự."), label=label, n=max_length), field=field
        )
    return text


def _doc_type(value: str) -> str:
    if value not in DocType.values:
        raise ValidationFailed(_("Loại văn bản không hợp lệ."), field="doc_type")
    return value


def _event(document: Document, actor: Any, action: str, from_status: str, note: str = "") -> None:
    Event.objects.create(
        document=document,
        action=action,
        from_status=from_status,
        to_status=document.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_actor_name(actor),
        note=note[:500],
    )


def _audit(
    actor: Any, document: Document, action: str, before: Any, detail: dict[str, Any]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=document.pk,
        before=before,
        after=document.state(),
        detail=detail,
    )


def next_sequence(unit: Unit, year: int, series: str) -> int:
    """The next number of ``series`` in ``unit``'s register for ``year``; the counter row is
    locked until the transaction ends, so two documents never get the same number."""
    counter, _created = Counter.objects.select_for_update().get_or_create(
        unit=unit, year=year, series=series
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def format_number(sequence: int, doc_type: str, section_abbrev: str) -> str:
    """``12/QĐ-UBND``; a công văn ``123/UBND-TP`` (agency, then drafting section)."""
    if doc_type == DocType.OFFICIAL_LETTER:
        return f"{sequence}/{DEFAULT_AGENCY_ABBREV}-{section_abbrev}"
    return f"{sequence}/{doc_type}-{DEFAULT_AGENCY_ABBREV}"


def _recipient(actor_unit: Unit, recipient_unit_id: int | None) -> Unit | None:
    if not recipient_unit_id:
        return None
    unit = Unit.objects.filter(pk=recipient_unit_id, era=Era.CURRENT).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị nhận."), field="recipient_unit")
    if unit.pk == actor_unit.pk:
        raise ValidationFailed(
            _("Không gửi văn bản cho chính đơn vị mình."), field="recipient_unit"
        )
    return unit


# --- outgoing ------------------------------------------------------------------------------


def _draft_values(
    *,
    unit: Unit,
    doc_type: str,
    title: str,
    summary: str,
    body: str,
    recipient_unit_id: int | None,
    recipient_name: str,
    section_abbrev: str,
) -> dict[str, Any]:
    section = nfc((section_abbrev or "TP").strip().upper())
    if not _SECTION.match(section):
        raise ValidationFailed(
            _("Viết tắt đơn vị soạn thảo: chỉ gồm chữ in hoa và chữ số, tối đa 10 ký tự."),
            field="section_abbrev",
        )
    values = {
        "doc_type": _doc_type(doc_type),
        "title": _text(title, field="title", label=_("Trích yếu"), max_length=300, required=True),
        "summary": _text(
            summary, field="summary", label=_("Tóm tắt"), max_length=2000, required=False
        ),
        "body": _text(body, field="body", label=_("Nội dung"), max_length=50_000, required=True),
        "recipient_unit": _recipient(unit, recipient_unit_id),
        "recipient_name": _text(
            recipient_name,
            field="recipient_name",
            label=_("Nơi nhận"),
            max_length=200,
            required=False,
        ),
        "section_abbrev": section,
    }
    if values["recipient_unit"] is None and not values["recipient_name"]:
        raise ValidationFailed(
            _("Nơi nhận: chưa chọn đơn vị nhận hay nhập nơi nhận."), field="recipient_unit"
        )
    return values


@transaction.atomic
def document_create(
    *,
    actor: Any,
    doc_type: str,
    title: str,
    summary: str = "",
    body: str = "",
    recipient_unit_id: int | None = None,
    recipient_name: str = "",
    section_abbrev: str = "",
) -> Document:
    """A draft outgoing document of the actor's unit."""
    _check_permission(actor, "documents.draft")
    unit = _own_unit(actor)
    document = Document(
        direction=Direction.OUTGOING,
        unit=unit,
        status=Status.DRAFT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_draft_values(
            unit=unit,
            doc_type=doc_type,
            title=title,
            summary=summary,
            body=body,
            recipient_unit_id=recipient_unit_id,
            recipient_name=recipient_name,
            section_abbrev=section_abbrev,
        ),
    )
    document.save()
    _event(document, actor, "create", "")
    _audit(
        actor,
        document,
        "create",
        None,
        {"direction": document.direction, "type": document.doc_type},
    )
    return document


def _signer_title(actor: Any) -> str:
    return "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"


@transaction.atomic
def document_update(
    *,
    actor: Any,
    document: Document,
    doc_type: str,
    title: str,
    summary: str = "",
    body: str = "",
    recipient_unit_id: int | None = None,
    recipient_name: str = "",
    section_abbrev: str = "",
) -> Document:
    """Change a draft (a new one, or one the approver returned) of the actor's unit."""
    _check_permission(actor, "documents.draft")
    locked = Document.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None or (actor is not None and locked.unit_id != getattr(actor, "unit_id", None)):
        raise NotFound(_("Không tìm thấy văn bản."), field="document")
    if locked.status != Status.DRAFT:
        raise Conflict(
            _("Chỉ sửa được văn bản ở trạng thái dự thảo."), field="status", code="not_draft"
        )
    before = locked.state()
    fresh = _draft_values(
        unit=locked.unit,
        doc_type=doc_type,
        title=title,
        summary=summary,
        body=body,
        recipient_unit_id=recipient_unit_id,
        recipient_name=recipient_name,
        section_abbrev=section_abbrev,
    )
    for key, value in fresh.items():
        setattr(locked, key, value)
    locked.save()
    _event(locked, actor, "edit", Status.DRAFT)
    _audit(actor, locked, "update", before, {"action": "edit"})
    return locked


def _number(document: Document, now: dt.datetime) -> dt.date:
    today = timezone.localdate(now)
    document.year = today.year
    document.sequence = next_sequence(document.unit, today.year, document.doc_type)
    document.number = format_number(document.sequence, document.doc_type, document.section_abbrev)
    document.dated = today
    return today


def _sign(actor: Any, document: Document, now: dt.datetime) -> None:
    """Number the document (per unit, year and type), render it and sign it as the actor and
    with the unit's seal."""
    today = _number(document, now)
    code = new_verify_code()
    recipients = [document.recipient_unit.name] if document.recipient_unit else []
    if document.recipient_name:
        recipients.append(document.recipient_name)
    pdf = render_pdf(
        Layout(
            unit=document.unit,
            doc_type=document.doc_type,
            number=document.number,
            title=document.title,
            body=document.body,
            dated=today,
            recipients=recipients,
            signer_title=_signer_title(actor),
            signer_name=_actor_name(actor),
            verify_code=code,
        )
    )
    signed = document_sign(
        pdf=pdf,
        actor=actor,
        unit=document.unit,
        kind=f"documents.{document.doc_type}",
        title=document.title,
        number=document.number,
        source_type=OBJECT_TYPE,
        source_id=document.pk,
        verify_code=code,
        public={"number": document.number, "type": str(DocType(document.doc_type).label)},
    )
    document.signed = signed
    document.file_path = signed.file_path
    document.file_sha256 = signed.sha256
    document.file_size = signed.size
    document.signed_digitally = True
    document.signature_valid = True
    document.signed_at = now


def _assign(actor: Any, document: Document, handler_id: int | None, days: int | None) -> str:
    handler = (
        User.objects.filter(pk=handler_id, unit=document.unit, is_active=True).first()
        if handler_id
        else None
    )
    if handler is None or not can(handler, "documents.handle"):
        raise ValidationFailed(
            _("Người xử lý: chọn một cán bộ của đơn vị có quyền xử lý văn bản."), field="handler"
        )
    count = DEFAULT_HANDLING_DAYS if days is None else days
    if not 1 <= count <= MAX_HANDLING_DAYS:
        raise ValidationFailed(
            _fmt(_("Thời hạn xử lý: từ 1 đến %(n)s ngày làm việc."), n=MAX_HANDLING_DAYS),
            field="days",
        )
    document.handler = handler
    document.deadline = add_working_days(timezone.localdate(), count)
    return f"{_actor_name(handler)} · {document.deadline.isoformat()}"


def _run_sign(step: Step[Document]) -> None:
    _sign(step.actor, step.obj, timezone.now())
    stored = step.obj.file_path
    step.on_failure(lambda: default_storage.delete(stored))
    step.note = _numbered(step.obj, step.note)


def _run_sign_paper(step: Step[Document]) -> None:
    document, data = step.obj, step.params["data"]
    check_pdf(step.params["file_name"], data)
    now = timezone.now()
    _number(document, now)
    stored = document.file_path = _store(data)
    step.on_failure(lambda: default_storage.delete(stored))
    document.file_sha256 = hashlib.sha256(data).hexdigest()
    document.file_size = len(data)
    document.signed_digitally = False
    document.signed_at = now
    step.note = _numbered(document, step.note)


def _run_issue(step: Step[Document]) -> None:
    document, actor = step.obj, step.actor
    document.issued_at = timezone.now()
    if document.recipient_unit is None:
        return

    def deliver() -> None:
        with default_storage.open(document.file_path, "rb") as handle:
            data = handle.read()
        document_deliver(actor=actor, source=document, pdf=data)

    step.afterwards(deliver)


def _run_withdraw(step: Step[Document]) -> None:
    if step.obj.signed is not None:
        document_revoke(actor=step.actor, verify_code=step.obj.signed.verify_code, reason=step.note)


def _run_assign(step: Step[Document]) -> None:
    p = step.params
    assigned = _assign(step.actor, step.obj, p.get("handler_id"), p.get("days"))
    step.note = assigned + (f" · {step.note}" if step.note else "")


def _numbered(document: Document, note: str) -> str:
    return document.number + (f" · {note}" if note else "")


def _in_own_unit(actor: Any, document: Document) -> None:
    if actor is not None and document.unit_id != getattr(actor, "unit_id", None):
        raise NotFound(_("Không tìm thấy văn bản."), field="document")


def _history(step: Step[Document]) -> None:
    _event(step.obj, step.actor, step.action.name, step.from_status, step.note)


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
    ],
    table={
        Status.DRAFT: (A.SUBMIT,),
        Status.SUBMITTED: (A.APPROVE, A.RETURN),
        Status.APPROVED: (A.SIGN, A.SIGN_PAPER),
        Status.SIGNED: (A.ISSUE, A.WITHDRAW),
        Status.ISSUED: (A.WITHDRAW,),
        Status.WITHDRAWN: (),
        Status.RECEIVED: (A.ASSIGN, A.CLOSE),
        Status.ASSIGNED: (A.ASSIGN, A.PROCESS),
        Status.PROCESSED: (A.CLOSE,),
        Status.CLOSED: (),
        Status.REJECTED: (A.CLOSE,),
    },
    initial=(Status.DRAFT, Status.RECEIVED, Status.REJECTED),
    scope=_in_own_unit,
    permits=lambda actor, permission: actor is None or can(actor, permission),
    history=_history,
    audit=audit_record,
    select_related=("unit", "unit__parent", "recipient_unit"),
)


def document_transition(
    *,
    actor: Any,
    document: Document,
    action: str,
    note: str = "",
    handler_id: int | None = None,
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
    """
    DOCUMENT_LIFECYCLE.transition(
        actor=actor,
        obj=document,
        action=action,
        note=nfc(note or ""),
        handler_id=handler_id,
        days=days,
        file_name=file_name,
        data=data,
    )
    document.refresh_from_db()
    return document


# --- incoming ------------------------------------------------------------------------------


def _store(data: bytes) -> str:
    return archive_store(
        path=f"documents/{timezone.now().year}/{uuid.uuid4().hex}.pdf",
        content=data,
        source="documents",
    ).path


def check_pdf(name: str, data: bytes) -> None:
    """Refuse, with a reason, a file that is not a readable, unencrypted, passive PDF."""

    label = (name or "?").replace("\\", "/").rsplit("/", 1)[-1][:200]

    def refuse(reason: Any) -> ValidationFailed:
        return ValidationFailed(
            _fmt(_("Tệp “%(name)s” bị từ chối: %(reason)s"), name=label, reason=reason),
            field="file",
            code="bad_file",
        )

    if not data:
        raise refuse(_("tệp rỗng"))
    if len(data) > MAX_PDF_BYTES:
        raise refuse(_fmt(_("tệp lớn hơn %(n)s MB"), n=MAX_PDF_BYTES // (1024 * 1024)))
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise refuse(_("không phải tệp PDF"))
    if "." in label and label.rsplit(".", 1)[-1].lower() != "pdf":
        raise refuse(_("phần mở rộng không phải .pdf"))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        pages = 0 if encrypted else int(reader.root["/Pages"]["/Count"])
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise refuse(_("tệp PDF bị hỏng")) from exc
    if encrypted:
        raise refuse(_("tệp PDF bị mã hóa"))
    if pages < 1:
        raise refuse(_("tệp PDF không có trang nào"))
    if _PDF_ACTIVE.search(data):
        raise refuse(_("tệp PDF chứa mã chạy được hoặc tệp đính kèm"))


_CN = re.compile(r"Common Name: ([^,]+)")


def _common_name(subject: str) -> str:
    match = _CN.search(subject)
    return match.group(1).strip() if match else subject[:120]


def _signature_check(data: bytes) -> tuple[bool | None, dict[str, Any], str]:
    """(valid, report, reason): None when the file carries no signature at all."""
    try:
        report = pdf_verify(data)
    except PdfRefused as exc:
        return False, {"problems": [str(exc)]}, str(exc)
    problems = [p for s in report.signatures for p in s.problems] + list(report.problems)
    summary = {
        "signers": [_common_name(s.signer) for s in report.signatures],
        "problems": problems,
        "verify_code": report.verify_code,
        "sha256": report.sha256,
    }
    if not report.signatures:
        return None, summary, ""
    return report.ok, summary, "; ".join(problems)


def _receive(
    *,
    actor: Any,
    unit: Unit,
    doc_type: str,
    title: str,
    data: bytes,
    sender_unit: Unit | None,
    sender_name: str,
    sender_number: str,
    dated: dt.date | None,
    summary: str = "",
    source: Document | None = None,
    require_signature: bool,
) -> Document:
    valid, report, reason = _signature_check(data)
    if require_signature and valid is None:
        valid, reason = False, str(_("Tệp không có chữ ký số."))
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = next_sequence(unit, year, INCOMING_SERIES)
    path = _store(data)
    try:
        document = Document.objects.create(
            direction=Direction.INCOMING,
            unit=unit,
            doc_type=doc_type,
            status=Status.REJECTED if valid is False else Status.RECEIVED,
            title=title,
            summary=summary,
            number=str(sequence),
            sequence=sequence,
            year=year,
            dated=dated,
            sender_unit=sender_unit,
            sender_name=sender_name,
            sender_number=sender_number,
            source_document=source,
            file_path=path,
            file_sha256=hashlib.sha256(data).hexdigest(),
            file_size=len(data),
            signed_digitally=valid is not None,
            signature_valid=valid,
            signature_report=report,
            rejection_reason=reason[:500] if valid is False else "",
            received_at=now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        note = document.rejection_reason
        _event(document, actor, "receive", "", note)
        _audit(
            actor,
            document,
            "create",
            None,
            {"direction": "in", "source": source.pk if source else None, "signature": valid},
        )
    except Exception:
        default_storage.delete(path)
        raise
    return document


@transaction.atomic
def document_deliver(*, actor: Any, source: Document, pdf: bytes) -> Document:
    """An issued outgoing document arriving at its recipient unit: registered there as an
    incoming document holding the signed PDF, whose signatures are verified on receipt. A file
    whose signature fails is received as "rejected: signature invalid" with the reason."""
    if source.direction != Direction.OUTGOING or source.recipient_unit is None:
        raise ValidationFailed(_("Văn bản này không gửi tới đơn vị nào trong hệ thống."))
    document = _receive(
        actor=actor,
        unit=source.recipient_unit,
        doc_type=source.doc_type,
        title=source.title,
        summary=source.summary,
        data=pdf,
        sender_unit=source.unit,
        sender_name=source.unit.name,
        sender_number=source.number,
        dated=source.dated,
        source=source,
        require_signature=source.signed_digitally,
    )
    if document.signature_valid and source.signed is not None:
        code = document.signature_report.get("verify_code")
        if code != source.signed.verify_code:
            document.status = Status.REJECTED
            document.signature_valid = False
            document.rejection_reason = str(
                _("Mã xác thực trên văn bản không khớp với văn bản đã ban hành.")
            )
            document.save(update_fields=["status", "signature_valid", "rejection_reason"])
    return document


@transaction.atomic
def incoming_register(
    *,
    actor: Any,
    doc_type: str,
    title: str,
    sender_name: str,
    sender_number: str,
    dated: dt.date | None,
    file_name: str,
    data: bytes,
    summary: str = "",
) -> Document:
    """Register an incoming document received on paper (its scanned PDF) or by e-mail. A
    signed PDF has its signatures verified; a scan without signatures is simply received."""
    _check_permission(actor, "documents.draft")
    unit = _own_unit(actor)
    doc_type = _doc_type(doc_type)
    title = _text(title, field="title", label=_("Trích yếu"), max_length=300, required=True)
    sender = _text(
        sender_name, field="sender_name", label=_("Cơ quan ban hành"), max_length=200, required=True
    )
    number = _text(
        sender_number, field="sender_number", label=_("Số, ký hiệu"), max_length=60, required=True
    )
    if dated is not None and dated > timezone.localdate():
        raise ValidationFailed(_("Ngày văn bản: không được sau hôm nay."), field="dated")
    check_pdf(file_name, data)
    return _receive(
        actor=actor,
        unit=unit,
        doc_type=doc_type,
        title=title,
        summary=_text(
            summary, field="summary", label=_("Tóm tắt"), max_length=2000, required=False
        ),
        data=data,
        sender_unit=None,
        sender_name=sender,
        sender_number=number,
        dated=dated,
        require_signature=False,
    )
