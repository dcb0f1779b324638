"""Staff pages of the reporting context (/bao-cao/). Each view translates input, makes one
domain call and maps a DomainError to a clear message (period not ended, unit outside the
user's scope, push rejected)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can, unit_in_scope
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.core.errors import NotFound
from hotich.geo.vocabulary import Level
from hotich.reporting.civil_status import CivilStatusReport
from hotich.reporting.definitions import deadline_calendar, get_definition
from hotich.reporting.digitization_progress import digitization_progress
from hotich.reporting.forms import ReportQueryForm
from hotich.reporting.models import SubmissionStatus
from hotich.reporting.periods import Period, period_containing
from hotich.reporting.selectors import (
    civil_status,
    report_unit,
    report_unit_options,
    submission_get,
    submissions_visible,
)
from hotich.reporting.service_metrics import service_metrics_report
from hotich.reporting.services import (
    report_export,
    report_pdf_sign,
    submission_push,
    submission_refresh,
    submission_resubmit,
)
from hotich.reporting.signature_use import signature_ranking

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _last_ended_year() -> int:
    today = timezone.localdate()
    current = period_containing(
        "yearly", today, cutoff_day=get_definition("civil_status").cutoff_day
    )
    return current.year - 1


def _query(request: StaffRequest) -> tuple[ReportQueryForm, Any, Period | None]:
    """The form and (unit, period) it names; DomainError for a refused unit or period."""
    data = request.GET.copy() if request.method == "GET" else request.POST.copy()
    data.setdefault("year", str(_last_ended_year()))
    data.setdefault("period", "Y")
    if request.user.unit is not None:
        data.setdefault("unit", request.user.unit.code)  # the picker shows the own unit chosen
    form = ReportQueryForm(data, unit_options=report_unit_options(actor=request.user))
    if not form.is_valid():
        return form, None, None
    definition = get_definition("civil_status")
    period = Period.parse(form.period_code(), cutoff_day=definition.cutoff_day)
    unit = report_unit(actor=request.user, code=form.cleaned_data["unit"])
    return form, unit, period


def _chosen(request: StaffRequest) -> tuple[Any, Period]:
    """The (unit, period) the request names, or NotFound when its period is not valid."""
    _form, unit, period = _query(request)
    if unit is None or period is None:
        raise NotFound(_("Chưa chọn kỳ báo cáo hợp lệ."))
    return unit, period


def _attachment(
    content: bytes, content_type: str, unit: Any, period: Period, ext: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"bao-cao-ho-tich-{unit.code}-{period.code}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _is_empty(fig: Any) -> bool:
    return not any(fig.values.values())


def _chart(rows: list[Any]) -> dict[str, Any]:
    """The data of the dashboard's chart (drawn by Chart.js): units with figures only."""
    series = [("KS_TONG", _("Khai sinh")), ("KT_TONG", _("Khai tử")), ("KH_TONG", _("Kết hôn"))]
    return {
        "title": str(_("Khai sinh, khai tử, kết hôn theo đơn vị")),
        "labels": [fig.unit.short_name or fig.unit.name for fig in rows],
        "series": [
            {"label": str(name), "data": [fig.values[code] or 0 for fig in rows]}
            for code, name in series
        ],
    }


def _table(report: CivilStatusReport) -> dict[str, Any]:
    codes = [i.code for i in report.indicators]
    groups = [
        (name, len(list(items)))
        for name, items in groupby(report.indicators, key=lambda i: str(i.group))
    ]
    rows = report.rows
    shown = [fig for fig in rows if not _is_empty(fig)] if len(rows) > 1 else rows
    return {
        "groups": groups,
        "chart": _chart(shown),
        "table": [(fig.unit, [fig.values[c] for c in codes]) for fig in shown],
        # units with nothing to report: folded under one line, not a row of zeros each
        "empty_units": [fig.unit for fig in rows if fig not in shown],
        "total_row": [report.total.values[c] for c in codes],
        "ethnicity_row": [report.total.births_by_ethnicity[e] for e in report.ethnicities],
    }


@staff_required("reporting.view")
def dashboard(request: StaffRequest) -> HttpResponse:
    context: dict[str, Any] = {"can_submit": can(request.user, "reporting.submit")}
    with DomainErrors(context=context) as caught:
        form, unit, period = _query(request)
        context["form"] = form
        if unit is not None and period is not None:
            report = civil_status(actor=request.user, unit=unit, period=period)
            params = {"year": form.cleaned_data["year"], "period": form.cleaned_data["period"]}
            context.update(
                report=report,
                params=urlencode(params),
                drill=unit.level != Level.COMMUNE,
                up=(
                    urlencode({**params, "unit": unit.parent.code})
                    if unit.parent is not None and unit_in_scope(request.user, unit.parent)
                    else ""
                ),
                export_params=urlencode({**params, "unit": unit.code}),
                **_table(report),
            )
    context.setdefault(
        "form",
        ReportQueryForm(request.GET or None, unit_options=report_unit_options(actor=request.user)),
    )
    return render(request, "reporting/dashboard.html", context, status=caught.status)


def _dashboard_url(request: HttpRequest) -> str:
    """The report a posted form came from: its query fields only, never the CSRF token."""
    fields = ("year", "period", "unit")
    query = {name: request.POST[name] for name in fields if name in request.POST}
    return f"{reverse('reporting:dashboard')}?{urlencode(query)}"


@staff_required("reporting.view")
def export(request: StaffRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    with DomainErrors(request):
        unit, period = _chosen(request)
        content = report_export(actor=request.user, unit=unit, period=period, fmt=fmt)
        return _attachment(
            content, XLSX if fmt == "xlsx" else "application/json", unit, period, fmt
        )
    return redirect(f"{reverse('reporting:dashboard')}?{request.GET.urlencode()}")


@require_POST
@staff_required("reporting.submit")
def sign_pdf(request: StaffRequest) -> HttpResponse:
    back = _dashboard_url(request)
    with DomainErrors(request):
        unit, period = _chosen(request)
        content = report_pdf_sign(actor=request.user, unit=unit, period=period)
        return _attachment(content, "application/pdf", unit, period, "pdf")
    return redirect(back)


@require_POST
@staff_required("reporting.submit")
def push(request: StaffRequest) -> HttpResponse:
    back = _dashboard_url(request)
    with DomainErrors(request):
        unit, period = _chosen(request)
        submission = submission_push(actor=request.user, unit=unit, period=period)
        _flash(request, submission)
        return redirect("reporting:submission", submission_id=submission.pk)
    return redirect(back)


def _flash(request: HttpRequest, submission: Any) -> None:
    if submission.status == SubmissionStatus.ACCEPTED:
        messages.success(
            request,
            _("Báo cáo đã được tiếp nhận, mã tiếp nhận %(r)s.") % {"r": submission.receipt_id},
        )
    elif submission.status == SubmissionStatus.REJECTED:
        messages.error(
            request,
            _("Hệ thống báo cáo từ chối báo cáo: %(m)s. Sửa số liệu rồi gửi lại.")
            % {"m": submission.message},
        )
    else:
        messages.error(
            request,
            _(
                "Chưa gửi được sau %(n)s lần thử (%(m)s). Bấm “Gửi lại” khi hệ thống sẵn sàng; "
                "báo cáo sẽ không bị nộp hai lần."
            )
            % {"n": submission.attempts, "m": submission.message or "—"},
        )


def _last_ended_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the one before the current quarter
    return (today.year, quarter) if quarter else (today.year - 1, 4)


@staff_required("reporting.view")
def signatures(request: StaffRequest) -> HttpResponse:
    # The ranking is for the quarterly commendation, decided on a whole quarter (one under way is
    # refused): by default the last quarter that has ended, and the page says so.
    ended = _last_ended_quarter()
    today = timezone.localdate()
    current = (today.year, (today.month - 1) // 3 + 1)
    year, quarter = ended
    try:
        year = int(request.GET.get("year") or year)
        quarter = int(request.GET.get("quarter") or quarter)
    except ValueError:
        pass
    context: dict[str, Any] = {
        "year": year,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
        "ended": ended,
        "current": current,
        "is_ended": (year, quarter) == ended,
    }
    with DomainErrors(context=context) as caught:
        unit = report_unit(actor=request.user, code=request.GET.get("unit"))
        context["ranking"] = signature_ranking(
            actor=request.user, unit=unit, year=year, quarter=quarter
        )
    return render(request, "reporting/signatures.html", context, status=caught.status)


@staff_required("reporting.view")
def digitization(request: StaffRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    with DomainErrors(context=context) as caught:
        unit = report_unit(actor=request.user, code=request.GET.get("unit"))
        context["progress"] = digitization_progress(actor=request.user, unit=unit)
    return render(request, "reporting/digitization.html", context, status=caught.status)


@staff_required("reporting.view")
def services(request: StaffRequest) -> HttpResponse:
    """Decision 766 service metrics per commune for a reporting period, with drill-down."""
    context: dict[str, Any] = {}
    with DomainErrors(context=context) as caught:
        form, unit, period = _query(request)
        context["form"] = form
        if unit is not None and period is not None:
            params = {"year": form.cleaned_data["year"], "period": form.cleaned_data["period"]}
            context.update(
                report=service_metrics_report(actor=request.user, unit=unit, period=period),
                params=urlencode(params),
                drill=unit.level != Level.COMMUNE,
            )
    context.setdefault("form", ReportQueryForm(request.GET or None))
    return render(request, "reporting/services.html", context, status=caught.status)


@staff_required("reporting.view")
def calendar(request: StaffRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    today = timezone.localdate()
    refused: dict[str, Any] = {"year": year, "this_year": today.year}
    with DomainErrors(context=refused) as caught:
        calendar_rows = deadline_calendar(year)
        accepted = set(
            submissions_visible(request.user)
            .filter(unit=request.user.unit, status=SubmissionStatus.ACCEPTED)
            .values_list("report", "period_code")
        )
        rows = [
            (row, "sent" if (row.report.code, row.period.code) in accepted else row.status(today))
            for row in calendar_rows
        ]
        return render(request, "reporting/calendar.html", {"rows": rows, "year": year})
    return render(request, "reporting/calendar.html", refused, status=caught.status)


@staff_required("reporting.view")
def submissions(request: StaffRequest) -> HttpResponse:
    items = submissions_visible(request.user)[:200]
    return render(request, "reporting/submissions.html", {"items": items})


@staff_required("reporting.view")
def submission(request: StaffRequest, submission_id: int) -> HttpResponse:
    found = submission_get(actor=request.user, submission_id=submission_id)
    return render(
        request,
        "reporting/submission.html",
        {
            "s": found,
            "log": found.log.all(),
            "can_submit": can(request.user, "reporting.submit"),
        },
    )


@require_POST
@staff_required("reporting.submit")
def resubmit(request: StaffRequest, submission_id: int) -> HttpResponse:
    found = submission_get(actor=request.user, submission_id=submission_id)
    with DomainErrors(request):
        result = submission_resubmit(actor=request.user, submission=found)
        _flash(request, result)
        return redirect("reporting:submission", submission_id=result.pk)
    return redirect("reporting:submission", submission_id=found.pk)


@require_POST
@staff_required("reporting.submit")
def refresh(request: StaffRequest, submission_id: int) -> HttpResponse:
    found = submission_get(actor=request.user, submission_id=submission_id)
    with DomainErrors(request):
        submission_refresh(actor=request.user, submission=found)
    return redirect("reporting:submission", submission_id=found.pk)
