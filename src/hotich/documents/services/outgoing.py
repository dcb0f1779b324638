"""Outgoing documents: drafting, editing, rendering and signing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import require
from hotich.agencies.selectors import organizations_of_province
from hotich.core.errors import Conflict, NotFound, ValidationFailed
from hotich.core.text import nfc
from hotich.documents.models import Comment, Document, Recipient, Version
from hotich.documents.render import Layout, render_pdf
from hotich.documents.services.common import (
    SECTION_ABBREV,
    audit,
    clean_doc_type,
    clean_text,
    event_record,
    own_unit,
)
from hotich.documents.services.numbering import number_document
from hotich.documents.services.routing import own_organization
from hotich.documents.vocabulary import (
    OBJECT_TYPE,
    Direction,
    DocType,
    Status,
    issuing_body,
)
from hotich.geo.selectors import unit_find
from hotich.geo.vocabulary import Era
from hotich.signing.services import document_sign, new_verify_code

if TYPE_CHECKING:
    from hotich.geo.models import Unit


def _recipient(actor_unit: Unit, recipient_unit_id: int | None) -> Unit | None:
    if not recipient_unit_id:
        return None
    unit = unit_find(recipient_unit_id, era=Era.CURRENT)
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị nhận."), field="recipient_unit")
    if unit.pk == actor_unit.pk:
        raise ValidationFailed(
            _("Không gửi văn bản cho chính đơn vị mình."), field="recipient_unit"
        )
    return unit


def _draft_values(
    *,
    unit: Unit,
    doc_type: str,
    title: str,
    summary: str,
    body: str,
    recipient_unit_id: int | None,
    recipient_name: str,
    section_abbrev: str,
    organizations: int = 0,
) -> dict[str, Any]:
    section = nfc((section_abbrev or "TP").strip().upper())
    if not SECTION_ABBREV.match(section):
        raise ValidationFailed(
            _("Viết tắt đơn vị soạn thảo: chỉ gồm chữ in hoa và chữ số, tối đa 10 ký tự."),
            field="section_abbrev",
        )
    values = {
        "doc_type": clean_doc_type(doc_type),
        "title": clean_text(
            title, field="title", label=_("Trích yếu"), max_length=300, required=True
        ),
        "summary": clean_text(
            summary, field="summary", label=_("Tóm tắt"), max_length=2000, required=False
        ),
        "body": clean_text(
            body, field="body", label=_("Nội dung"), max_length=50_000, required=True
        ),
        "recipient_unit": _recipient(unit, recipient_unit_id),
        "recipient_name": clean_text(
            recipient_name,
            field="recipient_name",
            label=_("Nơi nhận"),
            max_length=200,
            required=False,
        ),
        "section_abbrev": section,
    }
    if values["recipient_unit"] is None and not values["recipient_name"] and not organizations:
        raise ValidationFailed(
            _("Nơi nhận: chưa chọn đơn vị nhận hay nhập nơi nhận."), field="recipient_unit"
        )
    return values


@transaction.atomic
def document_create(
    *,
    actor: Actor,
    doc_type: str,
    title: str,
    summary: str = "",
    body: str = "",
    recipient_unit_id: int | None = None,
    recipient_name: str = "",
    section_abbrev: str = "",
    recipient_organization_ids: Sequence[int] = (),
) -> Document:
    """A draft outgoing document of the actor's unit; ``recipient_organization_ids``: the
    organizations of the province it is issued to (each receives it as an incoming document)."""
    require(actor, "documents.draft")
    unit = own_unit(actor)
    document = Document(
        direction=Direction.OUTGOING,
        unit=unit,
        status=Status.DRAFT,
        organization=own_organization(actor),
        created_by=acting_user(actor),
        **_draft_values(
            unit=unit,
            doc_type=doc_type,
            title=title,
            summary=summary,
            body=body,
            recipient_unit_id=recipient_unit_id,
            recipient_name=recipient_name,
            section_abbrev=section_abbrev,
            organizations=len(recipient_organization_ids),
        ),
    )
    document.save()
    _recipients_set(actor, document, recipient_organization_ids)
    version_save(actor, document)
    event_record(document, actor, "create", "")
    audit(
        actor,
        document,
        "create",
        None,
        {"direction": document.direction, "type": document.doc_type},
    )
    return document


def _recipients_set(actor: Actor, document: Document, organization_ids: Sequence[int]) -> None:
    """The organizations the document is issued to (replacing those named before)."""
    wanted = {int(i) for i in organization_ids}
    found = list(
        organizations_of_province(document.unit)
        .filter(pk__in=wanted)
        .exclude(pk=getattr(document.organization, "pk", 0))
    )
    if len(found) != len(wanted):
        raise ValidationFailed(
            _("Gửi tới cơ quan: chọn cơ quan, tổ chức trong tỉnh, khác cơ quan mình."),
            field="recipient_organizations",
        )
    document.recipients.filter(organization__isnull=False).delete()
    Recipient.objects.bulk_create(
        Recipient(document=document, organization=o, name=o.name) for o in found
    )


def version_save(actor: Actor, document: Document) -> int:
    """Keep the draft's title and body as its next version; returns the version's number."""
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    Version.objects.create(
        document=document,
        number=last + 1,
        title=document.title,
        body=document.body,
        author=acting_user(actor),
    )
    return last + 1


@transaction.atomic
def document_comment(*, actor: Actor, document: Document, text: str) -> Comment:
    """A reviewer's comment on a draft's current version (a draft, or one waiting for
    approval, of the actor's unit). Goes on the document's history."""
    require(actor, "documents.view")
    if actor is not None and document.unit_id != getattr(actor, "unit_id", None):
        raise NotFound(_("Không tìm thấy văn bản."), field="document")
    if document.status not in (Status.DRAFT, Status.SUBMITTED):
        raise Conflict(_("Chỉ góp ý được dự thảo chưa duyệt."), field="status")
    text = clean_text(text, field="text", label=_("Góp ý"), max_length=4000, required=True)
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    comment = Comment.objects.create(
        document=document, version=last, author=acting_user(actor), text=text
    )
    event_record(document, actor, "comment", document.status, f"v{last} · {text}")
    audit(actor, document, "update", document.state(), {"action": "comment", "version": last})
    return comment


def _signer_title(document: Document) -> str:
    """On behalf of the body that issues the document (its organization's kind), its chair."""
    return f"TM. {issuing_body(document.organization)[1]}\nCHỦ TỊCH"


@transaction.atomic
def document_update(
    *,
    actor: Actor,
    document: Document,
    doc_type: str,
    title: str,
    summary: str = "",
    body: str = "",
    recipient_unit_id: int | None = None,
    recipient_name: str = "",
    section_abbrev: str = "",
    recipient_organization_ids: Sequence[int] = (),
) -> Document:
    """Change a draft (a new one, or one the approver returned) of the actor's unit."""
    require(actor, "documents.draft")
    locked = Document.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None or (actor is not None and locked.unit_id != getattr(actor, "unit_id", None)):
        raise NotFound(_("Không tìm thấy văn bản."), field="document")
    if locked.status != Status.DRAFT:
        raise Conflict(
            _("Chỉ sửa được văn bản ở trạng thái dự thảo."), field="status", code="not_draft"
        )
    before = locked.state()
    fresh = _draft_values(
        unit=locked.unit,
        doc_type=doc_type,
        title=title,
        summary=summary,
        body=body,
        recipient_unit_id=recipient_unit_id,
        recipient_name=recipient_name,
        section_abbrev=section_abbrev,
        organizations=len(recipient_organization_ids),
    )
    changed = (fresh["title"], fresh["body"]) != (locked.title, locked.body)
    for key, value in fresh.items():
        setattr(locked, key, value)
    locked.save()
    _recipients_set(actor, locked, recipient_organization_ids)
    event_record(locked, actor, "edit", Status.DRAFT)
    if changed:
        number = version_save(actor, locked)
        event_record(locked, actor, "version", Status.DRAFT, f"v{number}")
    audit(actor, locked, "update", before, {"action": "edit"})
    return locked


def sign_document(actor: Actor, document: Document, now: dt.datetime) -> None:
    """Number the document (per unit, year and type), render it and sign it as the actor and
    with the unit's seal."""
    today = number_document(document, now)
    code = new_verify_code()
    recipients = [document.recipient_unit.name] if document.recipient_unit else []
    recipients += [r.name for r in document.recipients.all()]
    if document.recipient_name:
        recipients.append(document.recipient_name)
    pdf = render_pdf(
        Layout(
            unit=document.unit,
            doc_type=document.doc_type,
            number=document.number,
            title=document.title,
            body=document.body,
            dated=today,
            recipients=recipients,
            signer_title=_signer_title(document),
            signer_name=actor_name(actor, full=True),
            verify_code=code,
            body_name=issuing_body(document.organization)[1],
        )
    )
    signed = document_sign(
        pdf=pdf,
        actor=actor,
        unit=document.unit,
        kind=f"documents.{document.doc_type}",
        title=document.title,
        number=document.number,
        source_type=OBJECT_TYPE,
        source_id=document.pk,
        verify_code=code,
        public={"number": document.number, "type": str(DocType(document.doc_type).label)},
    )
    document.signed = signed
    document.file_path = signed.file_path
    document.file_sha256 = signed.sha256
    document.file_size = signed.size
    document.signed_digitally = True
    document.signature_valid = True
    document.signed_at = now
