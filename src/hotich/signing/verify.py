"""Verify a signed PDF: every signature intact and valid, its certificate chain trusted, the last
one covering the whole file and nothing after an earlier one but permitted updates; and which
document the QR code points at.

A PDF that is not one, is encrypted or is malformed is refused with a reason
(:class:`PdfRefused`).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from typing import Any

from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from hotich.core.errors import ValidationFailed
from hotich.signing.services import validation_context

VERIFY_PATH = re.compile(r"/verify/([A-Za-z0-9_-]{16,43})")


class PdfRefused(ValidationFailed):
    """The file cannot be verified at all; the message says why."""


@dataclass
class SignatureReport:
    field: str
    signer: str
    signed_at: str | None
    timestamped: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    later_changes_permitted: bool
    problems: list[str] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and (self.covers_whole_file or self.later_changes_permitted)
        )


@dataclass
class VerifyReport:
    sha256: str
    signatures: list[SignatureReport]
    verify_code: str | None
    problems: list[str] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            bool(self.signatures)
            and all(s.ok for s in self.signatures)
            and self.signatures[-1].covers_whole_file
            and not self.problems
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["valid"] = self.ok
        for item, signature in zip(data["signatures"], self.signatures, strict=True):
            item["ok"] = signature.ok
        return data


def _open(data: bytes) -> PdfFileReader:
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise PdfRefused(_("Tệp không phải PDF."), field="file")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise PdfRefused(_("Tệp PDF bị hỏng."), field="file") from exc
    if reader.encrypted:
        raise PdfRefused(_("Tệp PDF bị mã hóa."), field="file")
    return reader


def _pages(node: Any) -> Any:
    node = node.get_object()
    if node.get("/Type") == "/Pages":
        for kid in node.get("/Kids", []):
            yield from _pages(kid)
    else:
        yield node


def _verify_code(reader: PdfFileReader) -> str | None:
    """The code of the first ``/verify/<code>`` link on the pages (the printed address under
    the QR code, which holds the same URL)."""
    try:
        for page in _pages(reader.root["/Pages"]):
            for annotation in page.get("/Annots", []) or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") != "/Link":  # e.g. the signature fields
                    continue
                action = annotation.get("/A")
                uri = str(action.get_object().get("/URI", "")) if action is not None else ""
                match = VERIFY_PATH.search(uri)
                if match:
                    return match.group(1)
    except (PdfError, KeyError, TypeError, AttributeError):
        return None
    return None


def _name(cert: Any) -> str:
    try:
        return str(cert.subject.human_friendly)
    except (AttributeError, ValueError):
        return ""


def pdf_verify(data: bytes, *, roots: list[Any] | None = None) -> VerifyReport:
    reader = _open(data)
    try:
        embedded = list(reader.embedded_signatures)
    except (PdfError, KeyError, TypeError, ValueError) as exc:
        raise PdfRefused(_("Tệp PDF bị hỏng."), field="file") from exc
    report = VerifyReport(
        sha256=hashlib.sha256(data).hexdigest(), signatures=[], verify_code=_verify_code(reader)
    )
    if not embedded:
        report.problems.append("Tệp không có chữ ký số. / The file carries no signature.")
    context = validation_context(roots)
    for sig in embedded:
        problems: list[str] = []
        try:
            status = validate_pdf_signature(sig, context)
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            report.signatures.append(
                SignatureReport(
                    field=str(sig.field_name),
                    signer="",
                    signed_at=None,
                    timestamped=False,
                    intact=False,
                    valid=False,
                    trusted=False,
                    covers_whole_file=False,
                    later_changes_permitted=False,
                    problems=[f"Chữ ký hỏng / malformed signature: {type(exc).__name__}"],
                )
            )
            continue
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        level = status.modification_level
        permitted = (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and bool(status.docmdp_ok)
            and level is not None
            and level <= ModificationLevel.FORM_FILLING
        )
        if not status.intact:
            problems.append("Nội dung đã bị thay đổi sau khi ký. / Changed after signing.")
        if not status.trusted:
            problems.append("Chứng thư số không được tin cậy. / Certificate not trusted.")
        if status.revoked:
            problems.append("Chứng thư số đã bị thu hồi. / Certificate revoked.")
        if not (whole or permitted):
            problems.append(
                "Tệp có phần thêm vào sau chữ ký. / Content was added after the signature."
            )
        when = status.timestamp_validity.timestamp if status.timestamp_validity else None
        when = when or status.signer_reported_dt
        report.signatures.append(
            SignatureReport(
                field=str(sig.field_name),
                signer=_name(status.signing_cert),
                signed_at=when.isoformat() if when else None,
                timestamped=status.timestamp_validity is not None,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted and not status.revoked,
                covers_whole_file=whole,
                later_changes_permitted=permitted,
                problems=problems,
            )
        )
    return report
