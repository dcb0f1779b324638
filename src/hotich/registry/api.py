"""REST API of the registry (/api/v1/registry). Each endpoint checks the permission through
hotich.accounts.authz and reaches records only through scoped selectors (outside scope: 404),
then makes one domain call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, P, QueryEx, Router, Schema, Status

from hotich.accounts.actors import Actor
from hotich.accounts.web import staff_user
from hotich.core.api_errors import ErrorOut, body_as, body_openapi, error_body
from hotich.registry.extracts.responses import pdf_response
from hotich.registry.extracts.services import extract_issue
from hotich.registry.selectors import (
    MAX_LIMIT,
    record_detail,
    record_for_copy,
    record_search,
    records_visible,
)
from hotich.registry.services import (
    WarningsUnconfirmed,
    amendment_add,
    record_create,
    record_transition,
)
from hotich.registry.vocabulary import SPECS

router = Router(tags=["registry"])


class HitOut(Schema):
    id: int
    event_type: str
    full_name: str
    birth_date: str
    unit: str
    book: int | None
    entry_number: int | None


class FieldOut(Schema):
    name: str
    label: str
    kind: str
    required: bool
    max_length: int
    choices: list[str]


class PartySpecOut(Schema):
    role: str
    required: bool


class EventTypeOut(Schema):
    event_type: str
    label: str
    category: str
    parties: list[PartySpecOut]
    fields: list[FieldOut]
    target_types: list[str]


CONFIRM_HELP = (
    "Tôi đã kiểm tra và xác nhận: save despite the warnings of the rules (a mother under 12…); "
    "without it a request whose entry raises warnings is answered 409 with the warnings"
)


class RuleWarningOut(Schema):
    code: str
    field: str
    message: str
    message_en: str


class WarningsOut(ErrorOut):
    """409: nothing was saved; send the request again with ``confirm_warnings`` once checked."""

    warnings: list[RuleWarningOut]


def _warnings(exc: WarningsUnconfirmed) -> Status[dict[str, Any]]:
    body = error_body(
        exc.code,
        exc.in_language(translation.get_language() or "vi"),
        field=exc.field,
        message_en=exc.in_language("en"),
    )
    return Status(409, {**body, "warnings": [w.as_json() for w in exc.warnings]})


class RecordIn(Schema):
    event_type: str
    registration_date: str = Field(description="YYYY-MM-DD")
    parties: dict[str, dict[str, Any]] = Field(
        description="role → person fields (full_name, sex, birth_date, …) or {person_id}"
    )
    data: dict[str, Any] = {}
    related_record: int | None = None
    changes: dict[str, Any] | None = None
    officer_name: str = ""
    signer_name: str = ""
    legal_basis: str = ""
    draft: bool = Field(False, description="keep as a draft instead of registering")
    confirm_warnings: bool = Field(False, description=CONFIRM_HELP)


class AmendmentOut(Schema):
    seq: int
    changes: list[dict[str, Any]]
    note: str
    legal_basis: str
    amended_on: dt.date
    officer_name: str


class TransitionOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    legal_basis: str


class RecordOut(Schema):
    id: int
    event_type: str
    status: str
    unit: str
    book: int | None
    entry_number: int | None
    registration_date: str
    is_historic: bool
    related_record: int | None
    current: dict[str, Any]
    amendments: list[AmendmentOut]
    history: list[TransitionOut]


class AmendmentIn(Schema):
    changes: dict[str, Any]
    legal_basis: str
    note: str = ""
    amended_on: str | None = None
    confirm_warnings: bool = Field(False, description=CONFIRM_HELP)


class TransitionIn(Schema):
    action: str
    legal_basis: str = ""


@router.get("/event-types", response=list[EventTypeOut], summary="Các loại việc hộ tịch")
def event_types(request: HttpRequest) -> list[dict[str, Any]]:
    staff_user(request, "registry.view")
    return [
        {
            "event_type": s.event_type,
            "label": str(s.label),
            "category": s.category,
            "parties": [{"role": p.role, "required": p.required} for p in s.parties],
            "fields": [
                {
                    "name": f.name,
                    "label": str(f.label),
                    "kind": f.kind,
                    "required": f.required,
                    "max_length": f.max_length,
                    "choices": [c for c, _label in f.choices],
                }
                for f in s.fields
            ],
            "target_types": list(s.target_types),
        }
        for s in SPECS.values()
    ]


@router.get("/records", response=list[HitOut], summary="Tra cứu bản ghi / search records")
def search(
    request: HttpRequest,
    q: QueryEx[str, P(max_length=100, description="họ tên hoặc số định danh / name or ID")] = "",
    birth_year: QueryEx[int | None, P(ge=1800, le=2200)] = None,
    parent: QueryEx[str, P(max_length=100, description="họ tên cha hoặc mẹ")] = "",
    limit: QueryEx[int, P(ge=1, le=MAX_LIMIT)] = 50,
) -> list[dict[str, Any]]:
    actor = staff_user(request, "registry.view")
    hits = record_search(actor=actor, query=q, birth_year=birth_year, parent=parent, limit=limit)
    return [h.as_json() for h in hits]


def _record_out(actor: Actor, record_id: int) -> dict[str, Any]:
    d = record_detail(actor=actor, record_id=record_id)
    r = d.record
    return {
        "id": r.pk,
        "event_type": r.event_type,
        "status": r.status,
        "unit": r.unit.name,
        "book": r.book_id,
        "entry_number": r.entry_number,
        "registration_date": r.registration.iso(),
        "is_historic": r.is_historic,
        "related_record": r.related_record_id,
        "current": d.current,
        "amendments": d.amendments,
        "history": d.history,
    }


@router.get("/records/{int:record_id}", response=RecordOut, summary="Xem bản ghi / read a record")
def read(request: HttpRequest, record_id: int) -> dict[str, Any]:
    actor = staff_user(request, "registry.view")
    return _record_out(actor, record_id)


@router.post(
    "/records",
    response={201: RecordOut, 409: WarningsOut},
    summary="Đăng ký / register a record",
)
def create(request: HttpRequest, payload: RecordIn) -> Status[dict[str, Any]]:
    actor = staff_user(request, "registry.register")
    values = payload.dict()
    values["register"] = not values.pop("draft")
    try:
        record = record_create(actor=actor, **values)
    except WarningsUnconfirmed as exc:
        return _warnings(exc)
    return Status(201, _record_out(actor, record.pk))


def _scoped_record(actor: Actor, record_id: int) -> Any:
    record = records_visible(actor).filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


@router.post(
    "/records/{int:record_id}/amendments",
    response={201: RecordOut, 409: WarningsOut},
    summary="Ghi chú bên lề / add a margin note",
    openapi_extra=body_openapi(AmendmentIn),
)
def amend(request: HttpRequest, record_id: int) -> Status[dict[str, Any]]:
    actor = staff_user(request, "registry.amend")
    record = _scoped_record(actor, record_id)
    payload = body_as(request, AmendmentIn)
    try:
        amendment_add(
            actor=actor,
            record=record,
            changes=payload.changes,
            legal_basis=payload.legal_basis,
            note=payload.note,
            amended_on=payload.amended_on,
            officer_name=str(actor),
            confirm_warnings=payload.confirm_warnings,
        )
    except WarningsUnconfirmed as exc:
        return _warnings(exc)
    return Status(201, _record_out(actor, record_id))


@router.post(
    "/records/{int:record_id}/transitions",
    response=RecordOut,
    summary="Đổi trạng thái / apply a life-cycle action",
    openapi_extra=body_openapi(TransitionIn),
)
def transition(request: HttpRequest, record_id: int) -> dict[str, Any]:
    actor = staff_user(request, "registry.view")
    record = _scoped_record(actor, record_id)
    payload = body_as(request, TransitionIn)
    record_transition(
        actor=actor,
        record=record,
        action=payload.action,
        legal_basis=payload.legal_basis,
    )
    return _record_out(actor, record_id)


class ExtractIn(Schema):
    copy_: bool = Field(False, alias="copy", description="bản sao (true) hay bản chính (false)")
    requested_by: str = Field("", max_length=150)


class CopyRequestIn(Schema):
    event_type: str
    personal_id: str = Field("", max_length=14)
    full_name: str = Field("", max_length=100)
    birth_date: dt.date | None = None
    requested_by: str = Field(..., min_length=1, max_length=150)


@router.post(
    "/records/{int:record_id}/extracts",
    response={200: bytes},
    summary="Cấp trích lục hoặc bản sao (PDF) / issue the extract or a copy (PDF)",
    openapi_extra={
        "responses": {200: {"content": {"application/pdf": {}}}},
        **body_openapi(ExtractIn),
    },
)
def extract(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = staff_user(request, "registry.extract")
    record = _scoped_record(actor, record_id)
    payload = body_as(request, ExtractIn)
    issued = extract_issue(
        actor=actor,
        record=record,
        copy=payload.copy_,
        requested_by=payload.requested_by,
    )
    return pdf_response(issued)


@router.post(
    "/copies",
    response={200: bytes},
    summary="Bản sao cho bản ghi đăng ký ở bất kỳ đâu / a copy of a record registered anywhere",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def copy_request(request: HttpRequest, payload: CopyRequestIn) -> HttpResponse:
    actor = staff_user(request, "registry.extract")
    record = record_for_copy(
        actor=actor,
        event_type=payload.event_type,
        personal_id=payload.personal_id,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
    )
    issued = extract_issue(actor=actor, record=record, copy=True, requested_by=payload.requested_by)
    return pdf_response(issued)
