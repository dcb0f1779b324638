"""Issuing extracts and certificates: the one function every issue goes through.

:func:`extract_issue` checks the request, numbers the paper per issuing unit and year, renders
the PDF, has it signed (the official who issues it and the unit's seal, through the signing
context, which stores the signed file and answers for its ``/verify/<code>`` page), records an
:class:`IssuedExtract` and audits the export.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict
from hotich.registry.extracts.build import extract_document_for
from hotich.registry.extracts.layouts import number_suffix
from hotich.registry.extracts.models import ExtractCounter, IssuedExtract
from hotich.registry.extracts.render import render_extract_pdf
from hotich.registry.models import Record
from hotich.registry.vocabulary import Status
from hotich.signing.services import document_sign, new_verify_code

OBJECT_TYPE = "registry.record"


def _issuing_unit(actor: Actor, record: Record) -> Any:
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
    actor: Actor,
    record: Record,
    copy: bool,
    requested_by: str = "",
    out_storage: bool = True,
) -> IssuedExtract:
    """Issue the extract (``copy=False``: the original, or the birth/marriage certificate) or a
    copy of ``record``. ``actor`` None is the system (the seal signs alone). The signed bytes are
    on the returned object as ``issued.pdf``; with ``out_storage`` they are also stored
    (``issued.file_path``). A failure anywhere leaves nothing: the transaction rolls back and the
    signing context removes a file it stored."""
    # An original is issued by the authority holding the record; a copy by any authority.
    require(
        actor,
        "registry.extract",
        None if copy else record.unit,
        message=_("Bạn không có quyền cấp trích lục hộ tịch."),
    )
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
        signer=acting_user(actor),
    )
    signed = document_sign(
        pdf=render_extract_pdf(doc),
        actor=actor,
        unit=unit,
        kind=str(doc.kind),
        title=str(doc.title),
        number=number,
        source_type=OBJECT_TYPE,
        source_id=record.pk,
        verify_code=verify_code,
        # What the verify page may repeat: printed on the paper, and naming no one.
        public={
            "copy": copy,
            "authority": doc.issuing_authority,
            "book": doc.book,
            "entry_number": doc.entry_number,
            "registration_date": doc.registration_date,
            "issue_date": today.isoformat(),
        },
        store=out_storage,
    )
    issued = IssuedExtract.objects.create(
        record=record,
        unit=unit,
        year=today.year,
        sequence=sequence,
        number=number,
        kind=str(doc.kind),
        is_copy=copy,
        verify_code=verify_code,
        sha256=signed.sha256,
        file_path=signed.file_path,
        requested_by=requested_by[:150],
        issued_at=now,
        issued_by=acting_user(actor),
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
            "sha256": signed.sha256,
            "stored": bool(signed.file_path),
        },
    )
    issued.pdf = signed.pdf
    return issued
