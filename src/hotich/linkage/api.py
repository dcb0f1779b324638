"""REST API of linkage (/api/v1/linkage): runs, the review queue and decisions, disagreements.
Scoped to the user's unit (outside: 404)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from hotich.accounts.web import staff_user
from hotich.core.errors import ValidationFailed
from hotich.linkage import selectors, services
from hotich.linkage.permissions import VIEW

router = Router(tags=["linkage"])


class RunOut(Schema):
    id: int
    kind: str
    status: str
    left_name: str
    right_name: str
    threshold_low: float
    threshold_high: float
    pair_count: int
    auto_count: int
    review_count: int
    label_count: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class PairOut(Schema):
    id: int
    run: int
    left_id: str
    right_id: str
    probability: float
    status: str
    left_record: dict[str, str]
    right_record: dict[str, str]
    note: str


class DecisionIn(Schema):
    decision: str = ""
    note: str = ""


class DisagreementOut(Schema):
    id: int
    record: int
    role: str
    field: str
    book_value: str
    popdb_value: str
    is_historic: bool
    page_image_id: int | None
    resolution: str
    note: str


class ResolutionIn(Schema):
    resolution: str = ""
    note: str = ""


def _pair(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "run": p.run_id,
        "left_id": p.left_id,
        "right_id": p.right_id,
        "probability": p.probability,
        "status": p.status,
        "left_record": p.left_record,
        "right_record": p.right_record,
        "note": p.note,
    }


def _disagreement(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "record": d.record_id,
        "role": d.role,
        "field": d.field,
        "book_value": d.book_value,
        "popdb_value": d.popdb_value,
        "is_historic": d.is_historic,
        "page_image_id": d.page_image_id,
        "resolution": d.resolution,
        "note": d.note,
    }


@router.get("/runs", response=list[RunOut], url_name="linkage_runs")
def runs(request: HttpRequest) -> Any:
    actor = staff_user(request, VIEW)
    return list(selectors.runs_visible(actor)[:100])


@router.get("/runs/{int:run_id}", response=RunOut, url_name="linkage_run")
def run(request: HttpRequest, run_id: int) -> Any:
    actor = staff_user(request, VIEW)
    return selectors.run_get(actor=actor, run_id=run_id)


@router.get("/review", response=list[PairOut], url_name="linkage_review")
def review(request: HttpRequest) -> list[dict[str, Any]]:
    """Pairs waiting for a decision (without the records: open one to see them)."""
    actor = staff_user(request, VIEW)
    return [
        {**_pair(p), "left_record": {}, "right_record": {}}
        for p in selectors.review_queue(actor)[:200]
    ]


@router.get("/pairs/{int:pair_id}", response=PairOut, url_name="linkage_pair")
def pair(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    actor = staff_user(request, VIEW)
    return _pair(selectors.pair_get(actor=actor, pair_id=pair_id))


def _body(request: HttpRequest, schema: type[Schema]) -> Any:
    """The JSON body, read after the scope check (so another unit's id gives 404, not 400)."""
    try:
        data = json.loads(request.body or b"{}")
        return schema(**data) if isinstance(data, dict) else schema()
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(_("Nội dung yêu cầu không phải JSON hợp lệ.")) from exc


def _openapi_body(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


@router.post(
    "/pairs/{int:pair_id}/decision",
    response=PairOut,
    url_name="linkage_pair_decide",
    openapi_extra=_openapi_body(DecisionIn),
)
def pair_decide(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    """Body ``{"decision": "accepted" | "rejected", "note": ""}``."""
    actor = staff_user(request, VIEW)
    obj = selectors.pair_get(actor=actor, pair_id=pair_id, audit=False)
    payload = _body(request, DecisionIn)
    return _pair(
        services.pair_decide(actor=actor, pair=obj, decision=payload.decision, note=payload.note)
    )


@router.get("/disagreements", response=list[DisagreementOut], url_name="linkage_disagreements")
def disagreements(request: HttpRequest, open_only: bool = True) -> list[dict[str, Any]]:
    actor = staff_user(request, VIEW)
    items = selectors.disagreements_visible(actor, open_only=open_only)[:200]
    return [_disagreement(d) for d in items]


@router.post(
    "/disagreements/{int:disagreement_id}/resolution",
    response=DisagreementOut,
    url_name="linkage_disagreement_resolve",
    openapi_extra=_openapi_body(ResolutionIn),
)
def disagreement_resolve(request: HttpRequest, disagreement_id: int) -> dict[str, Any]:
    """Body ``{"resolution": "book_wins" | "register_correction" | "wrong_id" |
    "no_difference", "note": ""}``."""
    actor = staff_user(request, VIEW)
    obj = selectors.disagreement_get(actor=actor, disagreement_id=disagreement_id, audit=False)
    payload = _body(request, ResolutionIn)
    return _disagreement(
        services.disagreement_resolve(
            actor=actor, disagreement=obj, resolution=payload.resolution, note=payload.note
        )
    )
