"""Writes of the reporting context: exports (audited) and submissions to the national system.

A push stores the submission (payload, idempotency key) in one transaction, delivers it outside
any transaction (retrying transient failures with the same key), then records the answer in
another. Reporting never writes to other contexts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import permits, require, unit_in_scope
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, NotFound, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.reporting.adapters.national import (
    AttemptLog,
    NationalReportingClient,
    Receipt,
    client_from_settings,
)
from hotich.reporting.civil_status import civil_status_report
from hotich.reporting.definitions import get_definition
from hotich.reporting.exports import form_report_payload, report_payload, report_xlsx
from hotich.reporting.models import (
    Attempt,
    FormReport,
    FormReportStatus,
    Submission,
    SubmissionStatus,
)
from hotich.reporting.pdf import render_report_pdf
from hotich.reporting.periods import Period
from hotich.signing.services import document_sign, new_verify_code

if TYPE_CHECKING:
    from hotich.geo.models import Unit

OBJECT_TYPE = "reporting.submission"
FORMATS = ("json", "xlsx")


def report_export(
    *, actor: Actor, unit: Unit, period: Period, fmt: str, today: dt.date | None = None
) -> bytes:
    """The civil-status report as JSON (the national payload) or XLSX (the form); audited."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng phải là json hoặc xlsx."), field="format")
    report = civil_status_report(
        actor=actor,
        unit=unit,
        period=period,
        today=today,
        definition=get_definition("civil_status"),
    )
    if fmt == "json":
        content = json.dumps(report_payload(report), ensure_ascii=False, indent=1).encode()
    else:
        content = report_xlsx(report)
    audit_record(
        actor=actor,
        action="export",
        object_type="reporting.report",
        object_id=f"civil_status/{unit.code}/{period.code}",
        detail={"format": fmt, "rows": len(report.rows)},
    )
    return content


def report_pdf_sign(
    *, actor: Actor, unit: Unit, period: Period, today: dt.date | None = None
) -> bytes:
    """The report as a PDF in the form's layout, signed by the actor and the unit's seal
    (``hotich.signing.services.document_sign``), with a QR code to its verify page."""
    require(actor, "reporting.submit", message=_("Bạn không có quyền ký báo cáo."), system=False)
    report = civil_status_report(
        actor=actor,
        unit=unit,
        period=period,
        today=today,
        definition=get_definition("civil_status"),
    )
    code = new_verify_code()
    document = document_sign(
        pdf=render_report_pdf(report, verify_code=code, signer=actor),
        actor=actor,
        unit=unit,
        kind="report",
        title=str(format_lazy(_("Báo cáo thống kê hộ tịch {period}"), period=period.label)),
        number=f"{report.definition.form_code} {period.code}",
        source_type="reporting.report",
        source_id=f"civil_status/{unit.code}/{period.code}",
        verify_code=code,
        public={"form": report.definition.form_code, "period": period.code, "unit": unit.name},
    )
    return bytes(document.pdf)


def _key(report: str, unit: Unit, period: Period, revision: int) -> str:
    text = f"hotich|{report}|{unit.era}{unit.code}|{period.code}|{revision}"
    return hashlib.sha256(text.encode()).hexdigest()


_SUBMIT_REFUSED = _("Bạn không có quyền gửi báo cáo.")


_NOT_CONFIGURED = _(
    "Chưa cấu hình địa chỉ Hệ thống thông tin báo cáo quốc gia (HOTICH_REPORTING_URL)."
)


def _client(client: NationalReportingClient | None) -> NationalReportingClient:
    client = client or client_from_settings()
    if client is None:
        raise ValidationFailed(_NOT_CONFIGURED, code="not_configured")
    return client


@transaction.atomic
def _submission_create(
    *, actor: Actor, unit: Unit, period: Period, today: dt.date | None
) -> Submission:
    definition = get_definition("civil_status")
    report = civil_status_report(
        actor=actor, unit=unit, period=period, today=today, definition=definition
    )
    same = Submission.objects.select_for_update().filter(
        report=definition.code, period_code=period.code, unit=unit
    )
    for existing in same.filter(
        status__in=[SubmissionStatus.ACCEPTED, SubmissionStatus.PENDING, SubmissionStatus.FAILED]
    ):
        if existing.status == SubmissionStatus.ACCEPTED:
            raise Conflict(
                format_lazy(
                    _(
                        "Báo cáo {period} của {unit} đã được tiếp nhận (mã {receipt}); không gửi "
                        "lại."
                    ),
                    period=period.label,
                    unit=unit.name,
                    receipt=existing.receipt_id,
                ),
                code="already_accepted",
            )
        raise Conflict(
            _("Báo cáo kỳ này đang chờ gửi lại: dùng nút “Gửi lại” của lần gửi trước."),
            code="pending",
        )
    revision = (same.aggregate(m=Max("revision"))["m"] or 0) + 1
    payload = report_payload(report)
    try:
        with transaction.atomic():
            submission = _submission_insert(
                actor, definition.code, definition.form_code, unit, period, revision, payload
            )
    except IntegrityError:
        raise Conflict(
            _("Báo cáo kỳ này vừa được gửi từ một phiên khác."), code="concurrent"
        ) from None
    return submission


def _submission_insert(
    actor: Actor,
    report: str,
    form_code: str,
    unit: Unit,
    period: Period,
    revision: int,
    payload: dict[str, Any],
    *,
    form_report: FormReport | None = None,
) -> Submission:
    """The new submission (audited), keyed by report, unit, period and revision (by form,
    organization, period and revision for a form report)."""
    key = (
        _key(report, unit, period, revision)
        if form_report is None
        else _form_key(form_report, revision)
    )
    submission = Submission.objects.create(
        report=report,
        form_code=form_code,
        regime=period.regime,
        period_code=period.code,
        unit=unit,
        form_report=form_report,
        revision=revision,
        idempotency_key=key,
        payload=payload,
        payload_sha256=hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest(),
        created_by=acting_user(actor),
    )
    audit_record(
        actor=actor,
        action="create",
        object_type=OBJECT_TYPE,
        object_id=submission.pk,
        after={"key": submission.idempotency_key, "sha256": submission.payload_sha256},
    )
    return submission


def _record_receipt(step: Step[Submission]) -> None:
    submission, receipt = step.obj, step.params["receipt"]
    submission.attempts += len(receipt.attempts)
    step.to_status = _OUTCOMES.get(receipt.outcome, SubmissionStatus.FAILED)
    submission.message = receipt.message[:500]
    if receipt.outcome == "accepted":
        submission.receipt_id = receipt.receipt_id
        submission.receiver_status = receipt.receiver_status
        submission.accepted_at = timezone.now()
    step.detail.update(status=step.to_status, attempts=len(receipt.attempts))


def _attempts(step: Step[Submission]) -> None:
    Attempt.objects.bulk_create(
        Attempt(
            submission=step.obj,
            http_status=log.http_status,
            outcome=log.outcome,
            message=log.message[:500],
        )
        for log in step.params["receipt"].attempts
    )


def _in_scope(actor: Actor, submission: Submission) -> None:
    if actor is not None and not unit_in_scope(actor, submission.unit):
        raise NotFound(_("Không tìm thấy báo cáo."))


_OUTCOMES = {"accepted": SubmissionStatus.ACCEPTED, "rejected": SubmissionStatus.REJECTED}
_AFTER_DELIVERY = (SubmissionStatus.ACCEPTED, SubmissionStatus.REJECTED, SubmissionStatus.FAILED)

#: a submission is delivered (again, after a failure, under the same key) until the receiver
#: accepts or rejects it; a rejected report is sent again as a new submission (next revision)
SUBMISSION_LIFECYCLE = Lifecycle(
    model=Submission,
    object_type=OBJECT_TYPE,
    noun=_("báo cáo"),
    statuses=SubmissionStatus,
    actions=[
        Action("deliver", _("Gửi"), "reporting.submit", _AFTER_DELIVERY, _record_receipt),
    ],
    table={
        SubmissionStatus.PENDING: ("deliver",),
        SubmissionStatus.FAILED: ("deliver",),
        SubmissionStatus.ACCEPTED: (),
        SubmissionStatus.REJECTED: (),
    },
    initial=(SubmissionStatus.PENDING,),
    scope=_in_scope,
    permits=permits,
    history=_attempts,
    audit=audit_record,
)


def _deliver(actor: Actor, submission: Submission, client: NationalReportingClient) -> Submission:
    """Send the payload (outside any transaction: the receiver may be slow), then record the
    receipt as the submission's transition."""
    receipt = client.submit(submission.payload, idempotency_key=submission.idempotency_key)
    return SUBMISSION_LIFECYCLE.transition(
        actor=actor, obj=submission, action="deliver", receipt=receipt
    )


def submission_push(
    *,
    actor: Actor,
    unit: Unit,
    period: Period,
    client: NationalReportingClient | None = None,
    today: dt.date | None = None,
) -> Submission:
    """Build the report of ``unit`` for ``period`` and send it to the national system.

    Refused when the period has not ended, the unit is outside the actor's scope, or a report of
    this period was accepted already (Conflict) or is waiting to be resent."""
    require(actor, "reporting.submit", message=_SUBMIT_REFUSED)
    client = _client(client)
    submission = _submission_create(actor=actor, unit=unit, period=period, today=today)
    return _deliver(actor, submission, client)


def submission_resubmit(
    *,
    actor: Actor,
    submission: Submission,
    client: NationalReportingClient | None = None,
    today: dt.date | None = None,
) -> Submission:
    """Send again: a failed delivery is retried as it was (same payload, same key: the receiver
    keeps one copy); a rejected report is rebuilt and sent as the next revision."""
    require(actor, "reporting.submit", message=_SUBMIT_REFUSED)
    client = _client(client)
    if submission.status == SubmissionStatus.ACCEPTED:
        raise Conflict(
            format_lazy(
                _("Báo cáo đã được tiếp nhận (mã {receipt}); không gửi lại."),
                receipt=submission.receipt_id,
            ),
            code="already_accepted",
        )
    if submission.status == SubmissionStatus.REJECTED and submission.form_report is not None:
        pushed = form_report_push(
            actor=actor, report=submission.form_report, client=client, force=True
        )
        return pushed or submission
    if submission.status == SubmissionStatus.REJECTED:
        period = Period.parse(
            submission.period_code, cutoff_day=get_definition(submission.report).cutoff_day
        )
        return submission_push(
            actor=actor, unit=submission.unit, period=period, client=client, today=today
        )
    return _deliver(actor, submission, client)


def submission_refresh(
    *, actor: Actor, submission: Submission, client: NationalReportingClient | None = None
) -> Submission:
    """Ask the receiver for the status of an accepted submission and record it."""
    require(actor, "reporting.submit", message=_SUBMIT_REFUSED)
    if not submission.receipt_id:
        raise ValidationFailed(_("Báo cáo chưa được tiếp nhận nên chưa có trạng thái."))
    receipt = _client(client).status(submission.receipt_id)
    if receipt.outcome != "accepted":
        raise ValidationFailed(
            format_lazy(
                _("Không hỏi được trạng thái từ hệ thống báo cáo: {reason}"),
                reason=receipt.message or receipt.http_status,
            ),
            code="status_unavailable",
        )
    with transaction.atomic():
        submission.receiver_status = receipt.receiver_status
        submission.save(update_fields=["receiver_status", "updated_at"])
    return submission


# --- approved indicator forms ---------------------------------------------------------------


def _form_key(report: FormReport, revision: int) -> str:
    org = report.organization
    text = f"hotich|form|{report.form.code}|{org.code}|{report.period_code}|{revision}"
    return hashlib.sha256(text.encode()).hexdigest()


def form_report_push(
    *,
    actor: Actor,
    report: FormReport,
    client: NationalReportingClient | None = None,
    force: bool = False,
) -> Submission | None:
    """Send an approved, non-secret form report to the national system (queued when the form is
    approved). Its latest submission is delivered again while it has not been answered (same
    key); a report approved again after a reopening, or rejected (``force``), is sent as the
    next revision with a new key. None when there is nothing to send: the form is secret or no
    longer approved, or this approval was accepted already."""
    require(actor, "reporting.submit", message=_SUBMIT_REFUSED)
    report = FormReport.objects.select_related("form", "organization__unit").get(pk=report.pk)
    if report.form.is_secret or report.status != FormReportStatus.APPROVED:
        return None
    payload = form_report_payload(report)
    digest = hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    with transaction.atomic():
        latest = (
            Submission.objects.select_for_update()
            .filter(form_report=report)
            .order_by("-revision")
            .first()
        )
        answered = latest is not None and latest.status in (
            SubmissionStatus.ACCEPTED,
            SubmissionStatus.REJECTED,
        )
        if latest is not None and latest.payload_sha256 == digest and not force:
            if answered:
                return None
            submission = latest
        else:
            revision = (latest.revision if latest else 0) + 1
            submission = _submission_insert(
                actor,
                f"form:{report.pk}",
                report.form.code,
                report.organization.unit,
                Period.parse(report.period_code, cutoff_day=report.form.cutoff_day),
                revision,
                payload,
                form_report=report,
            )
    client = client or client_from_settings()
    if client is None:
        receipt = Receipt(
            outcome="failed",
            message=str(_NOT_CONFIGURED),
            attempts=[AttemptLog(None, "error", str(_NOT_CONFIGURED))],
        )
        return SUBMISSION_LIFECYCLE.transition(
            actor=actor, obj=submission, action="deliver", receipt=receipt
        )
    return _deliver(actor, submission, client)
