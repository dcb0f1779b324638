"""The work-file pages (hồ sơ công việc): the agency's file list of a year, one file with its
documents, closing the year and handing it over to the agency archive with its handover list;
and the office statistics of the agency (thống kê văn phòng)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import Caller, can
from hotich.accounts.web import (
    DomainErrors,
    StaffRequest,
    link_condition_install,
    staff_required,
)
from hotich.agencies.selectors import acting_agency
from hotich.core.errors import NotFound
from hotich.documents.forms_office import (
    FileActionForm,
    FileDocumentForm,
    FileYearForm,
    OfficeStatsForm,
    WorkFileForm,
)
from hotich.documents.selectors import (
    file_detail,
    file_get,
    file_list,
    handover_file,
    office_stats,
)
from hotich.documents.selectors_ranking import (
    COMMEND_MIN_OUTGOING,
    COMMEND_MIN_SHARE,
    COMMEND_TOP,
    signature_ranking,
    signature_ranking_xlsx,
)
from hotich.documents.services import (
    FILE_LIFECYCLE,
    file_add_document,
    file_create,
    file_people,
    file_remove_document,
    file_transition,
    files_close_year,
    files_hand_over,
)


def in_agency(user: Caller) -> bool:
    """The file list is the agency's: its link is shown to those who hold a position in one."""
    return acting_agency(user) is not None


link_condition_install("agency", in_agency)


def _year(value: str | None) -> int:
    form = FileYearForm({"year": value})
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


def _list_url(year: int) -> str:
    return f"{reverse('office:files')}?nam={year}"


@staff_required("documents.view")
def files(request: StaffRequest) -> HttpResponse:
    page = file_list(actor=request.user, year=_year(request.GET.get("nam")))
    return render(
        request,
        "documents/files.html",
        {
            "p": page,
            "can_keep": can(request.user, "documents.handle") and page.organization is not None,
            "can_close": can(request.user, "documents.issue") and page.organization is not None,
        },
    )


@staff_required("documents.handle")
def file_new(request: StaffRequest) -> HttpResponse:
    initial = {"year": _year(request.GET.get("nam"))}
    form = WorkFileForm(request.POST or None, initial=initial, people=file_people(request.user))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        with DomainErrors(form=form):
            work_file = file_create(
                actor=request.user,
                year=cd["year"],
                code=cd["code"],
                title=cd["title"],
                retention_years=cd["retention_years"],
                responsible_id=cd["responsible"],
            )
            messages.success(request, _("Đã lập hồ sơ %(code)s.") % {"code": work_file.code})
            return redirect("office:file", file_id=work_file.pk)
    return render(request, "documents/file_form.html", {"form": form})


@staff_required("documents.view")
def file(request: StaffRequest, file_id: int) -> HttpResponse:
    detail = file_detail(actor=request.user, file_id=file_id)
    actions = [(a, FILE_LIFECYCLE.label(a)) for a in detail.actions]
    history = FILE_LIFECYCLE.history_words(detail.events, {}, "note")
    return render(
        request,
        "documents/file.html",
        {
            "d": detail,
            "actions": actions,
            "history": history,
            "can_keep": can(request.user, "documents.handle"),
        },
    )


@require_POST
@staff_required("documents.handle")
def file_add(request: StaffRequest, file_id: int) -> HttpResponse:
    work_file = file_get(actor=request.user, file_id=file_id)
    form = FileDocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn văn bản để đưa vào hồ sơ."))
        return redirect("office:file", file_id=work_file.pk)
    with DomainErrors(request, passing=(NotFound,)):
        file_add_document(
            actor=request.user, work_file=work_file, document_id=form.cleaned_data["document"]
        )
        messages.success(request, _("Đã đưa văn bản vào hồ sơ."))
    return redirect("office:file", file_id=work_file.pk)


@require_POST
@staff_required("documents.handle")
def file_remove(request: StaffRequest, file_id: int) -> HttpResponse:
    work_file = file_get(actor=request.user, file_id=file_id)
    form = FileDocumentForm(request.POST)
    if form.is_valid():
        with DomainErrors(request, passing=(NotFound,)):
            file_remove_document(
                actor=request.user,
                work_file=work_file,
                document_id=form.cleaned_data["document"],
            )
            messages.success(request, _("Đã rút văn bản khỏi hồ sơ."))
    return redirect("office:file", file_id=work_file.pk)


@require_POST
@staff_required("documents.view")
def file_action(request: StaffRequest, file_id: int) -> HttpResponse:
    work_file = file_get(actor=request.user, file_id=file_id)
    form = FileActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dữ liệu không hợp lệ."))
        return redirect("office:file", file_id=work_file.pk)
    with DomainErrors(request, passing=(NotFound,)):
        done = file_transition(
            actor=request.user,
            work_file=work_file,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, FILE_LIFECYCLE.done(form.cleaned_data["action"], done))
    return redirect("office:file", file_id=work_file.pk)


@require_POST
@staff_required("documents.issue")
def files_close(request: StaffRequest) -> HttpResponse:
    year = _year(request.POST.get("year"))
    with DomainErrors(request):
        count = files_close_year(actor=request.user, year=year)
        messages.success(
            request, _("Đã kết thúc %(n)s hồ sơ năm %(year)s.") % {"n": count, "year": year}
        )
    return redirect(_list_url(year))


@require_POST
@staff_required("documents.issue")
def files_hand_over_view(request: StaffRequest) -> HttpResponse:
    year = _year(request.POST.get("year"))
    with DomainErrors(request):
        handover = files_hand_over(actor=request.user, year=year)
        messages.success(
            request,
            _("Đã nộp lưu %(n)s hồ sơ năm %(year)s; mục lục hồ sơ nộp lưu đã được lưu trữ.")
            % {"n": handover.files, "year": year},
        )
    return redirect(_list_url(year))


@staff_required("documents.view")
def handover_download(request: StaffRequest, handover_id: int, kind: str) -> HttpResponse:
    handover, data = handover_file(actor=request.user, handover_id=handover_id, kind=kind)
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"muc-luc-ho-so-nop-luu-{handover.year}-{handover.pk}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required("documents.view")
def office_statistics(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    form = OfficeStatsForm(request.GET or {"year": today.year, "quarter": 0})
    stats, ranking, quarter = None, None, 0
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        start = dt.date(year, 3 * quarter - 2 if quarter else 1, 1)
        end = dt.date(year + (quarter in (0, 4)), 1 if quarter in (0, 4) else 3 * quarter + 1, 1)
        stats = office_stats(actor=request.user, start=start, end=end - dt.timedelta(days=1))
        if quarter:
            ranking = signature_ranking(actor=request.user, year=year, quarter=quarter)
    return render(
        request,
        "documents/office_stats.html",
        {
            "form": form,
            "s": stats,
            "ranking": ranking,
            "quarter": quarter,
            "rule": {
                "top": COMMEND_TOP,
                "outgoing": COMMEND_MIN_OUTGOING,
                "share": COMMEND_MIN_SHARE,
            },
        },
    )


@staff_required("documents.view")
def signature_ranking_download(request: StaffRequest) -> HttpResponse:
    form = OfficeStatsForm(request.GET)
    if not form.is_valid() or not form.cleaned_data["quarter"]:
        raise Http404
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    rows = signature_ranking(actor=request.user, year=year, quarter=quarter)
    response = HttpResponse(
        signature_ranking_xlsx(rows, year=year, quarter=quarter),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"xep-hang-ky-so-q{quarter}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
