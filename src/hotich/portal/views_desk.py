"""Back-office pages (``/mot-cua/``): the one-stop desk's list with deadline flags, a dossier
with its allowed actions, paper dossiers entered at the desk, the catalogue import, the outbox
and the Decision 766 dashboard. Dossiers outside the user's scope are 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.audit.services import audit_bulk, audit_record
from hotich.core.dates import to_date
from hotich.core.errors import ValidationFailed
from hotich.portal.forms_schema import iter_fields
from hotich.portal.metrics import FIRST_DAY, LAST_DAY, unit_metrics
from hotich.portal.models import Status
from hotich.portal.selectors import (
    deadline_flag,
    dossier_assignees,
    dossier_get,
    dossiers_visible,
    outbox,
    procedure_public,
    procedures_public,
    units_for_metrics,
)
from hotich.portal.services import (
    DOSSIER_LIFECYCLE,
    ImportFailed,
    allowed_actions,
    catalogue_import,
    dossier_enter_paper,
    dossier_history,
    dossier_result,
    dossier_transition,
)
from hotich.portal.views_citizen import _errors, _int, _sections, _summary, _uploads
from hotich.registry.services import WarningsUnconfirmed

PAGE = 50


@staff_required("portal.view")
def desk(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = dossiers_visible(request.user)
    if status in Status.values:
        qs = qs.filter(status=status)
    rows = list(qs.order_by("due_date", "-submitted_at")[:PAGE])
    if rows:  # the list shows applicants' names: one read entry for the page
        audit_bulk(
            actor=request.user,
            action="read",
            object_type="portal.dossier",
            object_ids=[d.pk for d in rows],
        )
    today = timezone.localdate()
    return render(
        request,
        "portal/desk.html",
        {
            "rows": [(d, deadline_flag(d, today=today)) for d in rows],
            "statuses": Status.choices,
            "status": status,
            "can_receive": can(request.user, "portal.receive"),
        },
    )


@staff_required("portal.view")
def dossier(request: StaffRequest, dossier_id: int) -> HttpResponse:
    d = dossier_get(actor=request.user, dossier_id=dossier_id)
    audit_record(actor=request.user, action="read", object_type="portal.dossier", object_id=d.pk)
    return _dossier_page(request, d)


def _dossier_page(request: StaffRequest, d: Any, warnings: Sequence[Any] = ()) -> HttpResponse:
    """The dossier; ``warnings``: those of the registry's rules approving it raised, for the
    officer to confirm (``shown_warnings`` keeps which ones the page showed)."""
    labels = {f["name"]: f["label"] for f in iter_fields(d.procedure.form_schema)}
    actions = [(a, DOSSIER_LIFECYCLE.label(a)) for a in allowed_actions(request.user, d)]
    return render(
        request,
        "portal/dossier.html",
        {
            "d": d,
            "flag": deadline_flag(d),
            "form_rows": [(labels.get(k, k), v) for k, v in d.form_data.items() if v],
            "files": d.files.all(),
            "events": dossier_history(d),
            "actions": actions,
            "assignees": dossier_assignees(d) if "assign" in dict(actions) else [],
            "paid": d.payments.filter(status="paid").exists(),
            "needs_record": d.procedure.registry_event == "correction",
            "warnings": warnings,
            "shown_warnings": ",".join(w.key for w in warnings),
            "related_record": _int(request.POST.get("related_record")) or "",
        },
    )


@require_POST
@staff_required("portal.view")
def dossier_action(request: StaffRequest, dossier_id: int) -> HttpResponse:
    d = dossier_get(actor=request.user, dossier_id=dossier_id)
    confirmed: set[str] = set()
    if request.POST.get("confirm_warnings"):
        confirmed = {k for k in request.POST.get("shown_warnings", "")[:2000].split(",") if k}
    action = request.POST.get("action", "")[:30]
    with DomainErrors(request):
        try:
            done = dossier_transition(
                actor=request.user,
                dossier=d,
                action=action,
                note=request.POST.get("note", "")[:500],
                assignee=_assignee(d, action, request.POST.get("assignee")),
                related_record=_int(request.POST.get("related_record")) or None,
                confirm_warnings=confirmed,
            )
        except WarningsUnconfirmed as exc:
            return _dossier_page(request, d, exc.warnings)
        messages.success(request, DOSSIER_LIFECYCLE.done(action, done))
    return redirect("portal:dossier", dossier_id=d.pk)


def _assignee(d: Any, action: str, raw: str | None) -> Any:
    """The officer chosen to process the dossier (assigning needs one from the list)."""
    if action != "assign":
        return None
    chosen = next((u for u in dossier_assignees(d) if str(u.pk) == (raw or "").strip()), None)
    if chosen is None:
        raise ValidationFailed(_("Chọn người xử lý hồ sơ."), field="assignee")
    return chosen


@staff_required("portal.view")
def dossier_result_file(request: StaffRequest, dossier_id: int) -> HttpResponse:
    d = dossier_get(actor=request.user, dossier_id=dossier_id)
    data = dossier_result(citizen=None, actor=request.user, dossier=d)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ket-qua-{d.pk}.pdf"'
    return response


@staff_required("portal.view")
def dossier_file(request: StaffRequest, dossier_id: int, file_id: int) -> HttpResponse:
    d = dossier_get(actor=request.user, dossier_id=dossier_id)
    f = d.files.filter(pk=file_id).first()
    if f is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="read",
        object_type="portal.dossier_file",
        object_id=f.pk,
        detail={"dossier": d.pk},
    )
    with default_storage.open(f.path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="tep-{f.pk}"'
    return response


@staff_required("portal.receive")
def desk_new(request: StaffRequest) -> HttpResponse:
    return render(request, "portal/desk_new.html", {"procedures": procedures_public()})


@staff_required("portal.receive")
def desk_enter(request: StaffRequest, code: str) -> HttpResponse:
    proc = procedure_public(code=code)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: v[:1000] for k, v in request.POST.items()}
        with DomainErrors() as caught:
            d = dossier_enter_paper(
                actor=request.user,
                procedure=proc,
                form_data=values,
                uploads=_uploads(request),
                contact=request.POST.get("contact", "")[:254],
            )
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": d.code})
            return redirect("portal:dossier", dossier_id=d.pk)
        errors = _errors(caught.error)
    return render(
        request,
        "portal/desk_enter.html",
        {
            "p": proc,
            "sections": _sections(proc.form_schema, values, errors),
            "errors": errors,
            "summary": _summary(proc, errors),
            "values": values,
        },
    )


@staff_required("portal.catalogue")
def catalogue(request: StaffRequest) -> HttpResponse:
    errors: list[Any] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > 20 * 1024 * 1024:
            messages.error(request, _("Chưa chọn tệp, hoặc tệp lớn hơn 20 MB."))
        else:
            with DomainErrors(request) as caught:
                count = catalogue_import(actor=request.user, data=upload.read())
                messages.success(request, _("Đã nhập %(n)s thủ tục.") % {"n": count})
                return redirect("portal:catalogue")
            if isinstance(caught.error, ImportFailed):
                errors = caught.error.errors
    return render(
        request, "portal/catalogue.html", {"procedures": procedures_public(), "errors": errors}
    )


@staff_required("portal.view")
def outbox_view(request: StaffRequest) -> HttpResponse:
    messages_ = list(outbox(actor=request.user))
    if messages_:  # recipients' phone numbers and e-mail addresses
        audit_bulk(
            actor=request.user,
            action="read",
            object_type="portal.notification",
            object_ids=[m.pk for m in messages_],
        )
    return render(request, "portal/outbox.html", {"messages_": messages_})


def _date(value: str | None, default: dt.date) -> dt.date:
    day = to_date(value or "")
    if day is None:
        return default
    return day if FIRST_DAY <= day <= LAST_DAY else default


@staff_required("portal.metrics")
def metrics(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    start = _date(request.GET.get("from"), today.replace(month=1, day=1))
    end = _date(request.GET.get("to"), today)
    unit, children = units_for_metrics(request.user, request.GET.get("unit"))
    rows = [(child, unit_metrics(unit=child, start=start, end=end)) for child in children]
    return render(
        request,
        "portal/metrics.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "total": unit_metrics(unit=unit, start=start, end=end),
            "rows": rows,
            "parent": unit.parent if unit != request.user.unit else None,
        },
    )
