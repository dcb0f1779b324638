"""REST API of offline work (/api/v1/offline): a device registered and unlocked, the batch taken
onto it, the keyings it sends back (idempotent, answered 409 with both versions on a conflict)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hotich.accounts.authz import can
from hotich.accounts.web import staff_user
from hotich.core.api_errors import ErrorOut
from hotich.core.errors import ValidationFailed
from hotich.offline import selectors, services
from hotich.offline.vocabulary import (
    ARBITRATE_ACTION,
    BATCH_DEFAULT,
    BATCH_MAX,
    DEVICE_ACTIONS,
    DEVICE_NAME_MAX,
    IDEMPOTENCY_PATTERN,
    INTAKE_ACTION,
    KEY_ACTION,
)

if TYPE_CHECKING:
    from hotich.accounts.models import User

router = Router(tags=["offline"])


class DeviceIn(Schema):
    name: str = Field(min_length=1, max_length=DEVICE_NAME_MAX)


class DeviceOut(Schema):
    id: UUID
    name: str
    key: str = Field(description="AES-256-GCM key, base64; keep it in memory for this session")


class BatchOut(Schema):
    entries: list[dict[str, Any]]
    forms: dict[str, list[dict[str, Any]]]


class BatchQuery(Schema):
    size: int = Field(BATCH_DEFAULT, ge=1, le=BATCH_MAX, description="how many entries")


class KeyingIn(Schema):
    device: UUID
    idempotency_key: str = Field(pattern=IDEMPOTENCY_PATTERN)
    entry: int = Field(ge=1)
    base_version: str = Field(max_length=64)
    values: dict[str, dict[str, str]]
    started_at: dt.datetime | None = None


class KeyingOut(Schema):
    result: str
    entry: int
    entry_number: int
    seq: int
    status: str
    status_label: str
    replayed: bool


class KeyingConflictOut(ErrorOut):
    entry: int
    entry_number: int
    device: dict[str, Any] = Field(description="the keying as the device sent it")
    server: dict[str, Any] = Field(description="what the server holds, as the clerk may see it")
    replayed: bool


class DecisionIn(Schema):
    choice: Literal["first", "second", "third"]
    third: dict[str, str] | None = Field(None, description="the value keyed, given ``third``")


class ArbitrationIn(Schema):
    device: UUID
    idempotency_key: str = Field(pattern=IDEMPOTENCY_PATTERN)
    entry: int = Field(ge=1)
    base_version: str = Field(max_length=64)
    decisions: dict[str, DecisionIn]


class ArbitrationOut(Schema):
    result: str
    entry: int
    entry_number: int
    status: str
    status_label: str
    replayed: bool


class IntakeFileIn(Schema):
    doc_key: str = Field(max_length=60)
    name: str = Field(max_length=200)
    data: str = Field(description="the file's bytes, base64")


class IntakeIn(Schema):
    device: UUID
    idempotency_key: str = Field(pattern=IDEMPOTENCY_PATTERN)
    procedure: str = Field(max_length=40)
    form_data: dict[str, str]
    contact: str = Field("", max_length=254)
    received_at: dt.datetime = Field(description="when the desk took the papers (with its zone)")
    files: list[IntakeFileIn] = Field(default_factory=list, max_length=20)


class IntakeOut(Schema):
    result: str
    dossier: int
    code: str
    received_at: dt.datetime | None
    due_date: dt.date | None
    status_label: str
    replayed: bool


class IntakeFormsOut(Schema):
    unit: str
    procedures: list[dict[str, Any]]


class SealedIn(Schema):
    device: UUID
    idempotency_key: str = Field(pattern=IDEMPOTENCY_PATTERN)
    iv: str = Field(max_length=32, description="the AES-GCM IV, base64")
    data: str = Field(description="the change as the device stored it (AES-GCM), base64")


class SealedOut(Schema):
    status: int
    sealed: dict[str, str] = Field(description="the answer encrypted for the device: iv, data")


def _worker(request: HttpRequest) -> User:
    """A staff user who may work offline (key, arbitrate or take dossiers); else 404."""
    action = next((a for a in DEVICE_ACTIONS if can(request.user, a)), None)
    if action is None:
        raise Http404
    return staff_user(request, action)


def _device_out(device: Any, key: bytes) -> dict[str, Any]:
    return {"id": device.public_id, "name": device.name, "key": base64.b64encode(key).decode()}


@router.post("/devices", response={201: DeviceOut}, summary="Đăng ký thiết bị làm việc ngoại tuyến")
def device_register(request: HttpRequest, payload: DeviceIn) -> Status[dict[str, Any]]:
    actor = _worker(request)
    device = services.device_register(actor=actor, name=payload.name)
    return Status(201, _device_out(device, services.device_key(device)))


@router.get("/devices/{uuid:device_id}/key", response=DeviceOut, summary="Khóa của thiết bị")
def device_key(request: HttpRequest, device_id: UUID) -> dict[str, Any]:
    actor = _worker(request)
    device, key = services.device_unlock(actor=actor, public_id=device_id)
    return _device_out(device, key)


@router.get("/batch", response=BatchOut, summary="Lấy một lô mục để nhập không có mạng")
def batch(request: HttpRequest, query: Query[BatchQuery]) -> dict[str, Any]:
    actor = staff_user(request, KEY_ACTION)
    return selectors.batch_take(actor, size=query.size)


@router.post(
    "/keyings",
    response={200: KeyingOut, 409: KeyingConflictOut},
    summary="Gửi một lần nhập làm khi không có mạng",
)
def keying(request: HttpRequest, payload: KeyingIn) -> Status[dict[str, Any]]:
    actor = staff_user(request, KEY_ACTION)
    answer = services.keying_sync(
        actor=actor,
        device=payload.device,
        key=payload.idempotency_key,
        entry_id=payload.entry,
        base_version=payload.base_version,
        values=payload.values,
        started_at=payload.started_at,
    )
    return Status(answer.status, answer.body)


@router.get(
    "/arbitration",
    response=BatchOut,
    summary="Lấy một lô mục chờ phân xử để phân xử không có mạng",
)
def arbitration(request: HttpRequest, query: Query[BatchQuery]) -> dict[str, Any]:
    actor = staff_user(request, ARBITRATE_ACTION)
    return selectors.arbitration_take(actor, size=query.size)


@router.post(
    "/decisions",
    response={200: ArbitrationOut, 409: KeyingConflictOut},
    summary="Gửi một lần phân xử làm khi không có mạng",
)
def decision(request: HttpRequest, payload: ArbitrationIn) -> Status[dict[str, Any]]:
    actor = staff_user(request, ARBITRATE_ACTION)
    answer = services.decision_sync(
        actor=actor,
        device=payload.device,
        key=payload.idempotency_key,
        entry_id=payload.entry,
        base_version=payload.base_version,
        decisions={name: (d.choice, d.third) for name, d in payload.decisions.items()},
    )
    return Status(answer.status, answer.body)


@router.get(
    "/intake/forms",
    response=IntakeFormsOut,
    summary="Các thủ tục tiếp nhận hồ sơ giấy của đơn vị, để làm khi không có mạng",
)
def intake_forms(request: HttpRequest) -> dict[str, Any]:
    actor = staff_user(request, INTAKE_ACTION)
    return selectors.intake_forms(actor)


@router.post(
    "/dossiers",
    response={201: IntakeOut},
    summary="Gửi một hồ sơ giấy tiếp nhận khi không có mạng",
)
def dossier(request: HttpRequest, payload: IntakeIn) -> Status[dict[str, Any]]:
    actor = staff_user(request, INTAKE_ACTION)
    files = []
    for f in payload.files:
        try:
            files.append((f.doc_key, f.name, base64.b64decode(f.data, validate=True)))
        except ValueError:
            raise ValidationFailed(_("Tệp gửi kèm không đọc được."), field="files") from None
    answer = services.intake_sync(
        actor=actor,
        device=payload.device,
        key=payload.idempotency_key,
        procedure_code=payload.procedure,
        form_data=payload.form_data,
        contact=payload.contact,
        received_at=payload.received_at,
        files=files,
    )
    return Status(answer.status, answer.body)


@router.post(
    "/sealed",
    response={200: SealedOut, 201: SealedOut, 409: SealedOut},
    summary="Gửi một thay đổi đã mã hóa (do service worker gửi khi trang đã đóng)",
)
def sealed(request: HttpRequest, payload: SealedIn) -> Status[dict[str, Any]]:
    actor = _worker(request)
    try:
        iv = base64.b64decode(payload.iv, validate=True)
        data = base64.b64decode(payload.data, validate=True)
    except ValueError:
        raise ValidationFailed(
            _("Không đọc được thay đổi gửi từ thiết bị."), field="data"
        ) from None
    answer, device = services.sealed_sync(
        actor=actor, device=payload.device, key=payload.idempotency_key, iv=iv, data=data
    )
    box_iv, box = services.sealed_seal(device, answer.body)
    return Status(
        answer.status,
        {
            "status": answer.status,
            "sealed": {
                "iv": base64.b64encode(box_iv).decode(),
                "data": base64.b64encode(box).decode(),
            },
        },
    )
