"""Issuing extracts and certificates: the one function every issue goes through.

:func:`extract_issue` checks the request, numbers the paper per issuing unit and year, renders
the PDF, stores it, records an :class:`IssuedExtract` and audits the export. The signing context
wraps this function (it signs ``issued.pdf`` and stores the signed file in its place).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.authz import can
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, PermissionDenied
from hotich.registry.extracts.build import extract_document_for
from hotich.registry.extracts.layouts import number_suffix
from hotich.registry.extracts.models import ExtractCounter, IssuedExtract
from hotich.registry.extracts.render import render_extract_pdf
from hotich.registry.models import Record
from hotich.registry.services.books import check_unit_scope
from hotich.registry.vocabulary import Status

OBJECT_TYPE = "registry.record"
VERIFY_CODE_BYTES = 16  # 22 url-safe characters


def new_verify_code() -> str:
    return secrets.token_urlsafe(VERIFY_CODE_BYTES)


def _issuing_unit(actor: Any, record: Record) -> Any:
    """The actor's unit when the actor has one (a copy may be asked of any authority), otherwise
    (the system) the unit that holds the record."""
    return getattr(actor, "unit", None) or record.unit


def _next_sequence(unit: Any, year: int) -> int:
    counter, _created = ExtractCounter.objects.select_for_update().get_or_create(
        unit=unit, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def extract_issue(
    *,
    actor: Any,
    record: Record,
    copy: bool,
    requested_by: str = "",
    out_storage: bool = True,
) -> IssuedExtract:
    """Issue the extract (``copy=False``: the original, or the birth/marriage certificate) or a
    copy of ``record``. ``actor`` None is the system. The rendered bytes are on the returned
    object as ``issued.pdf``; with ``out_storage`` they are also stored under
    ``extracts/<year>/<uuid>.pdf`` in the default storage (``issued.file_path``)."""
    if actor is not None and not can(actor, "registry.extract"):
        raise PermissionDenied(_("Bạn không có quyền cấp trích lục hộ tịch."))
    if not copy:
        # An original is issued by the authority holding the record; a copy by any authority.
        check_unit_scope(actor, record.unit)
    if record.status != Status.REGISTERED:
        raise Conflict(
            _("Chỉ cấp trích lục cho bản ghi đã đăng ký."), field="record", code="not_registered"
        )
    unit = _issuing_unit(actor, record)
    now = timezone.now()
    today = timezone.localdate(now)
    sequence = _next_sequence(unit, today.year)
    number = f"{sequence}/{number_suffix(record.event_type, copy=copy)}"
    verify_code = new_verify_code()
    doc = extract_document_for(
        record,
        copy=copy,
        number=number,
        verify_code=verify_code,
        issuing_unit=unit,
        issue_date=today,
    )
    pdf = render_extract_pdf(doc)
    digest = hashlib.sha256(pdf).hexdigest()
    path = ""
    if out_storage:
        path = default_storage.save(f"extracts/{today.year}/{uuid.uuid4()}.pdf", ContentFile(pdf))
    try:
        issued = IssuedExtract.objects.create(
            record=record,
            unit=unit,
            year=today.year,
            sequence=sequence,
            number=number,
            kind=str(doc.kind),
            is_copy=copy,
            verify_code=verify_code,
            sha256=digest,
            file_path=path,
            requested_by=requested_by[:150],
            issued_at=now,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="export",
            object_type=OBJECT_TYPE,
            object_id=record.pk,
            detail={
                "extract_id": issued.pk,
                "number": number,
                "kind": str(doc.kind),
                "copy": copy,
                "sha256": digest,
                "stored": bool(path),
            },
        )
    except Exception:
        if path:
            default_storage.delete(path)
        raise
    issued.pdf = pdf
    return issued
