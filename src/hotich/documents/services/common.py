"""What every write of the document register shares: input checks, history, audit, files."""

from __future__ import annotations

import io
import re
import uuid
import zlib
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.core.text import nfc
from hotich.documents.models import Document, Event
from hotich.documents.vocabulary import (
    OBJECT_TYPE,
    DocType,
)

if TYPE_CHECKING:
    from hotich.geo.models import Unit

MAX_PDF_BYTES = 50 * 1024 * 1024


SECTION_ABBREV = re.compile(r"^[A-ZĐ0-9]{1,10}$")


_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm)\b")


def lazy_format(template: Any, **params: Any) -> Any:
    """A lazy ``template % params`` that follows the active language when shown."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in params.items()}, str)()


def own_unit(actor: Actor) -> Unit:
    unit = getattr(actor, "unit", None)
    if unit is None:
        raise PermissionDenied(_("Tài khoản chưa được giao đơn vị."))
    return unit  # type: ignore[no-any-return]


def clean_text(value: str, *, field: str, label: Any, max_length: int, required: bool) -> str:
    text = nfc(" ".join((value or "").split()) if max_length <= 500 else (value or "").strip())
    if required and not text:
        raise ValidationFailed(
            lazy_format(_("%(label)s: chưa nhập (bắt buộc)."), label=label), field=field
        )
    if len(text) > max_length:
        raise ValidationFailed(
            lazy_format(_("%(label)s: dài quá %(n)s ký tự."), label=label, n=max_length),
            field=field,
        )
    return text


def clean_doc_type(value: str) -> str:
    if value not in DocType.values:
        raise ValidationFailed(_("Loại văn bản không hợp lệ."), field="doc_type")
    return value


def event_record(
    document: Document, actor: Actor, action: str, from_status: str, note: str = ""
) -> None:
    Event.objects.create(
        document=document,
        action=action,
        from_status=from_status,
        to_status=document.status,
        actor=acting_user(actor),
        actor_name=actor_name(actor, full=True),
        note=note[:500],
    )


def audit(
    actor: Actor, document: Document, action: str, before: Any, detail: dict[str, Any]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=document.pk,
        before=before,
        after=document.state(),
        detail=detail,
    )


def pdf_store(data: bytes) -> str:
    return archive_store(
        path=f"documents/{timezone.now().year}/{uuid.uuid4().hex}.pdf",
        content=data,
        source="documents",
    ).path


def check_pdf(name: str, data: bytes) -> None:
    """Refuse, with a reason, a file that is not a readable, unencrypted, passive PDF."""

    label = (name or "?").replace("\\", "/").rsplit("/", 1)[-1][:200]

    def refuse(reason: Any) -> ValidationFailed:
        return ValidationFailed(
            lazy_format(_("Tệp “%(name)s” bị từ chối: %(reason)s"), name=label, reason=reason),
            field="file",
            code="bad_file",
        )

    if not data:
        raise refuse(_("tệp rỗng"))
    if len(data) > MAX_PDF_BYTES:
        raise refuse(lazy_format(_("tệp lớn hơn %(n)s MB"), n=MAX_PDF_BYTES // (1024 * 1024)))
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise refuse(_("không phải tệp PDF"))
    if "." in label and label.rsplit(".", 1)[-1].lower() != "pdf":
        raise refuse(_("phần mở rộng không phải .pdf"))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        pages = 0 if encrypted else int(reader.root["/Pages"]["/Count"])
    except (PdfError, ValueError, KeyError, TypeError, IndexError, zlib.error) as exc:
        raise refuse(_("tệp PDF bị hỏng")) from exc
    if encrypted:
        raise refuse(_("tệp PDF bị mã hóa"))
    if pages < 1:
        raise refuse(_("tệp PDF không có trang nào"))
    if _PDF_ACTIVE.search(data):
        raise refuse(_("tệp PDF chứa mã chạy được hoặc tệp đính kèm"))
