"""Citizen pages (``/dich-vu-cong/``): the catalogue, tracking by code, login by one-time
code, filing, paying, supplementing, downloading the result and rating. Mobile first.

A citizen is not a staff user: the session holds ``portal_citizen`` after a one-time code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.web import DomainErrors
from hotich.core.errors import DomainError, FormInvalid, TooManyRequests, ValidationFailed
from hotich.core.qr import qr_data_uri
from hotich.core.ratelimit import rate_limit, rate_limited
from hotich.portal.adapters.payment import payment_gateway, vietqr_for
from hotich.portal.models import Citizen, PaymentStatus, Status
from hotich.portal.selectors import (
    citizen_dossier,
    citizen_dossiers,
    dossier_public_status,
    procedure_public,
    procedures_public,
    receiving_unit,
    receiving_units,
)
from hotich.portal.services import (
    HeldUpload,
    Upload,
    citizen_request_code,
    citizen_verify_code,
    dossier_rate,
    dossier_result,
    dossier_submit,
    dossier_supplement,
    dossier_timeline,
    form_prefill,
    payment_start,
    uploads_held,
    uploads_hold,
    uploads_release,
)

SESSION_KEY = "portal_citizen"
MAX_UPLOAD = 10 * 1024 * 1024


def current_citizen(request: HttpRequest) -> Citizen | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return Citizen.objects.filter(pk=pk).first()


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        citizen = current_citizen(request)
        if citizen is None:
            if request.user.is_authenticated:  # a staff session is no citizen: nothing here
                raise Http404
            return redirect(f"{reverse('portal:login')}?next={quote(request.path)}")
        request.citizen = citizen  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "portal/index.html",
        {
            "procedures": procedures_public(query=query),
            "q": query,
            "citizen": current_citizen(request),
        },
    )


def procedure(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "portal/procedure.html",
        {"p": procedure_public(code=code), "citizen": current_citizen(request)},
    )


@rate_limited("status", methods=("POST",))
def track(request: HttpRequest) -> HttpResponse:
    """Status by code (POST, so that the code stays out of URLs and logs), rate-limited."""
    status = None
    searched = False
    if request.method == "POST":
        searched = True
        status = dossier_public_status(code=request.POST.get("code", "")[:64])
    return render(request, "portal/track.html", {"status": status, "searched": searched})


def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("portal:mine")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("portal:mine")
    context: dict[str, Any] = {"next": next_url, "step": "contact", "errors": {}}
    retry_after = 0
    if request.method == "POST":
        contact = request.POST.get("contact", "")[:254]
        context["contact"] = contact
        with DomainErrors() as caught:
            if "code" in request.POST:
                context["step"] = "code"
                citizen = citizen_verify_code(contact=contact, code=request.POST["code"][:12])
                request.session.cycle_key()
                request.session[SESSION_KEY] = citizen.pk
                return redirect(next_url)
            # Codes cost an SMS or an e-mail: limited per client address and for everyone.
            rate_limit(request, "codes-ip", "codes-all")
            sent = citizen_request_code(contact=contact)
            context["contact"], context["demo_code"] = sent.contact, sent.demo_code
            context["step"] = "code"
        context["errors"] = _errors(caught.error, unnamed="contact")
        if isinstance(caught.error, TooManyRequests):
            retry_after = caught.error.retry_after
    response = render(request, "portal/login.html", context, status=429 if retry_after else 200)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("portal:index")


def _uploads(request: HttpRequest) -> list[Upload]:
    uploads = []
    for key, files in request.FILES.lists():
        if not key.startswith("file_"):
            continue
        for f in files:
            if f.size and f.size > MAX_UPLOAD:
                raise ValidationFailed(_("Tệp lớn hơn 10 MB."), field=key)
            uploads.append(Upload(doc_key=key[5:], name=f.name or "tep", data=f.read()))
    return uploads


def _errors(error: DomainError | None, unnamed: str = "__all__") -> dict[str, str]:
    """A schema form's errors by field name (``unnamed`` for an error that names no field)."""
    if error is None:
        return {}
    if isinstance(error, FormInvalid):
        return {k: str(v) for k, v in error.errors.items()}
    return {error.field or unnamed: str(error)}


_HELD = "portal_held_files"


def _held_files(request: HttpRequest) -> list[HeldUpload]:
    """The files this session chose for a refused form and posts back (``held`` fields): only
    tokens the session itself was given are honoured."""
    known: dict[str, dict[str, str]] = request.session.get(_HELD, {})
    return [
        HeldUpload(token=t, doc_key=known[t]["doc_key"], name=known[t]["name"])
        for t in request.POST.getlist("held")
        if t in known
    ]


def _keep_files(
    request: HttpRequest, new: list[Upload], held: list[HeldUpload]
) -> list[HeldUpload]:
    """Hold the files just chosen (a new file replaces the held one of its document) and return
    every file the form keeps attached."""
    replaced = {u.doc_key for u in new}
    dropped = [h for h in held if h.doc_key in replaced]
    uploads_release(dropped)
    kept = [h for h in held if h.doc_key not in replaced] + uploads_hold(new)
    known = request.session.get(_HELD, {})
    for h in dropped:
        known.pop(h.token, None)
    known.update({h.token: {"doc_key": h.doc_key, "name": h.name} for h in kept})
    request.session[_HELD] = known
    return kept


def _release_files(request: HttpRequest, held: list[HeldUpload]) -> None:
    uploads_release(held)
    known = request.session.get(_HELD, {})
    for h in held:
        known.pop(h.token, None)
    request.session[_HELD] = known


@citizen_required
def file(request: HttpRequest, code: str) -> HttpResponse:
    proc = procedure_public(code=code)
    if not proc.is_online:
        raise Http404
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    kept: list[HeldUpload] = []
    if request.method == "POST":
        values = {k: v[:1000] for k, v in request.POST.items() if k != "held"}
        held = _held_files(request)
        new: list[Upload] = []
        with DomainErrors() as caught:
            new = _uploads(request)
            if "prefill" in request.POST:
                values, filled = form_prefill(
                    citizen=citizen,
                    procedure=proc,
                    form_data=values,
                    consent=request.POST.get("consent") == "1",
                )
                if filled:
                    messages.success(
                        request, _("Đã điền sẵn thông tin từ Cơ sở dữ liệu quốc gia về dân cư.")
                    )
                else:
                    messages.info(request, _("Không tìm thấy thông tin để điền sẵn."))
            else:
                replaced = {u.doc_key for u in new}
                dossier = dossier_submit(
                    citizen=citizen,
                    procedure=proc,
                    unit=receiving_unit(request.POST.get("unit")),
                    form_data=values,
                    uploads=new + [u for u in uploads_held(held) if u.doc_key not in replaced],
                )
                _release_files(request, held)
                messages.success(
                    request, _("Đã nộp hồ sơ. Mã hồ sơ: %(code)s") % {"code": dossier.code}
                )
                return redirect("portal:my_dossier", dossier_id=dossier.pk)
        errors = _errors(caught.error)
        kept = _keep_files(request, new, held)
    return render(
        request,
        "portal/file.html",
        {
            "p": proc,
            "sections": _sections(proc.form_schema, values, errors),
            "values": values,
            "errors": errors,
            "summary": _summary(proc, errors),
            "kept": {h.doc_key: h for h in kept},
            "units": receiving_units(),
            "citizen": citizen,
        },
    )


def _summary(proc: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    """The error summary's items in the order of the page: the unit, the consent, the form's
    fields, the documents, then anything else."""
    order = ["unit", "contact", "consent"]
    order += [f["name"] for s in proc.form_schema.get("sections", []) for f in s["fields"]]
    order += [f"file_{d['key']}" for d in proc.required_documents]
    ids = {"unit": "unit", "contact": "contact", "consent": "consent"}
    ids.update({n: "f-" + n.replace(".", "-") for n in order[3:] if not n.startswith("file_")})
    ids.update({f"file_{d['key']}": f"file-{d['key']}" for d in proc.required_documents})
    ranked = sorted(errors, key=lambda k: order.index(k) if k in order else len(order))
    return [{"id": ids.get(k, ""), "message": errors[k]} for k in ranked]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _sections(
    schema: dict[str, Any], values: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    out = []
    for section in schema.get("sections", []):
        fields = []
        for field in section["fields"]:
            fields.append(
                {
                    **field,
                    "id": "f-" + field["name"].replace(".", "-"),
                    "value": values.get(field["name"], ""),
                    "error": errors.get(field["name"], ""),
                }
            )
        out.append({"title": section["title"], "fields": fields})
    return out


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    return render(
        request, "portal/mine.html", {"dossiers": citizen_dossiers(citizen), "citizen": citizen}
    )


@citizen_required
def my_dossier(request: HttpRequest, dossier_id: int) -> HttpResponse:
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    dossier = citizen_dossier(citizen=citizen, dossier_id=dossier_id)
    paid = dossier.payments.filter(status=PaymentStatus.PAID).exists()
    return render(
        request,
        "portal/my_dossier.html",
        {
            "d": dossier,
            "citizen": citizen,
            "paid": paid,
            "events": dossier_timeline(dossier),
            "rated": hasattr(dossier, "rating"),
            "Status": Status,
            "docs": dossier.procedure.required_documents,
        },
    )


@citizen_required
def pay(request: HttpRequest, dossier_id: int) -> HttpResponse:
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    dossier = citizen_dossier(citizen=citizen, dossier_id=dossier_id)
    with DomainErrors(request):
        payment = payment_start(citizen=citizen, dossier=dossier)
        qr = vietqr_for(payment.reference, payment.amount)
        return render(
            request,
            "portal/pay.html",
            {
                "d": dossier,
                "payment": payment,
                "qr": qr_data_uri(qr),
                "qr_text": qr,
                "checkout": payment_gateway().checkout_url(payment.reference),
                "citizen": citizen,
            },
        )
    return redirect("portal:my_dossier", dossier_id=dossier.pk)


@citizen_required
def supplement(request: HttpRequest, dossier_id: int) -> HttpResponse:
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    dossier = citizen_dossier(citizen=citizen, dossier_id=dossier_id)
    if request.method != "POST":
        return redirect("portal:my_dossier", dossier_id=dossier.pk)
    with DomainErrors(request):
        dossier_supplement(citizen=citizen, dossier=dossier, uploads=_uploads(request))
        messages.success(request, _("Đã nộp bổ sung hồ sơ."))
    return redirect("portal:my_dossier", dossier_id=dossier.pk)


@citizen_required
def result(request: HttpRequest, dossier_id: int) -> HttpResponse:
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    dossier = citizen_dossier(citizen=citizen, dossier_id=dossier_id)
    data = dossier_result(citizen=citizen, actor=None, dossier=dossier)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{dossier.pk}.pdf"'
    return response


@citizen_required
def rate(request: HttpRequest, dossier_id: int) -> HttpResponse:
    citizen: Citizen = request.citizen  # type: ignore[attr-defined]
    dossier = citizen_dossier(citizen=citizen, dossier_id=dossier_id)
    if request.method == "POST":
        with DomainErrors(request):
            dossier_rate(
                citizen=citizen,
                dossier=dossier,
                score=_int(request.POST.get("score")),
                comment=request.POST.get("comment", "")[:500],
            )
            messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("portal:my_dossier", dossier_id=dossier.pk)
