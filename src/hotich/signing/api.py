"""REST API of the signing context (/api/v1/signing), public like the verify page.

- ``POST /verify``: a PDF file (multipart ``file``) → its signatures, signers, coverage, chain
  trust and the document its QR code points at (what ``hotich pdf verify`` prints).
- ``POST /documents/status``: ``{"code": ...}`` → whether the issued paper is still current;
  POST keeps the code out of URLs and logs, and an unknown code answers 404 like any other.

Both are rate-limited per client address (``HOTICH_RATE_VERIFY``, ``HOTICH_RATE_STATUS``): 429.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from hotich.core.errors import NotFound, ValidationFailed
from hotich.core.ratelimit import rate_limit
from hotich.signing.selectors import document_for_code, document_status
from hotich.signing.verify import pdf_verify

router = Router(tags=["signing"])
MAX_PDF_BYTES = 20 * 1024 * 1024


class SignatureOut(Schema):
    field: str
    signer: str
    signed_at: str | None
    timestamped: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    ok: bool
    problems: list[str]


class DocumentOut(Schema):
    kind: str
    title: str
    number: str
    issued_on: str
    authority: str
    signers: list[str]
    sha256: str
    current: bool
    state: str
    reason: str


class VerifyOut(Schema):
    valid: bool
    sha256: str
    signatures: list[SignatureOut]
    problems: list[str]
    document: DocumentOut | None


class CodeIn(Schema):
    code: str


def _document(code: str | None) -> DocumentOut | None:
    document = document_for_code(code or "")
    if document is None:
        return None
    status = document_status(document)
    return DocumentOut(
        kind=document.kind,
        title=document.title,
        number=document.number,
        issued_on=document.signed_at.date().isoformat(),
        authority=str(document.public.get("authority") or document.unit.name),
        signers=[str(s.get("name", "")) for s in document.signers],
        sha256=document.sha256,
        current=status.current,
        state=status.state,
        reason=str(status.reason),
    )


@router.post("/verify", response=VerifyOut, auth=None, url_name="signing_verify")
def verify(request: HttpRequest, file: File[UploadedFile]) -> Any:
    rate_limit(request, "verify")
    if file.size is not None and file.size > MAX_PDF_BYTES:
        raise ValidationFailed(_("Tệp quá lớn (tối đa 20 MB)."), field="file")
    report = pdf_verify(file.read())
    data = report.as_dict()
    data["document"] = _document(report.verify_code)
    return data


@router.post(
    "/documents/status", response=DocumentOut, auth=None, url_name="signing_document_status"
)
def document_status_view(request: HttpRequest, payload: CodeIn) -> Any:
    rate_limit(request, "status")
    found = _document(payload.code.strip())
    if found is None:
        raise NotFound(_("Không tìm thấy giấy tờ."))
    return found
