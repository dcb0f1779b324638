"""REST API of the document register (/api/v1/documents). Each endpoint checks the permission
through hotich.accounts.authz, reaches documents only through scoped selectors (outside the
user's scope: 404) and makes one domain call."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, P, Query, QueryEx, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticError

from hotich.accounts.actors import Actor
from hotich.accounts.web import staff_user
from hotich.core.errors import ValidationFailed
from hotich.documents.selectors import (
    REGISTER_YEARS,
    STATS_YEARS,
    RegisterFilter,
    document_detail,
    document_file,
    document_get,
    document_register,
    documents_signed_per_quarter,
)
from hotich.documents.services import document_create, document_transition, incoming_register

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    direction: str
    unit: str
    doc_type: str
    status: str
    number: str
    title: str
    dated: dt.date | None
    recipient_unit: int | None
    recipient_name: str
    sender_name: str
    sender_number: str
    handler: int | None
    deadline: dt.date | None
    overdue: bool
    signed_digitally: bool
    signature_valid: bool | None
    rejection_reason: str
    verify_code: str | None
    source_document: int | None


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor_name: str
    note: str
    at: dt.datetime


class DocumentDetailOut(DocumentOut):
    summary: str
    body: str
    actions: list[str]
    history: list[EventOut]
    signers: list[str]


def _out(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "direction": document.direction,
        "unit": document.unit.name,
        "doc_type": document.doc_type,
        "status": document.status,
        "number": document.number,
        "title": document.title,
        "dated": document.dated,
        "recipient_unit": document.recipient_unit_id,
        "recipient_name": document.recipient_name,
        "sender_name": document.sender_name,
        "sender_number": document.sender_number,
        "handler": document.handler_id,
        "deadline": document.deadline,
        "overdue": document.is_overdue(timezone.localdate()),
        "signed_digitally": document.signed_digitally,
        "signature_valid": document.signature_valid,
        "rejection_reason": document.rejection_reason,
        "verify_code": document.signed.verify_code if document.signed_id else None,
        "source_document": document.source_document_id,
    }


def _detail(actor: Actor, document_id: int) -> dict[str, Any]:
    detail = document_detail(actor=actor, document_id=document_id)
    document = detail.document
    return {
        **_out(document),
        "summary": document.summary,
        "body": document.body,
        "actions": detail.actions,
        "history": detail.events,
        "signers": list(document.signature_report.get("signers", []))
        or [s["name"] for s in (document.signed.signers if document.signed else [])],
    }


class ListQuery(Schema):
    direction: Literal["out", "in"] = Field(
        "out", description="out: văn bản đi / outgoing; in: văn bản đến / incoming"
    )
    status: str = Field("", max_length=20)
    doc_type: str = Field("", max_length=10)
    year: int | None = Field(None, ge=REGISTER_YEARS[0], le=REGISTER_YEARS[1])
    q: str = Field("", max_length=100)
    overdue: bool = False


@router.get(
    "", response=list[DocumentOut], url_name="documents_list", summary="Sổ văn bản / register"
)
def register(request: HttpRequest, filters: Query[ListQuery]) -> list[dict[str, Any]]:
    actor = staff_user(request, "documents.view")
    rows = document_register(
        actor=actor,
        filters=RegisterFilter(
            direction=filters.direction,
            status=filters.status,
            doc_type=filters.doc_type,
            year=filters.year,
            query=filters.q,
            overdue=filters.overdue,
        ),
    )
    return [_out(d) for d in rows]


class DraftIn(Schema):
    doc_type: str = Field(description="QĐ, CV, TTr, BC, TB, KH")
    title: str
    summary: str = ""
    body: str
    recipient_unit: int | None = None
    recipient_name: str = ""
    section_abbrev: str = "TP"


@router.post(
    "",
    response={201: DocumentDetailOut},
    url_name="documents_create",
    summary="Soạn dự thảo / draft an outgoing document",
)
def create(request: HttpRequest, payload: DraftIn) -> Status[dict[str, Any]]:
    actor = staff_user(request, "documents.draft")
    document = document_create(
        actor=actor,
        doc_type=payload.doc_type,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        recipient_unit_id=payload.recipient_unit,
        recipient_name=payload.recipient_name,
        section_abbrev=payload.section_abbrev,
    )
    return Status(201, _detail(actor, document.pk))


class IncomingIn(Schema):
    doc_type: str
    title: str
    sender_name: str
    sender_number: str
    dated: dt.date | None = None
    summary: str = ""


@router.post(
    "/incoming",
    response={201: DocumentDetailOut},
    url_name="documents_incoming",
    summary="Vào sổ văn bản đến / register an incoming document (multipart, PDF)",
)
def incoming(
    request: HttpRequest, payload: Form[IncomingIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    actor = staff_user(request, "documents.draft")
    document = incoming_register(
        actor=actor,
        doc_type=payload.doc_type,
        title=payload.title,
        summary=payload.summary,
        sender_name=payload.sender_name,
        sender_number=payload.sender_number,
        dated=payload.dated,
        file_name=file.name or "",
        data=file.read(),
    )
    return Status(201, _detail(actor, document.pk))


class QuarterOut(Schema):
    unit_id: int
    unit_name: str
    outgoing: int
    signed_digitally: int
    share: float
    by_type: dict[str, int]
    signers: int


@router.get(
    "/stats",
    response=list[QuarterOut],
    url_name="documents_stats",
    summary="Văn bản ký số theo quý / documents signed digitally per unit and quarter",
)
def stats(
    request: HttpRequest,
    year: QueryEx[int, P(ge=STATS_YEARS[0], le=STATS_YEARS[1])],
    quarter: QueryEx[int, P(ge=1, le=4)],
) -> list[dict[str, Any]]:
    actor = staff_user(request, "documents.view")
    rows = documents_signed_per_quarter(
        year, quarter, unit_path=actor.unit.path if actor.unit else "-"
    )
    return [{**r.__dict__, "share": round(r.share, 4)} for r in rows]


@router.get(
    "/{int:document_id}",
    response=DocumentDetailOut,
    url_name="documents_detail",
    summary="Xem văn bản / read a document",
)
def read(request: HttpRequest, document_id: int) -> dict[str, Any]:
    return _detail(staff_user(request, "documents.view"), document_id)


class ActionIn(Schema):
    action: str = Field(
        description="submit, approve, return, sign, sign_paper, issue, assign, process, close"
    )
    note: str = ""
    handler: int | None = None
    days: int | None = Field(None, description="working days to handle (assign)")
    file_name: str = ""
    file_base64: str = Field("", description="sign_paper: the scan of the signed paper (PDF)")


def _action_payload(request: HttpRequest) -> ActionIn:
    """The body, read only once the document is known to be in scope (so that a document of
    another unit answers 404 whatever the body)."""
    try:
        return ActionIn.model_validate_json(request.body or b"{}")
    except PydanticError as exc:
        errors = exc.errors()
        loc = errors[0]["loc"] if errors else ()
        field = ".".join(str(p) for p in loc) or None
        raise ValidationFailed(
            format_lazy(_("Dữ liệu không hợp lệ ở trường {field}."), field=field), field=field
        ) from None


@router.post(
    "/{int:document_id}/actions",
    response=DocumentDetailOut,
    url_name="documents_action",
    summary="Chuyển bước / apply a life-cycle action",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ActionIn.model_json_schema()}},
        }
    },
)
def action(request: HttpRequest, document_id: int) -> dict[str, Any]:
    actor = staff_user(request, "documents.view")
    target = document_get(actor=actor, document_id=document_id)
    payload = _action_payload(request)
    try:
        data = base64.b64decode(payload.file_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            _("Tệp: dữ liệu base64 không đọc được."), field="file_base64"
        ) from None
    document_transition(
        actor=actor,
        document=target,
        action=payload.action,
        note=payload.note,
        handler_id=payload.handler,
        days=payload.days,
        file_name=payload.file_name,
        data=data,
    )
    return _detail(actor, document_id)


@router.get(
    "/{int:document_id}/file",
    url_name="documents_file",
    summary="Tệp PDF của văn bản / the document's PDF",
)
def pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    actor = staff_user(request, "documents.view")
    document, data = document_file(actor=actor, document_id=document_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="van-ban-{document.pk}.pdf"'
    return response
