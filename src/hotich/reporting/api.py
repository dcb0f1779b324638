"""REST API of the reporting context (/api/v1/reporting): the civil-status report as the national
payload, the deadline calendar, and submissions to the national reporting system."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, P, QueryEx, Router, Schema, Status

from hotich.accounts.web import staff_user
from hotich.reporting.definitions import deadline_calendar, get_definition
from hotich.reporting.exports import report_payload
from hotich.reporting.periods import PERIOD_PATTERN, YEAR_MAX, YEAR_MIN, Period
from hotich.reporting.selectors import (
    civil_status,
    report_unit,
    submission_get,
    submissions_visible,
)
from hotich.reporting.services import submission_push, submission_refresh, submission_resubmit
from hotich.reporting.signature_use import SIGNATURE_YEARS, signature_ranking

router = Router(tags=["reporting"])


class CalendarOut(Schema):
    report: str
    form_code: str
    period: str
    label: str
    start: dt.date
    end: dt.date
    deadline: dt.date
    status: str


UNIT_DESCRIPTION = "mã tỉnh hoặc xã hiện nay trong phạm vi / a current province or commune code"
PERIOD_DESCRIPTION = "kỳ báo cáo / the period: 2025-Y, 2025-H1, 2025-Q3, 2025-M07"


class SubmissionIn(Schema):
    unit: str = Field(max_length=10, description=UNIT_DESCRIPTION)
    period: str = Field(pattern=PERIOD_PATTERN, description=PERIOD_DESCRIPTION)


class SubmissionOut(Schema):
    id: int
    report: str
    form_code: str
    period: str
    unit: str
    revision: int
    status: str
    receipt_id: str
    receiver_status: str
    message: str
    attempts: int
    idempotency_key: str
    created_at: dt.datetime


def _out(s: Any) -> SubmissionOut:
    return SubmissionOut(
        id=s.pk,
        report=s.report,
        form_code=s.form_code,
        period=s.period_code,
        unit=s.unit.code,
        revision=s.revision,
        status=s.status,
        receipt_id=s.receipt_id,
        receiver_status=s.receiver_status,
        message=s.message,
        attempts=s.attempts,
        idempotency_key=s.idempotency_key,
        created_at=s.created_at,
    )


def _period(code: str) -> Period:
    return Period.parse(code, cutoff_day=get_definition("civil_status").cutoff_day)


@router.get("/civil-status", response=dict[str, Any], url_name="reporting_civil_status")
def civil_status_payload(
    request: HttpRequest,
    period: QueryEx[str, P(pattern=PERIOD_PATTERN, description=PERIOD_DESCRIPTION)],
    unit: QueryEx[str, P(max_length=10, description=UNIT_DESCRIPTION)] = "",
) -> dict[str, Any]:
    """The civil-status statistics of a unit for a period that has ended, as the JSON payload
    sent to the national reporting system (schema: reporting/schemas/report-data.schema.json)."""
    actor = staff_user(request, "reporting.view")
    found = report_unit(actor=actor, code=unit)
    return report_payload(civil_status(actor=actor, unit=found, period=_period(period)))


@router.get("/calendar", response=list[CalendarOut], url_name="reporting_calendar")
def calendar(
    request: HttpRequest, year: QueryEx[int, P(ge=YEAR_MIN, le=YEAR_MAX)]
) -> list[CalendarOut]:
    staff_user(request, "reporting.view")
    today = timezone.localdate()
    return [
        CalendarOut(
            report=row.report.code,
            form_code=row.report.form_code,
            period=row.period.code,
            label=str(row.period.label),
            start=row.period.start,
            end=row.period.end,
            deadline=row.deadline,
            status=row.status(today),
        )
        for row in deadline_calendar(year)
    ]


class RankOut(Schema):
    rank: int
    unit_id: int
    unit: str
    total: int
    signers: int
    by_kind: dict[str, int]


@router.get("/signature-use", response=list[RankOut], url_name="reporting_signature_use")
def signature_use(
    request: HttpRequest,
    year: QueryEx[int, P(ge=SIGNATURE_YEARS[0], le=SIGNATURE_YEARS[1])],
    quarter: QueryEx[int, P(ge=1, le=4)],
    unit: QueryEx[str, P(max_length=10, description=UNIT_DESCRIPTION)] = "",
) -> list[RankOut]:
    """Documents signed digitally per unit in a quarter that has ended, ranked (ties share a
    rank), for the units in your scope."""
    actor = staff_user(request, "reporting.view")
    found = report_unit(actor=actor, code=unit)
    ranking = signature_ranking(actor=actor, unit=found, year=year, quarter=quarter)
    return [
        RankOut(
            rank=r.rank,
            unit_id=r.unit_id,
            unit=r.unit_name,
            total=r.total,
            signers=r.signers,
            by_kind=r.by_kind,
        )
        for r in ranking.rows
    ]


@router.get("/submissions", response=list[SubmissionOut], url_name="reporting_submissions")
def submissions(request: HttpRequest) -> list[SubmissionOut]:
    actor = staff_user(request, "reporting.view")
    return [_out(s) for s in submissions_visible(actor)[:200]]


@router.post("/submissions", response={201: SubmissionOut}, url_name="reporting_submission_push")
def push(request: HttpRequest, body: SubmissionIn) -> Any:
    actor = staff_user(request, "reporting.submit")
    unit = report_unit(actor=actor, code=body.unit)
    return Status(201, _out(submission_push(actor=actor, unit=unit, period=_period(body.period))))


@router.get(
    "/submissions/{int:submission_id}", response=SubmissionOut, url_name="reporting_submission"
)
def submission(request: HttpRequest, submission_id: int) -> SubmissionOut:
    actor = staff_user(request, "reporting.view")
    return _out(submission_get(actor=actor, submission_id=submission_id))


@router.post(
    "/submissions/{int:submission_id}/resubmit",
    response=SubmissionOut,
    url_name="reporting_submission_resubmit",
)
def resubmit(request: HttpRequest, submission_id: int) -> SubmissionOut:
    actor = staff_user(request, "reporting.submit")
    found = submission_get(actor=actor, submission_id=submission_id)
    return _out(submission_resubmit(actor=actor, submission=found))


@router.post(
    "/submissions/{int:submission_id}/status",
    response=SubmissionOut,
    url_name="reporting_submission_status",
)
def refresh(request: HttpRequest, submission_id: int) -> SubmissionOut:
    actor = staff_user(request, "reporting.submit")
    found = submission_get(actor=actor, submission_id=submission_id)
    return _out(submission_refresh(actor=actor, submission=found))
