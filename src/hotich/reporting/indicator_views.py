"""Staff pages of the indicator engine (/bao-cao/chi-tieu/, /bao-cao/bieu/): the catalogue with
its spreadsheet, the forms, the completeness of a form for a period with the approval actions,
and the data-entry grid whose cells are saved one by one through a small JSON endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.agencies.selectors import organization_by_code
from hotich.core.errors import DomainError, NotFound
from hotich.reporting.datasets import (
    FORM_REPORT_LIFECYCLE,
    form_completeness,
    form_completeness_year,
    form_computed_fill,
    form_grid,
    form_report_act,
    value_comment,
    value_of,
    value_save,
)
from hotich.reporting.form_sheets import form_layout_xlsx, form_values_upload
from hotich.reporting.indicators import indicators_export, indicators_import
from hotich.reporting.models import DataForm
from hotich.reporting.periods import period_containing, periods_of_year
from hotich.reporting.selectors import data_form_get, data_forms, indicators_all

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uploaded(request: StaffRequest) -> tuple[bytes, str]:
    """The content and name of the file posted as ``file``, or NotFound."""
    file = request.FILES.get("file")
    if file is None:
        raise NotFound(_("Chưa chọn tệp."), field="file")
    return file.read(), file.name or ""


def _cell_call(
    request: StaffRequest,
    code: str,
    org_code: str,
    answer: Callable[[DataForm, Organization, dict[str, Any]], dict[str, Any]],
) -> JsonResponse:
    """A JSON endpoint on one cell of the grid: the body read as an object, the form and
    organization found, ``answer`` called; ``{"ok": true, …}`` or ``{"ok": false, "error"}``
    with the error's status."""
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"ok": False, "error": _("Dữ liệu gửi lên không hợp lệ.")}, status=400)
    try:
        form, organization = _target(request, code, org_code)
        return JsonResponse({"ok": True, **answer(form, organization, data)})
    except DomainError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=exc.status)


@staff_required("reporting.view")
def catalogue(request: StaffRequest) -> HttpResponse:
    context: dict[str, Any] = {"can_manage": can(request.user, "reporting.indicators")}
    status = 200
    if request.method == "POST":
        with DomainErrors(context=context) as caught:
            content, name = _uploaded(request)
            count = indicators_import(actor=request.user, content=content, name=name)
            messages.success(request, _("Đã nhập %(n)d chỉ tiêu.") % {"n": count})
            return redirect("reporting:indicators")
        status = caught.status
    context["indicators"] = indicators_all(request.user)
    return render(request, "reporting/indicators.html", context, status=status)


@staff_required("reporting.view")
def catalogue_export(request: StaffRequest) -> HttpResponse:
    response = HttpResponse(indicators_export(actor=request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="chi-tieu.xlsx"'
    return response


def _current_period(form: DataForm) -> str:
    today = timezone.localdate()
    return period_containing(form.regime, today, cutoff_day=form.cutoff_day).code


@staff_required("reporting.view")
def forms(request: StaffRequest) -> HttpResponse:
    rows = [(form, _current_period(form)) for form in data_forms(request.user)]
    return render(request, "reporting/data_forms.html", {"rows": rows})


@staff_required("reporting.view")
def completeness(request: StaffRequest, code: str) -> HttpResponse:
    form = data_form_get(code, request.user)
    period = request.GET.get("ky") or _current_period(form)
    context: dict[str, Any] = {"form": form, "period": period}
    with DomainErrors(context=context) as caught:
        whole_year = request.GET.get("nam", "")
        if whole_year.isdigit():  # every period of a year: who has not reported, when
            by_period = form_completeness_year(actor=request.user, form=form, year=int(whole_year))
            firsts = next(iter(by_period.values()), [])
            context.update(
                year=int(whole_year),
                year_periods=list(by_period),
                year_rows=[
                    (row.organization, [rows[i] for rows in by_period.values()])
                    for i, row in enumerate(firsts)
                ],
            )
        context["rows"] = form_completeness(actor=request.user, form=form, period_code=period)
        year = int(period[:4])
        context["periods"] = [
            p.code
            for y in (year - 1, year)
            for p in periods_of_year(form.regime, y, cutoff_day=form.cutoff_day)
        ]
    return render(request, "reporting/completeness.html", context, status=caught.status)


def _target(request: StaffRequest, code: str, org_code: str) -> tuple[DataForm, Organization]:
    organization = organization_by_code(org_code)
    if organization is None:
        raise NotFound(_("Không tìm thấy cơ quan, đơn vị."))
    return data_form_get(code, request.user), organization


@staff_required("reporting.view")
def entry(request: StaffRequest, code: str, org_code: str, period: str) -> HttpResponse:
    form, organization = _target(request, code, org_code)
    # computed cells follow the platform's data while the form is open
    form_computed_fill(actor=request.user, form=form, organization=organization, period_code=period)
    grid = form_grid(actor=request.user, form=form, organization=organization, period_code=period)
    columns: list[tuple[str, str]] = []
    for row in grid.rows:
        for cell in row.cells:
            if (cell.combo, cell.label) not in columns:
                columns.append((cell.combo, cell.label))
    table = [
        (row, [next((c for c in row.cells if c.combo == key), None) for key, _l in columns])
        for row in grid.rows
    ]
    actions = [
        (name, FORM_REPORT_LIFECYCLE.action(name).label)
        for name in FORM_REPORT_LIFECYCLE.table[grid.status]
        if can(request.user, FORM_REPORT_LIFECYCLE.action(name).permission)
    ]
    return render(
        request,
        "reporting/entry.html",
        {
            "grid": grid,
            "columns": columns,
            "table": table,
            "actions": actions,
            "can_enter": grid.editable and can(request.user, "reporting.submit"),
            "steps": grid.report.steps.select_related("by") if grid.report else [],
        },
    )


@require_POST
@staff_required("reporting.submit")
def cell(request: StaffRequest, code: str, org_code: str, period: str) -> JsonResponse:
    """``{"indicator", "combo", "value"}`` → ``{"ok", "value", "violations", "filled",
    "expected"}``, or ``{"ok": false, "error"}`` with the error's status."""

    def answer(form: DataForm, organization: Organization, data: dict[str, Any]) -> dict[str, Any]:
        saved = value_save(
            actor=request.user,
            form=form,
            organization=organization,
            period_code=period,
            indicator_code=str(data.get("indicator", "")),
            combo=str(data.get("combo", "")),
            raw=str(data.get("value", "")),
        )
        return {
            "value": None if saved.value is None else value_of(saved.value),
            "violations": [
                {"message": v.message, "indicators": v.indicators} for v in saved.violations
            ],
            "filled": saved.filled,
            "expected": saved.expected,
            "warning": saved.warning,
        }

    return _cell_call(request, code, org_code, answer)


@require_POST
@staff_required("reporting.submit")
def comment(request: StaffRequest, code: str, org_code: str, period: str) -> JsonResponse:
    """``{"indicator", "combo", "comment"}`` → ``{"ok", "comment", "message"}``, or ``{"ok":
    false, "error"}`` with the error's status."""

    def answer(form: DataForm, organization: Organization, data: dict[str, Any]) -> dict[str, Any]:
        text = value_comment(
            actor=request.user,
            form=form,
            organization=organization,
            period_code=period,
            indicator_code=str(data.get("indicator", "")),
            combo=str(data.get("combo", "")),
            text=str(data.get("comment", "")),
        )
        message = _("Đã lưu ghi chú.") if text else _("Đã xóa ghi chú.")
        return {"comment": text, "message": message}

    return _cell_call(request, code, org_code, answer)


@require_POST
@staff_required("reporting.view")
def act(request: StaffRequest, code: str, org_code: str, period: str) -> HttpResponse:
    form, organization = _target(request, code, org_code)
    with DomainErrors(request):
        report = form_report_act(
            actor=request.user,
            form=form,
            organization=organization,
            period_code=period,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(
            request, _("Biểu đã chuyển sang: %(s)s.") % {"s": report.get_status_display()}
        )
    return redirect("reporting:entry", code=form.code, org_code=organization.code, period=period)


@staff_required("reporting.view")
def layout(request: StaffRequest, code: str, org_code: str, period: str) -> HttpResponse:
    """The form's XLSX layout for this organization and period (``?trong=1``: empty)."""
    form, organization = _target(request, code, org_code)
    content = form_layout_xlsx(
        actor=request.user,
        form=form,
        organization=organization,
        period_code=period,
        filled=not request.GET.get("trong"),
    )
    response = HttpResponse(content, content_type=XLSX)
    name = f"{form.code}-{organization.code}-{period}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@staff_required("reporting.submit")
def upload(request: StaffRequest, code: str, org_code: str, period: str) -> HttpResponse:
    form, organization = _target(request, code, org_code)
    with DomainErrors(request):
        content, name = _uploaded(request)
        saved = form_values_upload(
            actor=request.user,
            form=form,
            organization=organization,
            period_code=period,
            content=content,
            name=name,
        )
        messages.success(
            request,
            _("Đã nhập số liệu từ tệp: %(filled)d/%(expected)d ô.")
            % {"filled": saved.filled, "expected": saved.expected},
        )
    return redirect("reporting:entry", code=form.code, org_code=organization.code, period=period)
