"""Pages of party member records: the organizations the user keeps, a committee's or a cell's
members with filters, a member's record, the spreadsheet import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.core import dates
from hotich.core.errors import NotFound
from hotich.party import services
from hotich.party.exports import (
    FORMATS,
    Export,
    export_pdf,
    export_xlsx,
    fees_export,
    members_export,
    statistics_export,
)
from hotich.party.rules import age_on, period_of, period_parse
from hotich.party.selectors import (
    MemberFilters,
    badges_awarded,
    badges_awarded_at,
    badges_due,
    cell_choices,
    destination_cells,
    directive_get,
    directive_targets_choices,
    directives_of,
    fee_ledger,
    fee_report,
    member_distinctions,
    member_get,
    member_ratings,
    member_transfers,
    members_list,
    own_record,
    party_organization_get,
    party_organizations,
    probation,
    rating_find,
    ratings_board,
    transfer_actions,
    transfer_get,
    transfer_history,
    transfers_visible,
)
from hotich.party.services.badges import OCCASIONS
from hotich.party.services.transfers import TRANSFER_LIFECYCLE
from hotich.party.statistics import member_statistics
from hotich.party.vocabulary import (
    PAGE_SIZE,
    STATS_PAGE_ROWS,
    AgeBand,
    DirectiveKind,
    Discipline,
    DistinctionKind,
    Grade,
    Sex,
    Theory,
    TransferKind,
)

View = Callable[..., HttpResponse]


def _found(view: View) -> View:
    """A ``NotFound`` from the one call is the 404 page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapped


@staff_required("party.view")
def home(request: StaffRequest) -> HttpResponse:
    organizations = party_organizations(request.user)
    return render(request, "party/home.html", {"organizations": organizations})


def _filters(query: Any) -> MemberFilters:
    cell = query.get("chi_bo", "")
    probationary = {"1": True, "0": False}.get(query.get("du_bi", ""))
    return MemberFilters(
        cell=int(cell) if cell.isdigit() else None,
        sex=query.get("gioi_tinh", ""),
        age_band=query.get("tuoi", ""),
        probationary=probationary,
        theory=query.get("llct", ""),
    )


@staff_required("party.view")
@_found
def member_list(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = party_organization_get(request.user, organization_id)
    filters = _filters(request.GET)
    today = timezone.localdate()
    members = members_list(request.user, organization, filters, today=today)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    # the record's address built once, not reversed for each of the 50 rows
    record = reverse("party:detail", args=[0]).removesuffix("0/")
    rows = [
        {
            "member": m,
            "url": f"{record}{m.pk}/",
            "age": age_on(m.birth_date, today),
            "probation": probation(m, today),
        }
        for m in page.object_list
    ]
    return render(
        request,
        "party/list.html",
        {
            "organization": organization,
            "cells": cell_choices(organization),
            "filters": filters,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "export_fields": [
                (k, request.GET[k])
                for k in ("chi_bo", "gioi_tinh", "tuoi", "du_bi", "llct")
                if request.GET.get(k)
            ],
            "sexes": Sex.choices,
            "ages": AgeBand.choices,
            "theories": Theory.choices,
        },
    )


def _member_context(request: StaffRequest, member_id: int) -> dict[str, Any]:
    member = member_get(request.user, member_id)
    today = timezone.localdate()
    return {
        "member": member,
        "age": age_on(member.birth_date, today),
        "probation": probation(member, today),
        "distinctions": list(member_distinctions(member)),
        "transfers": list(member_transfers(member)),
        "ratings": list(member_ratings(member)),
        "badges": list(badges_awarded(member)),
        "kinds": DistinctionKind.choices,
        "disciplines": Discipline.choices,
        "values": request.POST,
    }


@staff_required("party.view")
@_found
def member_detail(request: StaffRequest, member_id: int) -> HttpResponse:
    return render(request, "party/detail.html", _member_context(request, member_id))


@require_POST
@staff_required("party.manage")
@_found
def member_official(request: StaffRequest, member_id: int) -> HttpResponse:
    context = _member_context(request, member_id)
    errors = DomainErrors(context=context)
    with errors:
        services.member_make_official(
            actor=request.user,
            member=context["member"],
            official_on=dates.to_date(request.POST.get("official_on", "")),
        )
    if errors.error is not None:
        return render(request, "party/detail.html", context, status=errors.status)
    messages.success(request, _("Đã ghi nhận đảng viên chính thức."))
    return redirect("party:detail", member_id)


@require_POST
@staff_required("party.manage")
@_found
def distinction_new(request: StaffRequest, member_id: int) -> HttpResponse:
    context = _member_context(request, member_id)
    errors = DomainErrors(context=context)
    with errors:
        services.distinction_add(
            actor=request.user,
            member=context["member"],
            kind=request.POST.get("kind", ""),
            discipline=request.POST.get("discipline", ""),
            title=request.POST.get("title", ""),
            decided_on=dates.to_date(request.POST.get("decided_on", "")),
            decided_by=request.POST.get("decided_by", ""),
        )
    if errors.error is not None:
        return render(request, "party/detail.html", context, status=errors.status)
    messages.success(request, _("Đã ghi khen thưởng, kỷ luật."))
    return redirect(reverse("party:detail", args=[member_id]) + "#khen-thuong")


@staff_required("party.manage")
def members_import_page(request: StaffRequest) -> HttpResponse:
    committees = party_organizations(request.user)
    context: dict[str, Any] = {"committees": committees, "values": request.POST}
    if request.method == "POST":
        upload = request.FILES.get("file")
        errors = DomainErrors(context=context)
        with errors:
            committee = party_organization_get(request.user, request.POST.get("committee", ""))
            result = services.members_import(
                actor=request.user,
                committee=committee,
                data=upload.read() if upload is not None else b"",
                name=upload.name or "" if upload is not None else "",
            )
        if errors.error is None:
            messages.success(
                request,
                _("Đã nhập %(n)d đảng viên.") % {"n": result.created},
            )
            return redirect("party:list", committee.pk)
        context["row_errors"] = getattr(errors.error, "errors", None)
        if isinstance(context["row_errors"], dict):
            context["row_errors"] = None
        return render(request, "party/import.html", context, status=errors.status)
    return render(request, "party/import.html", context)


@staff_required("party.manage")
@_found
def transfer_new(request: StaffRequest, member_id: int) -> HttpResponse:
    member = member_get(request.user, member_id)
    context: dict[str, Any] = {
        "member": member,
        "cells": destination_cells(member),
        "kinds": TransferKind.choices,
        "values": request.POST,
    }
    if request.method == "POST":
        errors = DomainErrors(context=context)
        with errors:
            to_cell = request.POST.get("to_cell", "")
            transfer = services.transfer_create(
                actor=request.user,
                member=member,
                to_cell=next((c for c in context["cells"] if str(c.pk) == to_cell), None),
                kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", ""),
                until=dates.to_date(request.POST.get("until", "")),
            )
        if errors.error is None:
            return redirect("party:transfer", transfer.pk)
        context["field_errors"] = getattr(errors.error, "errors", {})
        return render(request, "party/transfer_new.html", context, status=errors.status)
    return render(request, "party/transfer_new.html", context)


@staff_required("party.view")
def transfer_list(request: StaffRequest) -> HttpResponse:
    transfers = list(transfers_visible(request.user)[:200])
    return render(request, "party/transfers.html", {"transfers": transfers})


@staff_required("party.view")
@_found
def transfer_detail(request: StaffRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_get(request.user, transfer_id)
    return render(
        request,
        "party/transfer.html",
        {
            "t": transfer,
            "actions": transfer_actions(request.user, transfer),
            "history": TRANSFER_LIFECYCLE.history_words(list(transfer_history(transfer)), {}),
        },
    )


@require_POST
@staff_required("party.manage")
@_found
def transfer_action(request: StaffRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_get(request.user, transfer_id)
    action = request.POST.get("action", "")
    errors = DomainErrors(request)
    with errors:
        transfer = services.transfer_transition(
            actor=request.user, transfer=transfer, action=action, note=request.POST.get("note", "")
        )
    if errors.error is None:
        messages.success(request, TRANSFER_LIFECYCLE.done(action, transfer))
    return redirect("party:transfer", transfer_id)


@staff_required("party.view")
@_found
def transfer_letter(request: StaffRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_get(request.user, transfer_id)
    if transfer.letter_signed is None:
        raise Http404
    with default_storage.open(transfer.letter_signed.file_path, "rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-gioi-thieu-{transfer.pk}.pdf"'
    return response


def _period(query: Any, name: str, default: str) -> str:
    value = query.get(name, "") or default
    return value if period_parse(value) is not None else default


@staff_required("party.view")
@_found
def fees_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    """A cell: its members' fees of a month, recorded here, and the month's closing; a
    committee: its organizations' closings of the month, and its own."""
    organization = party_organization_get(request.user, organization_id)
    period = _period(request.GET, "ky", period_of(timezone.localdate()))
    errors = DomainErrors(request)
    if request.method == "POST":
        period = _period(request.POST, "ky", period)
        with errors:
            if request.POST.get("op") == "remit":
                services.fees_remit(actor=request.user, organization=organization, period=period)
                messages.success(request, _("Đã chốt đảng phí và nộp cấp trên."))
            else:
                paid = {
                    int(key.removeprefix("paid-")): _amount(str(value))
                    for key, value in request.POST.items()
                    if key.startswith("paid-") and key.removeprefix("paid-").isdigit()
                }
                services.fees_collect(
                    actor=request.user, cell=organization, period=period, paid=paid
                )
                messages.success(request, _("Đã ghi đảng phí."))
        return redirect(f"{reverse('party:fees', args=[organization.pk])}?ky={period}")
    is_cell = organization.kind == "chi_bo"
    year = period[:4]
    context: dict[str, Any] = {
        "organization": organization,
        "period": period,
        "is_cell": is_cell,
        "ledger": fee_ledger(request.user, organization, period) if is_cell else None,
        "rows": None if is_cell else fee_report(request.user, organization, period, period),
        "year_start": f"{year}-01",
        "year_end": f"{year}-12",
    }
    return render(request, "party/fees.html", context)


def _amount(value: str) -> int:
    digits = value.replace(".", "").replace(",", "").replace(" ", "").strip()
    return int(digits) if digits.isdigit() else -1


@staff_required("party.view")
@_found
def fees_report_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = party_organization_get(request.user, organization_id)
    year = str(timezone.localdate().year)
    start = _period(request.GET, "tu", f"{year}-01")
    end = _period(request.GET, "den", f"{year}-12")
    rows = fee_report(request.user, organization, start, end)
    return render(
        request,
        "party/fees_report.html",
        {
            "organization": organization,
            "rows": rows,
            "start": start,
            "end": end,
            "export_fields": [("tu", start), ("den", end)],
        },
    )


@staff_required("party.view")
@_found
def ratings_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    """The year's ratings of a committee's organizations and members; each row offers the
    step the user may take (self-assessment, the cell's opinion, the committee's decision)."""
    organization = party_organization_get(request.user, organization_id)
    this_year = timezone.localdate().year
    year_text = (request.POST if request.method == "POST" else request.GET).get("nam", "")
    year = int(year_text) if year_text.isdigit() else this_year - 1
    if request.method == "POST":
        errors = DomainErrors(request)
        op, grade, note = (request.POST.get(k, "") for k in ("op", "grade", "note"))
        with errors:
            if op == "self":
                target = request.POST.get("target", "")
                kind, _sep, pk = target.partition("-")
                services.rating_self(
                    actor=request.user,
                    year=year,
                    grade=grade,
                    note=note,
                    member=member_get(request.user, pk) if kind == "m" else None,
                    organization=party_organization_get(request.user, pk) if kind == "o" else None,
                )
            else:
                services.rating_transition(
                    actor=request.user,
                    rating=rating_find(request.user, request.POST.get("rating", "")),
                    action=op,
                    grade=grade,
                    note=note,
                )
        if errors.error is None:
            messages.success(request, _("Đã ghi xếp loại."))
        return redirect(f"{reverse('party:ratings', args=[organization.pk])}?nam={year}")
    return render(
        request,
        "party/ratings.html",
        {
            "organization": organization,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "rows": ratings_board(request.user, organization, year),
            "grades": Grade.choices,
        },
    )


def _next_occasion(today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        for month, day in OCCASIONS:
            if dt.date(year, month, day) >= today:
                return dt.date(year, month, day)
    raise AssertionError("unreachable")


@staff_required("party.view")
@_found
def badges_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    """The members due a party badge at an occasion (the next one unless typed), those
    awarded then, and (POST) the award of the badges by a decision."""
    organization = party_organization_get(request.user, organization_id)
    source = request.POST if request.method == "POST" else request.GET
    occasion = dates.to_date(source.get("dip", "")) or _next_occasion(timezone.localdate())
    context: dict[str, Any] = {"organization": organization, "occasion": occasion}
    if request.method == "POST":
        errors = DomainErrors(context=context)
        with errors:
            awarded = services.badges_award(
                actor=request.user,
                organization=organization,
                occasion=occasion,
                decision=request.POST.get("decision", ""),
                decided_on=dates.to_date(request.POST.get("decided_on", "")),
                member_ids=[int(v) for v in request.POST.getlist("member") if v.isdigit()],
            )
        if errors.error is None:
            messages.success(
                request, _("Đã ghi tặng Huy hiệu Đảng cho %(n)d đảng viên.") % {"n": len(awarded)}
            )
            return redirect(
                f"{reverse('party:badges', args=[organization.pk])}?dip={dates.display(occasion)}"
            )
        context["field_errors"] = getattr(errors.error, "errors", {})
        context["values"] = request.POST
        context["due"] = badges_due(request.user, organization, occasion)
        context["awarded"] = list(badges_awarded_at(request.user, organization, occasion))
        return render(request, "party/badges.html", context, status=errors.status)
    context["due"] = badges_due(request.user, organization, occasion)
    context["awarded"] = list(badges_awarded_at(request.user, organization, occasion))
    return render(request, "party/badges.html", context)


@staff_required("party.view")
@_found
def statistics_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    """The members of a committee's organizations counted by age, sex, ethnicity, education,
    political theory and last year's grade."""
    organization = party_organization_get(request.user, organization_id)
    stats = member_statistics(request.user, organization, max_rows=STATS_PAGE_ROWS)
    return render(request, "party/statistics.html", {"organization": organization, "stats": stats})


_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@require_POST
@staff_required("party.view")
@_found
def export(request: StaffRequest, organization_id: int, what: str) -> HttpResponse:
    """The member list (with the page's filters), the statistics or the fee report (with its
    period) as a spreadsheet or a signed PDF; audited."""
    organization = party_organization_get(request.user, organization_id)
    fmt = request.POST.get("dinh_dang", "")
    if fmt not in FORMATS:
        raise Http404
    pages = {"members": "party:list", "statistics": "party:statistics", "fees": "party:fees_report"}
    if what not in pages:
        raise Http404
    errors = DomainErrors(request, passing=(NotFound,))
    data = b""
    with errors:
        content: Export
        if what == "members":
            content = members_export(request.user, organization, _filters(request.POST))
        elif what == "statistics":
            content = statistics_export(request.user, organization)
        else:
            year = str(timezone.localdate().year)
            start = _period(request.POST, "tu", f"{year}-01")
            end = _period(request.POST, "den", f"{year}-12")
            content = fees_export(request.user, organization, start, end)
        if fmt == "xlsx":
            data = export_xlsx(actor=request.user, export=content)
        else:
            data = export_pdf(actor=request.user, export=content)
    if errors.error is not None:
        return redirect(pages[what], organization.pk)
    response = HttpResponse(data, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{content.filename}.{fmt}"'
    return response


@staff_required("party.view")
@_found
def directives_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    """The directives a committee sent down (who has done them, who is late) and those the
    organization received; (POST) a new directive signed and sent."""
    organization = party_organization_get(request.user, organization_id)
    is_committee = organization.kind == "dang_uy"
    targets = directive_targets_choices(organization) if is_committee else []
    context: dict[str, Any] = {
        "organization": organization,
        "is_committee": is_committee,
        "targets": targets,
        "kinds": DirectiveKind.choices,
        "values": request.POST,
        "chosen": {int(v) for v in request.POST.getlist("target") if v.isdigit()},
    }
    if request.method == "POST":
        errors = DomainErrors(context=context)
        with errors:
            directive = services.directive_issue(
                actor=request.user,
                committee=organization,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                deadline=dates.to_date(request.POST.get("deadline", "")),
                targets=[o for o in targets if o.pk in context["chosen"]],
            )
        if errors.error is None:
            messages.success(request, _("Đã ký và gửi %(n)s.") % {"n": directive.number})
            return redirect("party:directive", directive.pk)
        context["field_errors"] = getattr(errors.error, "errors", {})
        context |= directives_of(request.user, organization)
        return render(request, "party/directives.html", context, status=errors.status)
    context |= directives_of(request.user, organization)
    return render(request, "party/directives.html", context)


@staff_required("party.view")
@_found
def directive_detail(request: StaffRequest, directive_id: int) -> HttpResponse:
    board = directive_get(request.user, directive_id)
    return render(request, "party/directive.html", {"board": board, "d": board.directive})


@staff_required("party.view")
@_found
def directive_pdf(request: StaffRequest, directive_id: int) -> HttpResponse:
    board = directive_get(request.user, directive_id)
    signed = board.directive.signed
    if signed is None:
        raise Http404
    with default_storage.open(signed.file_path, "rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chi-thi-{board.directive.pk}.pdf"'
    return response


@staff_required()
@_found
def own_page(request: StaffRequest) -> HttpResponse:
    """A member's own record and annual self-assessment (the cell and the committee then give
    their opinion and decision as for any member)."""
    record = own_record(request.user)
    if request.method == "POST":
        errors = DomainErrors(request)
        year_text = request.POST.get("nam", "")
        with errors:
            services.rating_self(
                actor=request.user,
                member=record.member,
                year=int(year_text) if year_text.isdigit() else 0,
                grade=request.POST.get("grade", ""),
                note=request.POST.get("note", ""),
            )
        if errors.error is None:
            messages.success(request, _("Đã gửi bản tự đánh giá tới chi bộ."))
        return redirect("party:own")
    return render(
        request,
        "party/own.html",
        {"record": record, "grades": Grade.choices, "member": record.member},
    )
