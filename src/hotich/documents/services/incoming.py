"""Incoming documents: registered from paper or delivered by another unit (verified on
receipt), then assigned to a handler."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import require
from hotich.core import dates
from hotich.core.errors import ValidationFailed
from hotich.documents.models import Assignment, Document
from hotich.documents.services.common import (
    audit,
    check_pdf,
    clean_doc_type,
    clean_text,
    event_record,
    lazy_format,
    own_unit,
    pdf_store,
)
from hotich.documents.services.numbering import INCOMING_SERIES, next_sequence
from hotich.documents.services.routing import handling_deadline, own_organization, route_candidates
from hotich.documents.services.text import text_read_later
from hotich.documents.vocabulary import (
    AssignmentRole,
    Direction,
    Status,
)
from hotich.signing.verify import PdfRefused, pdf_verify

if TYPE_CHECKING:
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit

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
    actor: Actor,
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
    checked: tuple[bool | None, dict[str, Any], str] | None = None,
    organization: Organization | None = None,
) -> Document:
    valid, report, reason = checked or _signature_check(data)
    if require_signature and valid is None:
        valid, reason = False, str(_("Tệp không có chữ ký số."))
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = next_sequence(unit, year, INCOMING_SERIES)
    path = pdf_store(data)
    try:
        document = Document.objects.create(
            direction=Direction.INCOMING,
            unit=unit,
            organization=organization,
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
            created_by=acting_user(actor),
        )
        note = document.rejection_reason
        event_record(document, actor, "receive", "", note)
        text_read_later(document)
        audit(
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
def document_deliver(
    *, actor: Actor, source: Document, pdf: bytes, organization: Organization | None = None
) -> Document:
    """An issued outgoing document arriving at its recipient unit (or ``organization``, in the
    unit it serves): registered there as an incoming document holding the signed PDF, whose
    signatures are verified on receipt. A file whose signature fails is received as "rejected:
    signature invalid" with the reason."""
    unit = organization.unit if organization is not None else source.recipient_unit
    if source.direction != Direction.OUTGOING or unit is None:
        raise ValidationFailed(_("Văn bản này không gửi tới đơn vị nào trong hệ thống."))
    # the electronic delivery receives it, not the sender: its register names no one of theirs
    document = _receive(
        actor=None,
        unit=unit,
        organization=organization,
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
def incoming_receive_signed(
    *,
    actor: Actor,
    unit: Unit,
    doc_type: str,
    title: str,
    data: bytes,
    sender_name: str,
    sender_number: str,
    dated: dt.date | None,
    summary: str = "",
    organization: Organization | None = None,
) -> Document:
    """Register a document received electronically from an agency outside the system (an
    interconnection package) or from a body without its own register (a party cell's letter),
    for ``unit`` (and ``organization`` in it, when named): its signed PDF must verify, otherwise
    nothing is registered and ``ValidationFailed`` (code ``bad_signature``) gives the reason."""
    doc_type = clean_doc_type(doc_type)
    valid, _report, reason = checked = _signature_check(data)
    if valid is None:
        raise ValidationFailed(_("Tệp không có chữ ký số."), field="file", code="bad_signature")
    if not valid:
        raise ValidationFailed(
            lazy_format(_("Chữ ký số không hợp lệ: %(reason)s"), reason=reason[:300]),
            field="file",
            code="bad_signature",
        )
    return _receive(
        actor=actor,
        unit=unit,
        doc_type=doc_type,
        title=clean_text(title, field="title", label=_("Trích yếu"), max_length=300, required=True),
        summary=clean_text(
            summary, field="summary", label=_("Tóm tắt"), max_length=2000, required=False
        ),
        data=data,
        sender_unit=None,
        sender_name=clean_text(
            sender_name,
            field="sender_name",
            label=_("Cơ quan ban hành"),
            max_length=200,
            required=True,
        ),
        sender_number=clean_text(
            sender_number,
            field="sender_number",
            label=_("Số, ký hiệu"),
            max_length=60,
            required=False,
        ),
        dated=dated,
        require_signature=True,
        checked=checked,
        organization=organization,
    )


@transaction.atomic
def incoming_register(
    *,
    actor: Actor,
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
    require(actor, "documents.draft")
    unit = own_unit(actor)
    doc_type = clean_doc_type(doc_type)
    title = clean_text(title, field="title", label=_("Trích yếu"), max_length=300, required=True)
    sender = clean_text(
        sender_name, field="sender_name", label=_("Cơ quan ban hành"), max_length=200, required=True
    )
    number = clean_text(
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
        summary=clean_text(
            summary, field="summary", label=_("Tóm tắt"), max_length=2000, required=False
        ),
        data=data,
        sender_unit=None,
        sender_name=sender,
        sender_number=number,
        dated=dated,
        require_signature=False,
        organization=own_organization(actor),
    )


def assign_handler(
    actor: Actor, document: Document, handler_id: int | None, days: int | None
) -> str:
    """Give the document to one handler (the short route, without an instruction)."""
    handler = route_candidates(document).filter(pk=handler_id).first() if handler_id else None
    if handler is None:
        raise ValidationFailed(
            _("Người xử lý: chọn một cán bộ của đơn vị có quyền xử lý văn bản."), field="handler"
        )
    document.deadline = handling_deadline(days)
    document.assignments.filter(role=AssignmentRole.LEAD, active=True).update(active=False)
    Assignment.objects.create(
        document=document,
        user=handler,
        role=AssignmentRole.LEAD,
        assigned_by=acting_user(actor),
        deadline=document.deadline,
    )
    document.handler = handler
    return f"{actor_name(handler, full=True)} · {dates.display(document.deadline)}"
