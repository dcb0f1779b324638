"""Moving a member between cells (docs/adr/0023-party-records.md).

The sending cell creates the transfer; its secretary signs the introduction letter (giấy giới
thiệu sinh hoạt đảng), rendered here and signed by ``signing`` with the cell's seal, and the
signed letter is sent through the e-office: it arrives in the register of incoming documents of
the receiving cell's unit, addressed to that cell, its signature verified on receipt. The
receiving cell accepts (or refuses with a reason). On acceptance of an official transfer the
record follows (``Member.cell`` changes in the same transaction); of a temporary one, the member
attends the receiving cell and stays a member of their own.

A member is never in two cells nor in none: ``Member.cell`` is one required foreign key, the
cell attended meanwhile must differ from it (a check constraint), and at most one transfer of a
member is open at a time (a unique constraint, and the service's own check first)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import permits, require
from hotich.agencies.vocabulary import OrganizationKind
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action as AuditAction
from hotich.core.errors import Conflict, FormInvalid, NotFound, PermissionDenied
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.core.text import nfc, vn_long_date
from hotich.documents.services import incoming_receive_signed
from hotich.documents.vocabulary import DocType
from hotich.party.models import Member, Transfer, TransferStep
from hotich.party.scope import SignatureBlock, reaches, signature_block
from hotich.party.services.members import MANAGE
from hotich.party.vocabulary import TransferAction as A
from hotich.party.vocabulary import TransferKind, TransferStatus
from hotich.signing.services import document_sign, new_verify_code, signers_for, verify_url

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

OBJECT_TYPE = "party.transfer"
OPEN = (TransferStatus.DRAFT, TransferStatus.SENT)
#: the longest temporary transfer (Quy định 24-QĐ/TW: up to a year, renewable)
LONGEST_STAY = dt.timedelta(days=366)


def _keeps(actor: Actor, organization: Organization) -> bool:
    return actor is None or reaches(actor, organization, MANAGE)


def transfer_create(
    *,
    actor: Actor,
    member: Member,
    to_cell: Organization | None,
    kind: str,
    reason: str,
    until: dt.date | None = None,
) -> Transfer:
    """The sending cell starts a transfer of one of its members (a draft until the letter is
    signed)."""
    require(actor, MANAGE)
    member = Member.objects.select_related("cell", "attending").get(pk=member.pk)
    if not _keeps(actor, member.cell):
        raise NotFound(_("Không tìm thấy đảng viên."), field="member")
    errors: dict[str, object] = {}
    if kind not in TransferKind.values:
        errors["kind"] = _("Chọn chuyển chính thức hay tạm thời.")
    if to_cell is None or to_cell.kind != OrganizationKind.PARTY_CELL or not to_cell.is_active:
        errors["to_cell"] = _("Chọn chi bộ nơi đến.")
    elif to_cell.pk in (member.cell_id, member.attending_id):
        errors["to_cell"] = _("Chi bộ nơi đến phải khác chi bộ đảng viên đang sinh hoạt.")
    reason = " ".join(nfc(reason).split())
    if not reason or len(reason) > 300:
        errors["reason"] = _("Lý do: bắt buộc, tối đa 300 ký tự.")
    today = timezone.localdate()
    if kind == TransferKind.TEMPORARY:
        if until is None or until <= today or until - today > LONGEST_STAY:
            errors["until"] = _("Sinh hoạt tạm thời: ghi ngày kết thúc, trong vòng 12 tháng tới.")
    elif kind == TransferKind.OFFICIAL and member.attending_id is not None:
        errors["kind"] = _("Đảng viên đang sinh hoạt tạm thời ở chi bộ khác.")
    if Transfer.objects.filter(member=member, status__in=OPEN).exists():
        errors["member"] = _("Đảng viên đang có một lần chuyển sinh hoạt chưa xong.")
    if errors:
        raise FormInvalid(errors)  # type: ignore[arg-type]
    assert to_cell is not None
    with transaction.atomic():
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    member=member,
                    kind=kind,
                    from_cell=member.cell,
                    to_cell=to_cell,
                    reason=reason,
                    until=until if kind == TransferKind.TEMPORARY else None,
                    created_by=acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(_("Đảng viên đang có một lần chuyển sinh hoạt chưa xong.")) from None
        TransferStep.objects.create(
            transfer=transfer,
            action="create",
            to_status=transfer.status,
            actor_name=actor_name(actor, full=True),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type=OBJECT_TYPE,
            object_id=transfer.pk,
            after=transfer.state(),
        )
    return transfer


def letter_html(
    transfer: Transfer, *, number: str, code: str, signer: str, block: SignatureBlock
) -> str:
    url = verify_url(code)
    today = timezone.localdate()
    return render_to_string(
        "party/letter_pdf.html",
        {
            "t": transfer,
            "member": transfer.member,
            "number": number,
            "dated": vn_long_date(today),
            "signer": signer,
            "block": block,
            "qr": qr_data_uri(url),
            "verify_url": url,
        },
    )


def _letter_number(transfer: Transfer) -> str:
    year = timezone.localdate().year
    issued = (
        Transfer.objects.filter(from_cell=transfer.from_cell, created_at__year=year)
        .exclude(letter_number="")
        .count()
    )
    short = (transfer.from_cell.short_name or "CB").replace(" ", "")
    return f"{issued + 1:02d}-GGT/{short}"


def _run_sign(step: Step[Transfer]) -> None:
    transfer, actor = step.obj, step.actor
    if not _keeps(actor, transfer.from_cell):
        raise PermissionDenied(_("Chỉ cấp ủy chi bộ nơi đi ký giấy giới thiệu."))
    unit = transfer.from_cell.unit
    official = [i for i in signers_for(unit, actor) if i.usage == "official"]
    if actor is not None and not official:
        raise Conflict(
            _("Người ký chưa có chứng thư số cá nhân; không thể ký."), code="no_certificate"
        )
    code = new_verify_code()
    number = _letter_number(transfer)
    title = str(format_lazy(_("Giấy giới thiệu sinh hoạt đảng số {number}"), number=number))
    pdf = html_to_pdf(
        letter_html(
            transfer,
            number=number,
            code=code,
            signer=actor_name(actor, full=True),
            block=signature_block(actor, transfer.from_cell),
        )
    )
    signed = document_sign(
        pdf=pdf,
        actor=actor,
        unit=unit,
        kind="party.letter",
        title=title,
        number=number,
        source_type=OBJECT_TYPE,
        source_id=transfer.pk,
        verify_code=code,
        public={"from": transfer.from_cell.name, "to": transfer.to_cell.name},
    )
    transfer.letter_number = number
    transfer.letter_signed = signed
    transfer.document = incoming_receive_signed(
        actor=actor,
        unit=transfer.to_cell.unit,
        organization=transfer.to_cell,
        doc_type=DocType.OFFICIAL_LETTER,
        title=title,
        data=signed.pdf,
        sender_name=transfer.from_cell.name,
        sender_number=number,
        dated=timezone.localdate(),
        summary=str(TransferKind(transfer.kind).label),
    )
    step.detail["document"] = transfer.document.pk


def _run_decide(step: Step[Transfer]) -> None:
    transfer = step.obj
    if not _keeps(step.actor, transfer.to_cell):
        raise PermissionDenied(_("Chỉ cấp ủy chi bộ nơi đến tiếp nhận hoặc từ chối."))
    transfer.decided_at = timezone.now()
    if step.action.name != A.ACCEPT:
        return
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if member.cell_id != transfer.from_cell_id:
        raise Conflict(_("Đảng viên không còn ở chi bộ nơi đi."))
    before = member.state()
    if transfer.kind == TransferKind.OFFICIAL:
        member.cell_id, member.attending_id = transfer.to_cell_id, None
    else:
        member.attending_id = transfer.to_cell_id
    member.save(update_fields=["cell", "attending"])
    audit_record(
        actor=step.actor,
        action=AuditAction.UPDATE,
        object_type="party.member",
        object_id=member.pk,
        before=before,
        after=member.state(),
        detail={"transfer": transfer.pk},
    )


def _run_return(step: Step[Transfer]) -> None:
    """A temporary transfer ends: the member stops attending the receiving cell and takes part
    in their own cell's life again (recorded by either cell's keeper)."""
    transfer = step.obj
    if not (_keeps(step.actor, transfer.from_cell) or _keeps(step.actor, transfer.to_cell)):
        raise PermissionDenied(_("Chỉ cấp ủy chi bộ nơi đi hoặc nơi đến ghi nhận được."))
    if transfer.kind != TransferKind.TEMPORARY:
        raise Conflict(_("Chỉ lần chuyển sinh hoạt tạm thời mới kết thúc để trở về."))
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if member.attending_id != transfer.to_cell_id:
        raise Conflict(_("Đảng viên không còn sinh hoạt tạm thời ở chi bộ nơi đến."))
    before = member.state()
    member.attending_id = None
    member.save(update_fields=["attending"])
    transfer.returned_on = timezone.localdate()
    audit_record(
        actor=step.actor,
        action=AuditAction.UPDATE,
        object_type="party.member",
        object_id=member.pk,
        before=before,
        after=member.state(),
        detail={"transfer": transfer.pk, "returned": True},
    )


def _run_cancel(step: Step[Transfer]) -> None:
    if not _keeps(step.actor, step.obj.from_cell):
        raise PermissionDenied(_("Chỉ cấp ủy chi bộ nơi đi hủy được."))


def _scope(actor: Actor, transfer: Transfer) -> None:
    if not (_keeps(actor, transfer.from_cell) or _keeps(actor, transfer.to_cell)):
        raise NotFound(_("Không tìm thấy."), field="transfer")


def _history(step: Step[Transfer]) -> None:
    TransferStep.objects.create(
        transfer=step.obj,
        action=step.action.name,
        from_status=step.from_status,
        to_status=step.obj.status,
        actor_name=actor_name(step.actor, full=True),
        note=step.note[:300],
    )


TRANSFER_LIFECYCLE = Lifecycle(
    model=Transfer,
    object_type=OBJECT_TYPE,
    noun=_("lần chuyển sinh hoạt đảng"),
    statuses=TransferStatus,
    actions=[
        Action(A.SIGN, A.SIGN.label, MANAGE, TransferStatus.SENT, _run_sign),
        Action(A.ACCEPT, A.ACCEPT.label, MANAGE, TransferStatus.ACCEPTED, _run_decide),
        Action(
            A.REFUSE,
            A.REFUSE.label,
            MANAGE,
            TransferStatus.REFUSED,
            _run_decide,
            note_required=_("Từ chối tiếp nhận: cần ghi lý do."),
        ),
        Action(A.CANCEL, A.CANCEL.label, MANAGE, TransferStatus.CANCELLED, _run_cancel),
        Action(A.RETURN, A.RETURN.label, MANAGE, TransferStatus.RETURNED, _run_return),
    ],
    table={
        TransferStatus.DRAFT: (A.SIGN, A.CANCEL),
        TransferStatus.SENT: (A.ACCEPT, A.REFUSE, A.CANCEL),
        TransferStatus.ACCEPTED: (A.RETURN,),
        TransferStatus.REFUSED: (),
        TransferStatus.CANCELLED: (),
        TransferStatus.RETURNED: (),
    },
    initial=(TransferStatus.DRAFT,),
    other_steps={"create": _("Tạo giấy giới thiệu")},
    scope=_scope,
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("member", "from_cell", "from_cell__unit", "to_cell", "to_cell__unit"),
)


def transfer_transition(
    *, actor: Actor, transfer: Transfer, action: str, note: str = ""
) -> Transfer:
    """``sign_letter`` (the sending cell), ``accept_transfer`` / ``refuse_transfer`` (the
    receiving cell), ``cancel_transfer`` (the sending cell, before acceptance),
    ``end_temporary`` (either cell, after a temporary transfer was accepted: the member
    returns)."""
    return TRANSFER_LIFECYCLE.transition(actor=actor, obj=transfer, action=action, note=note)
