"""Staff pages of the document register. Each view translates input, makes one service or
selector call and maps a DomainError to a message or form error. Documents outside the user's
scope are 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.core.errors import NotFound
from hotich.documents.forms import (
    ActionForm,
    DraftForm,
    FilterForm,
    IncomingForm,
    SearchForm,
    StatsForm,
)
from hotich.documents.forms_office import CommentForm, PutInFileForm
from hotich.documents.selectors import (
    RegisterFilter,
    current_quarter,
    document_detail,
    document_file,
    document_get,
    document_register,
    documents_signed_per_quarter,
    file_get,
    recipient_organizations,
    recipient_units,
)
from hotich.documents.selectors_search import SearchQuery, document_search, search_years
from hotich.documents.services import (
    document_comment,
    document_create,
    document_transition,
    document_update,
    file_add_document,
    incoming_register,
    route_candidates,
)
from hotich.documents.vocabulary import Action, Direction, Status

OUT_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.SIGNED, Status.ISSUED]
IN_STATUSES = [
    Status.RECEIVED,
    Status.PROPOSED,
    Status.ASSIGNED,
    Status.PROCESSED,
    Status.CLOSED,
    Status.REJECTED,
]


@staff_required("documents.view")
def search(request: StaffRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, years=search_years(timezone.localdate()))
    hits = None
    if form.is_bound and form.is_valid():
        cd = form.cleaned_data
        with DomainErrors(form=form):
            hits = document_search(
                actor=request.user,
                query=SearchQuery(
                    text=cd.get("q") or "",
                    year=cd.get("year"),
                    direction=cd.get("direction") or "",
                    doc_type=cd.get("doc_type") or "",
                    sender=cd.get("sender") or "",
                ),
            )
    return render(request, "documents/search.html", {"form": form, "hits": hits})


@staff_required("documents.view")
def register(request: StaffRequest) -> HttpResponse:
    direction = Direction.INCOMING if request.GET.get("so") == "den" else Direction.OUTGOING
    statuses = IN_STATUSES if direction == Direction.INCOMING else OUT_STATUSES
    form = FilterForm(request.GET or None, statuses=[str(s) for s in statuses])
    cd: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = document_register(
        actor=request.user,
        filters=RegisterFilter(
            direction=direction,
            status=cd.get("status") or "",
            doc_type=cd.get("doc_type") or "",
            year=cd.get("year"),
            query=cd.get("q") or "",
            overdue=bool(cd.get("overdue")),
        ),
    )
    today = timezone.localdate()
    return render(
        request,
        "documents/register.html",
        {
            "form": form,
            "incoming": direction == Direction.INCOMING,
            "rows": [(d, d.is_overdue(today)) for d in rows],
            "can_draft": can(request.user, "documents.draft"),
        },
    )


DRAFT_FIELDS = ("doc_type", "title", "summary", "body", "recipient_name", "section_abbrev")


def _draft_values(form: Any) -> dict[str, Any]:
    """The draft form's values as ``document_create``/``document_update`` take them."""
    values = {name: form.cleaned_data[name] for name in DRAFT_FIELDS}
    values["recipient_unit_id"] = form.cleaned_data["recipient_unit"]
    values["recipient_organization_ids"] = form.cleaned_data["recipient_organizations"]
    return values


@staff_required("documents.draft")
def draft_new(request: StaffRequest) -> HttpResponse:
    form = DraftForm(
        request.POST or None,
        units=recipient_units(request.user),
        organizations=recipient_organizations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with DomainErrors(form=form):
            document = document_create(actor=request.user, **_draft_values(form))
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("documents:document", document_id=document.pk)
    return render(request, "documents/draft_form.html", {"form": form})


@staff_required("documents.draft")
def edit(request: StaffRequest, document_id: int) -> HttpResponse:
    target = document_get(actor=request.user, document_id=document_id)
    if target.unit_id != request.user.unit_id:
        raise Http404
    initial = {name: getattr(target, name) for name in DRAFT_FIELDS}
    initial["recipient_unit"] = target.recipient_unit_id
    initial["recipient_organizations"] = [
        r.organization_id for r in target.recipients.exclude(organization=None)
    ]
    form = DraftForm(
        request.POST or None,
        initial=initial,
        units=recipient_units(request.user),
        organizations=recipient_organizations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with DomainErrors(form=form, passing=(NotFound,)):
            document_update(actor=request.user, document=target, **_draft_values(form))
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("documents:document", document_id=target.pk)
    return render(request, "documents/draft_form.html", {"form": form, "doc": target})


@staff_required("documents.draft")
def incoming_new(request: StaffRequest) -> HttpResponse:
    form = IncomingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        upload = cd["file"]
        with DomainErrors(form=form):
            document = incoming_register(
                actor=request.user,
                doc_type=cd["doc_type"],
                title=cd["title"],
                summary=cd["summary"],
                sender_name=cd["sender_name"],
                sender_number=cd["sender_number"],
                dated=cd["dated"],
                file_name=upload.name or "",
                data=upload.read(),
            )
            messages.success(request, _("Đã vào sổ văn bản đến số %(n)s.") % {"n": document.number})
            return redirect("documents:document", document_id=document.pk)
    return render(request, "documents/incoming_form.html", {"form": form})


@staff_required("documents.view")
def document(request: StaffRequest, document_id: int) -> HttpResponse:
    detail = document_detail(actor=request.user, document_id=document_id)
    return render(
        request,
        "documents/document.html",
        {
            "d": detail,
            "doc": detail.document,
            "actions": [(a, Action(a).label) for a in detail.actions],
            "can_edit": detail.document.status == Status.DRAFT
            and detail.document.unit_id == request.user.unit_id
            and can(request.user, "documents.draft"),
            "form": ActionForm(
                handlers=route_candidates(detail.document) if detail.actions else ()
            ),
            "comment_form": CommentForm(),
            "can_comment": detail.document.status in (Status.DRAFT, Status.SUBMITTED)
            and detail.document.unit_id == request.user.unit_id,
            "can_give_task": can(request.user, "documents.approve")
            or can(request.user, "documents.handle"),
        },
    )


@require_POST
@staff_required("documents.view")
def transition(request: StaffRequest, document_id: int) -> HttpResponse:
    target = document_get(actor=request.user, document_id=document_id)
    form = ActionForm(request.POST, request.FILES, handlers=route_candidates(target))
    if not form.is_valid():
        messages.error(request, _("Dữ liệu không hợp lệ."))
        return redirect("documents:document", document_id=target.pk)
    cd = form.cleaned_data
    upload = cd.get("file")
    with DomainErrors(request, passing=(NotFound,)):
        document_transition(
            actor=request.user,
            document=target,
            action=cd["action"],
            note=cd["note"],
            handler_id=cd["handler"],
            co_ids=cd["co"],
            days=cd["days"],
            file_name=upload.name if upload else "",
            data=upload.read() if upload else b"",
        )
        messages.success(request, _("Đã cập nhật văn bản."))
    return redirect("documents:document", document_id=target.pk)


@require_POST
@staff_required("documents.view")
def comment(request: StaffRequest, document_id: int) -> HttpResponse:
    target = document_get(actor=request.user, document_id=document_id)
    form = CommentForm(request.POST)
    with DomainErrors(request, passing=(NotFound,)):
        document_comment(
            actor=request.user,
            document=target,
            text=form.data.get("text", "") if not form.is_valid() else form.cleaned_data["text"],
        )
        messages.success(request, _("Đã ghi góp ý."))
    return redirect("documents:document", document_id=target.pk)


@staff_required("documents.view")
def file(request: StaffRequest, document_id: int) -> HttpResponse:
    document, data = document_file(actor=request.user, document_id=document_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-ban-{document.pk}.pdf"'
    return response


@staff_required("documents.view")
def stats(request: StaffRequest) -> HttpResponse:
    year, quarter = current_quarter()
    form = StatsForm(request.GET or {"year": year, "quarter": quarter})
    rows: list[Any] = []
    if form.is_valid():
        rows = documents_signed_per_quarter(
            form.cleaned_data["year"],
            form.cleaned_data["quarter"],
            unit_path=request.user.unit.path if request.user.unit else "-",
        )
    return render(request, "documents/stats.html", {"form": form, "rows": rows})


@require_POST
@staff_required("documents.handle")
def put_in_file(request: StaffRequest, document_id: int) -> HttpResponse:
    document_get(actor=request.user, document_id=document_id)  # out of scope: 404
    form = PutInFileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn hồ sơ để đưa văn bản vào."))
        return redirect("documents:document", document_id=document_id)
    with DomainErrors(request, passing=(NotFound,)):
        work_file = file_get(actor=request.user, file_id=form.cleaned_data["work_file"])
        file_add_document(actor=request.user, work_file=work_file, document_id=document_id)
        messages.success(
            request,
            _("Đã đưa văn bản vào hồ sơ %(code)s.") % {"code": work_file.code},
        )
    return redirect("documents:document", document_id=document_id)
