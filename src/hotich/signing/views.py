"""The public verification page at ``/verify/<code>`` (what the QR code on every issued paper
points to). No login. An unknown code gets the same answer whatever it is; a known one shows
only what is printed on the paper, whether the paper is still current, and lets the holder
check a PDF file against the one issued."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotich.signing.selectors import document_for_code, document_status
from hotich.signing.verify import PdfRefused, pdf_verify

MAX_UPLOAD = 20 * 1024 * 1024


@require_http_methods(["GET", "POST"])
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
