"""Officer pages. Each view translates input, makes one service or selector call, and maps a
DomainError to form errors. Records outside the user's scope are 404."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.registry.extracts.responses import pdf_response
from hotich.registry.extracts.services import extract_issue
from hotich.registry.forms import (
    AmendmentForm,
    CopyRequestForm,
    RecordForm,
    SearchForm,
    TransitionForm,
)
from hotich.registry.selectors import (
    record_detail,
    record_for_copy,
    record_search,
    records_recent,
    records_visible,
)
from hotich.registry.services import (
    RECORD_LIFECYCLE,
    WarningsUnconfirmed,
    amendment_add,
    record_actions,
    record_create,
    record_transition,
)
from hotich.registry.vocabulary import PERSON_FIELDS, SPECS, Category, role_label


def _event_groups() -> list[tuple[Any, list[Any]]]:
    return [
        (label, [s for s in SPECS.values() if s.category == cat]) for cat, label in Category.choices
    ]


@staff_required("registry.view")
def home(request: StaffRequest) -> HttpResponse:
    recent = records_recent(actor=request.user)
    return render(
        request,
        "registry/home.html",
        {
            "recent": recent,
            "groups": _event_groups(),
            "can_register": can(request.user, "registry.register"),
            "form": SearchForm(),
        },
    )


#: The session key under which a user's recent searches are kept (see ``search``).
_SEARCHES = "registry_searches"
_SEARCHES_KEPT = 20


def _search_saved(request: StaffRequest, criteria: dict[str, str]) -> str:
    """Keep ``criteria`` in the session under a new random key and return the key."""
    saved: dict[str, dict[str, str]] = request.session.get(_SEARCHES, {})
    key = secrets.token_urlsafe(9)
    saved[key] = criteria
    request.session[_SEARCHES] = dict(list(saved.items())[-_SEARCHES_KEPT:])
    return key


@staff_required("registry.view")
def search(request: StaffRequest) -> HttpResponse:
    """The search, addressable without a name in the address: the form is posted, its criteria
    kept in the session under a random key, and the results page is ``?s=<key>`` (so Back and a
    bookmark in the same session show it again, and no name reaches an address, a browser
    history or a server log)."""
    criteria: dict[str, str] | None = None
    key = ""
    if request.method == "POST":
        criteria = {k: request.POST.get(k, "")[:100] for k in SearchForm.base_fields}
        key = _search_saved(request, criteria)
        if not request.headers.get("HX-Request"):
            return redirect(f"{reverse('registry:search')}?s={key}", permanent=False)
    elif "s" in request.GET:
        key = request.GET["s"][:20]
        criteria = request.session.get(_SEARCHES, {}).get(key)
        if criteria is None:
            messages.info(request, _("Kết quả tra cứu này không còn; hãy tìm lại."))
            key = ""
    elif request.GET:
        criteria = {k: request.GET.get(k, "")[:100] for k in SearchForm.base_fields}
    form = SearchForm(criteria)
    hits: list[Any] = []
    searched = False
    if form.is_bound and form.is_valid():
        cd = form.cleaned_data
        searched = True
        with DomainErrors(form=form):
            hits = record_search(
                actor=request.user,
                query=cd["q"],
                birth_year=cd["birth_year"],
                parent=cd["parent"],
                entry_number=cd["entry_number"],
            )
    htmx = bool(request.headers.get("HX-Request"))
    template = "registry/_results.html" if htmx else "registry/search.html"
    response = render(request, template, {"form": form, "hits": hits, "searched": searched})
    if htmx and key:
        response["HX-Push-Url"] = f"{reverse('registry:search')}?s={key}"
    return response


@staff_required("registry.register")
def record_new(request: StaffRequest, event_type: str) -> HttpResponse:
    spec = SPECS.get(event_type)
    if spec is None:
        raise Http404
    initial = {
        "registration_date": timezone.localdate(),
        "officer_name": request.user.full_name or request.user.username,
    }
    form = RecordForm(request.POST or None, spec=spec, initial=initial)
    if request.method == "POST" and form.is_valid():
        with DomainErrors(form=form):
            try:
                record = record_create(
                    actor=request.user,
                    register=request.POST.get("draft") != "1",
                    **form.service_kwargs(),
                )
            except WarningsUnconfirmed as exc:
                form.show_warnings(exc.warnings)
            else:
                messages.success(request, _("Đã lưu bản ghi."))
                return redirect("registry:record", record_id=record.pk)
    return render(request, "registry/record_form.html", {"form": form, "spec": spec})


def record_new_moved(request: HttpRequest, code: str) -> HttpResponse:
    """The form's old address by the event type's code: moved permanently to its Vietnamese
    address (``/ho-tich/dang-ky/birth/`` → ``/ho-tich/dang-ky/khai-sinh/``)."""
    if code not in SPECS:
        raise Http404
    return redirect("registry:record_new", event_type=code, permanent=True)


@staff_required("registry.view")
def record(request: StaffRequest, record_id: int) -> HttpResponse:
    return _record_page(request, record_id)


def _record_page(
    request: StaffRequest, record_id: int, amend_form: AmendmentForm | None = None
) -> HttpResponse:
    detail = record_detail(actor=request.user, record_id=record_id)
    if amend_form is None:
        amend_form = AmendmentForm(choices=_amend_choices(detail))
    else:
        amend_form.fields["field"].choices = _amend_choices(detail)  # type: ignore[attr-defined]
    actions = record_actions(request.user, detail.record)
    return render(
        request,
        "registry/record.html",
        {
            "d": detail,
            "r": detail.record,
            "person_fields": PERSON_FIELDS,
            "can_amend": can(request.user, "registry.amend"),
            "can_extract": can(request.user, "registry.extract"),
            "amend_form": amend_form,
            "transition_form": TransitionForm(choices=actions) if actions else None,
        },
    )


def _amend_choices(detail: Any) -> list[tuple[str, Any]]:
    choices = []
    for party in detail.parties:
        for key, label in PERSON_FIELDS.items():
            choices.append((f"{party.role}.{key}", f"{role_label(party.role)} – {label}"))
    for fspec in detail.spec.fields:
        choices.append((fspec.name, fspec.label))
    return choices


def _get_record(request: StaffRequest, record_id: int) -> Any:
    record = records_visible(request.user).filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


@require_POST
@staff_required("registry.amend")
def amend(request: StaffRequest, record_id: int) -> HttpResponse:
    record = _get_record(request, record_id)
    detail_choices = [(f"{p.role}.{k}", k) for p in record.parties.all() for k in PERSON_FIELDS]
    detail_choices += [(f.name, f.name) for f in SPECS[record.event_type].fields]
    form = AmendmentForm(request.POST, choices=detail_choices)
    if form.is_valid():
        cd = form.cleaned_data
        with DomainErrors(request):
            try:
                amendment_add(
                    actor=request.user,
                    record=record,
                    changes={cd["field"]: cd["new_value"]},
                    legal_basis=cd["legal_basis"],
                    note=cd["note"],
                    amended_on=cd["amended_on"] or None,
                    officer_name=str(request.user),
                    confirm_warnings=form.confirmed_warnings(),
                )
            except WarningsUnconfirmed as exc:
                form.show_warnings(exc.warnings)
                return _record_page(request, record.pk, amend_form=form)
            messages.success(request, _("Đã ghi chú bên lề."))
    else:
        messages.error(request, _("Ghi chú chưa hợp lệ: hãy nhập đủ các trường."))
    return redirect("registry:record", record_id=record.pk)


@require_POST
@staff_required("registry.view")
def transition(request: StaffRequest, record_id: int) -> HttpResponse:
    record = _get_record(request, record_id)
    form = TransitionForm(request.POST, choices=record_actions(request.user, record))
    if form.is_valid():
        with DomainErrors(request):
            done = record_transition(
                actor=request.user,
                record=record,
                action=form.cleaned_data["action"],
                legal_basis=form.cleaned_data["legal_basis"],
            )
            messages.success(request, RECORD_LIFECYCLE.done(form.cleaned_data["action"], done))
    else:
        messages.error(request, _("Bản ghi ở trạng thái này không cho phép thao tác đó."))
    return redirect("registry:record", record_id=record.pk)


@require_POST
@staff_required("registry.extract")
def extract(request: StaffRequest, record_id: int) -> HttpResponse:
    """Issue the original extract (or certificate) or, with ``copy=1``, a copy, as a PDF."""
    record = _get_record(request, record_id)
    with DomainErrors(request):
        issued = extract_issue(
            actor=request.user, record=record, copy=request.POST.get("copy") == "1"
        )
        return pdf_response(issued)
    return redirect("registry:record", record_id=record.pk)


@staff_required("registry.extract")
def copy_request(request: StaffRequest) -> HttpResponse:
    """A copy of a record registered anywhere, for a citizen who names it exactly."""
    choices = [(s.event_type, s.label) for s in SPECS.values()]
    form = CopyRequestForm(request.POST or None, event_choices=choices)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        with DomainErrors(form=form):
            record = record_for_copy(
                actor=request.user,
                event_type=cd["event_type"],
                personal_id=cd["personal_id"] or "",
                full_name=cd["full_name"],
                birth_date=cd["birth_date"],
            )
            issued = extract_issue(
                actor=request.user, record=record, copy=True, requested_by=cd["requested_by"]
            )
            return pdf_response(issued)
    return render(request, "registry/copy_request.html", {"form": form})
