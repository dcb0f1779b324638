"""REST API of the portal (/api/v1/portal).

Public, without login: the procedure catalogue, a dossier's status by its code (POST, so the
code stays out of URLs and logs; rate-limited per client address) and the payment gateway's
callback (HMAC-signed). The rest is for staff, scoped to their unit (outside: 404)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, P, QueryEx, Router, Schema
from pydantic import ValidationError as PydanticError

from hotich.accounts.web import staff_user
from hotich.core.errors import ValidationFailed
from hotich.core.ratelimit import rate_limit
from hotich.portal.metrics import unit_metrics
from hotich.portal.selectors import (
    deadline_flag,
    dossier_get,
    dossier_public_status,
    dossiers_visible,
    procedure_public,
    procedures_public,
    units_for_metrics,
)
from hotich.portal.services import allowed_actions, dossier_transition, payment_callback

if TYPE_CHECKING:
    from hotich.accounts.models import User

router = Router(tags=["portal"])


class ProcedureOut(Schema):
    code: str
    name: str
    domain: str
    authority_level: str
    legal_basis: str
    required_documents: list[dict[str, Any]]
    fee: int
    copy_fee: int
    processing_days: int = Field(description="working days")
    service_class: str = Field(description="full (toàn trình) or partial (một phần)")
    old_level: int
    online: bool


class ProcedureDetailOut(ProcedureOut):
    form_schema: dict[str, Any]


def _procedure(p: Any, detail: bool = False) -> dict[str, Any]:
    out = {
        "code": p.code,
        "name": p.name,
        "domain": p.domain,
        "authority_level": p.authority_level,
        "legal_basis": p.legal_basis,
        "required_documents": p.required_documents,
        "fee": p.fee,
        "copy_fee": p.copy_fee,
        "processing_days": p.processing_days,
        "service_class": p.service_class,
        "old_level": p.old_level,
        "online": p.is_online,
    }
    if detail:
        out["form_schema"] = p.form_schema
    return out


@router.get("/procedures", response=list[ProcedureOut], auth=None, url_name="portal_procedures")
def procedures(request: HttpRequest, q: str = "", online: bool = False) -> list[dict[str, Any]]:
    return [_procedure(p) for p in procedures_public(query=q, online_only=online)]


@router.get(
    "/procedures/{code}", response=ProcedureDetailOut, auth=None, url_name="portal_procedure"
)
def procedure(request: HttpRequest, code: str) -> dict[str, Any]:
    return _procedure(procedure_public(code=code), detail=True)


class CodeIn(Schema):
    code: str = Field(max_length=64)


class HistoryOut(Schema):
    at: str
    status: str


class PublicStatusOut(Schema):
    code: str
    procedure: str
    unit: str
    status: str
    status_label: str
    submitted_on: str
    due_date: str | None
    history: list[HistoryOut]


@router.post("/status", response=PublicStatusOut, auth=None, url_name="portal_status")
def status(request: HttpRequest, payload: CodeIn) -> Any:
    """A dossier's public status by its code; any code that is not a dossier's gets the same
    404, whatever it looks like. Limited per client address (``HOTICH_RATE_STATUS``)."""
    rate_limit(request, "status")
    found = dossier_public_status(code=payload.code)
    if found is None:
        raise Http404
    # already the documented shape: skip re-validating it (the hottest public path)
    return JsonResponse(found.as_json(), json_dumps_params={"ensure_ascii": False})


class OutcomeOut(Schema):
    outcome: str = Field(
        description="accepted, bad_signature, malformed, unknown_reference, replay, "
        "amount_mismatch (docs/payment-contract.md)"
    )


@router.post(
    "/payments/callback/{provider}",
    response={200: OutcomeOut, 400: OutcomeOut},
    auth=None,
    url_name="portal_payment_callback",
)
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The gateway's callback: the raw JSON body signed with HMAC-SHA256 in ``X-Signature``
    (docs/payment-contract.md). 200 when accepted; 400 with the reason otherwise."""
    outcome = payment_callback(
        provider=provider[:30],
        body=request.body[:10_000],
        signature=request.headers.get("X-Signature", ""),
    )
    return JsonResponse({"outcome": str(outcome)}, status=200 if outcome == "accepted" else 400)


class DossierOut(Schema):
    id: int
    code: str
    procedure: str
    unit: str
    channel: str
    status: str
    submitted_at: dt.datetime
    due_date: dt.date | None
    deadline: str = Field(description='"overdue", "near" or ""')
    actions: list[str]


def _dossier(actor: User, d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "code": d.code,
        "procedure": d.procedure.code,
        "unit": d.unit.name,
        "channel": d.channel,
        "status": d.status,
        "submitted_at": d.submitted_at,
        "due_date": d.due_date,
        "deadline": deadline_flag(d),
        "actions": allowed_actions(actor, d),
    }


@router.get("/dossiers", response=list[DossierOut], url_name="portal_dossiers")
def dossiers(
    request: HttpRequest,
    status: QueryEx[str, P(max_length=20)] = "",
    limit: QueryEx[int, P(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    actor = staff_user(request, "portal.view")
    qs = dossiers_visible(actor)
    if status:
        qs = qs.filter(status=status)
    return [_dossier(actor, d) for d in qs[:limit]]


@router.get("/dossiers/{int:dossier_id}", response=DossierOut, url_name="portal_dossier")
def dossier(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    actor = staff_user(request, "portal.view")
    return _dossier(actor, dossier_get(actor=actor, dossier_id=dossier_id))


class ActionIn(Schema):
    action: str
    note: str = ""
    related_record: int | None = None
    confirm_warnings: bool = Field(
        False,
        description="approve despite the warnings of the register's rules (once checked); "
        "without it such an approval is answered 409 code warnings_unconfirmed listing them",
    )


@router.post(
    "/dossiers/{int:dossier_id}/actions",
    response=DossierOut,
    url_name="portal_dossier_action",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": ActionIn.model_json_schema()}},
            "required": True,
        }
    },
)
def dossier_action(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    """Apply one action of the status table. The body is read after the scope check, so a
    dossier outside the caller's unit is a 404 whatever is posted."""
    actor = staff_user(request, "portal.view")
    d = dossier_get(actor=actor, dossier_id=dossier_id)
    try:
        payload = ActionIn.model_validate_json(request.body or b"{}")
    except PydanticError:
        raise ValidationFailed(_("Dữ liệu gửi lên không hợp lệ."), field="action") from None
    d = dossier_transition(
        actor=actor,
        dossier=d,
        action=payload.action,
        note=payload.note,
        related_record=payload.related_record,
        confirm_warnings=payload.confirm_warnings,
    )
    return _dossier(actor, d)


class MetricOut(Schema):
    key: str
    label: str
    value: float | None
    unit: str
    numerator: float
    denominator: float


@router.get("/metrics", response=list[MetricOut], url_name="portal_metrics")
def metrics(
    request: HttpRequest,
    unit: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Decision 766 indicators of the actor's unit (or a unit below it) for a period."""
    actor = staff_user(request, "portal.metrics")
    today = timezone.localdate()
    target, _children = units_for_metrics(actor, unit)
    return [
        m.__dict__
        for m in unit_metrics(
            unit=target, start=start or today.replace(month=1, day=1), end=end or today
        )
    ]
