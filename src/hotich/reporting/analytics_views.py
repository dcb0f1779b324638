"""Analytics pages (/bao-cao/phan-tich/, /bao-cao/lanh-dao/): the pivot table with its trend
chart, XLSX export and saved views, and the leaders' dashboard of key indicators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.core.errors import NotFound, ValidationFailed
from hotich.reporting.analytics import (
    DIMENSION_LABELS,
    DIMENSIONS,
    PivotQuery,
    analytics_organizations,
    key_figures,
    number,
    pivot,
    pivot_xlsx,
    saved_view_delete,
    saved_view_get,
    saved_view_save,
    saved_views,
    trend_svg,
)
from hotich.reporting.selectors import data_forms

_NO_ORGANIZATION = gettext_lazy(
    "Bạn chưa thuộc cơ quan, đơn vị nào có số liệu báo cáo để phân tích."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _default_year() -> int:
    return timezone.localdate().year - 1


@staff_required("reporting.view")
def pivot_page(request: StaffRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "dimensions": [(d, DIMENSION_LABELS[d]) for d in DIMENSIONS],
        "forms": data_forms(request.user),
        "organizations": analytics_organizations(request.user),
        "views": saved_views(request.user),
    }
    if not context["organizations"].exists():  # no organization in scope: nothing to analyse
        context["empty"] = _NO_ORGANIZATION
        return render(request, "reporting/pivot.html", context)
    params = request.GET.copy()
    if not params.get("bieu") and not params.get("chi_tieu"):
        first = context["forms"].first()
        if first is not None:
            params["bieu"] = first.code
    with DomainErrors(context=context) as caught:
        query = PivotQuery.from_params(params, default_year=_default_year())
        context["query"] = query
        table = pivot(actor=request.user, query=query)
        context["table"] = table
        context["lines"] = [
            (headers, [number(v) for v in values]) for headers, values in table.lines
        ]
        context["chart"] = trend_svg(table)
        context["export"] = (
            reverse("reporting:pivot_xlsx") + "?" + urlencode(query.params(), doseq=True)
        )
    return render(request, "reporting/pivot.html", context, status=caught.status)


@staff_required("reporting.view")
def pivot_export(request: StaffRequest) -> HttpResponse:
    query = PivotQuery.from_params(request.GET, default_year=_default_year())
    content = pivot_xlsx(pivot(actor=request.user, query=query))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="phan-tich.xlsx"'
    return response


@require_POST
@staff_required("reporting.view")
def view_save(request: StaffRequest) -> HttpResponse:
    with DomainErrors(request):
        query = PivotQuery.from_params(request.POST, default_year=_default_year())
        saved = saved_view_save(
            actor=request.user,
            name=request.POST.get("ten", ""),
            query=query,
            share=bool(request.POST.get("chia_se")),
        )
        messages.success(request, _("Đã lưu bảng phân tích “%(name)s”.") % {"name": saved.name})
        return redirect(reverse("reporting:pivot") + "?" + urlencode(saved.query, doseq=True))
    return redirect("reporting:pivot")


@staff_required("reporting.view")
def view_open(request: StaffRequest, view_id: int) -> HttpResponse:
    saved = saved_view_get(actor=request.user, view_id=view_id)
    return redirect(reverse("reporting:pivot") + "?" + urlencode(saved.query, doseq=True))


@require_POST
@staff_required("reporting.view")
def view_delete(request: StaffRequest, view_id: int) -> HttpResponse:
    with DomainErrors(request, passing=(NotFound,)):  # another's view: 404
        saved_view_delete(actor=request.user, view_id=view_id)
        messages.success(request, _("Đã xóa bảng phân tích."))
    return redirect("reporting:pivot")


@staff_required("reporting.view")
def leaders(request: StaffRequest) -> HttpResponse:
    year = timezone.localdate().year
    context: dict[str, Any] = {"year": year}
    if not analytics_organizations(request.user).exists():
        context["empty"] = _NO_ORGANIZATION
        return render(request, "reporting/leaders.html", context)
    with DomainErrors(context=context) as caught:
        raw = request.GET.get("nam") or str(year)
        if not raw.isdigit():
            raise ValidationFailed(_("Năm không hợp lệ."), field="nam")
        root, figures = key_figures(actor=request.user, year=int(raw))
        context.update(root=root, figures=figures, year=int(raw))
    return render(request, "reporting/leaders.html", context, status=caught.status)
