"""The public verification page at ``/verify/<code>``, and the staff pages of certificates and
signature use.

``/verify/<code>`` (what the QR code on every issued paper
points to). No login. An unknown code gets the same answer whatever it is; a known one shows
only what is printed on the paper, whether the paper is still current, and lets the holder
check a PDF file against the one issued. Rate-limited per client address (429)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hotich.accounts.authz import can, get_in_scope
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.core.ratelimit import rate_limited
from hotich.signing.forms import IdentityImportForm, QuarterForm
from hotich.signing.models import Backend
from hotich.signing.selectors import (
    document_for_code,
    document_status,
    identities_in,
    identities_in_scope,
    signature_use_in_scope,
)
from hotich.signing.services import identity_import, identity_revoke
from hotich.signing.verify import PdfRefused, pdf_verify

MAX_UPLOAD = 20 * 1024 * 1024


@require_http_methods(["GET", "POST"])
@rate_limited("verify")
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = document_for_code(code)
    if document is None:
        return render(request, "signing/verify_unknown.html", status=404)
    context: dict[str, object] = {
        "document": document,
        "status": document_status(document),
        "public": document.public,
    }
    if request.method == "POST":
        context["check"] = _check_upload(request, document.sha256)
    return render(request, "signing/verify.html", context)


def _check_upload(request: HttpRequest, sha256: str) -> dict[str, object]:
    upload = request.FILES.get("file")
    if upload is None:
        return {"ok": False, "message": _("Hãy chọn tệp PDF để đối chiếu.")}
    if upload.size is not None and upload.size > MAX_UPLOAD:
        return {"ok": False, "message": _("Tệp quá lớn (tối đa 20 MB).")}
    data = upload.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        try:
            report = pdf_verify(data)
        except PdfRefused as refused:
            return {"ok": False, "message": str(refused)}
        if not report.ok:
            return {"ok": False, "message": _("Chữ ký số của tệp không hợp lệ hoặc tệp đã bị sửa.")}
        return {"ok": False, "message": _("Tệp có chữ ký hợp lệ nhưng không phải giấy này.")}
    return {"ok": True, "message": _("Tệp trùng khớp với giấy đã cấp và chữ ký số hợp lệ.")}


# --- staff: certificates and signature use -----------------------------------------------


@staff_required("signing.view")
def home(request: StaffRequest) -> HttpResponse:
    """The certificates of the user's units and the quarter's signature use, per unit."""
    today = timezone.localdate()
    form = QuarterForm(request.GET or None, initial={"year": today.year})
    year, quarter = today.year, (today.month - 1) // 3 + 1
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], int(form.cleaned_data["quarter"])
    else:
        form = QuarterForm(initial={"year": year, "quarter": quarter})
    return render(
        request,
        "signing/home.html",
        {
            "identities": identities_in_scope(request.user),
            "use": signature_use_in_scope(request.user, year, quarter),
            "year": year,
            "quarter": quarter,
            "form": form,
            "can_manage": can(request.user, "signing.manage"),
            "import_form": IdentityImportForm(user=request.user),
        },
    )


@staff_required("signing.manage")
@require_POST
def identity_import_view(request: StaffRequest) -> HttpResponse:
    form = IdentityImportForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        with DomainErrors(request):
            identity = identity_import(
                actor=request.user,
                unit=data["unit"],
                usage=data["usage"],
                user=data["holder"],
                data=data["file"].read(),
                password=data["password"].encode() or None,
                backend=Backend.PKCS11 if data["pkcs11_token"] else Backend.SOFTWARE,
                key_ref=data["key_label"],
                pkcs11_token=data["pkcs11_token"],
            )
            messages.success(request, _("Đã nhập chứng thư số %s.") % identity.subject)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("signing:home")


@staff_required("signing.manage")
@require_POST
def identity_revoke_view(request: StaffRequest, identity_id: int) -> HttpResponse:
    identity = get_in_scope(request.user, identities_in(), pk=identity_id)
    reason = " ".join(request.POST.get("reason", "").split())[:200]
    if not reason:
        messages.error(request, _("Hãy ghi lý do thu hồi."))
    else:
        identity_revoke(actor=request.user, identity=identity, reason=reason)
        messages.success(request, _("Đã thu hồi chứng thư số."))
    return redirect("signing:home")
