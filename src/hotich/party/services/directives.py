"""Directives down (docs/adr/0031-party-directives-reports-badges.md): a party committee sends a
directive, resolution or plan to organizations under it. The paper is rendered in the party's
layout and signed by the committee's keeper (as the introduction letter); each receiving
organization gets it in its unit's register of incoming documents, addressed to it, and one
task of the e-office given to its secretary (the first keeper with an account; the sender's own
keeper follows it up for an organization with none), due on the directive's deadline. The
committee's page follows the tasks: done, open, late."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import require
from hotich.agencies.selectors import members_of
from hotich.agencies.vocabulary import OrganizationKind
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import Conflict, FormInvalid, NotFound, ValidationFailed
from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.core.text import nfc, vn_long_date
from hotich.documents.services import incoming_receive_signed, task_send
from hotich.documents.vocabulary import DocType
from hotich.party.models import Directive, DirectiveTarget
from hotich.party.scope import KEEPERS_ORDER, PARTY_KINDS, reaches, signature_block
from hotich.party.services.members import MANAGE
from hotich.party.vocabulary import DIRECTIVE_LETTERS, MAX_DIRECTIVE_TARGETS, DirectiveKind
from hotich.signing.services import document_sign, new_verify_code, signers_for, verify_url

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization

OBJECT_TYPE = "party.directive"


def _number(committee: Organization, kind: str, year: int) -> str:
    issued = Directive.objects.filter(committee=committee, kind=kind, created_at__year=year).count()
    short = (committee.short_name or "ĐU").replace(" ", "")
    return f"{issued + 1:02d}-{DIRECTIVE_LETTERS[kind]}/{short}"


def keeper_of(organization: Organization) -> User | None:
    """The person who receives a party organization's tasks: its secretary, else the deputy,
    else the office chief, who has an account."""
    found = {m.position: m.user for m in members_of(organization, positions=KEEPERS_ORDER)}
    return next((found[p] for p in KEEPERS_ORDER if p in found), None)


def directive_html(
    directive: Directive, *, targets: list[Organization], code: str, signer: str, actor: Actor
) -> str:
    url = verify_url(code)
    return render_to_string(
        "party/directive_pdf.html",
        {
            "d": directive,
            "targets": targets,
            "dated": vn_long_date(timezone.localdate()),
            "signer": signer,
            "block": signature_block(actor, directive.committee),
            "qr": qr_data_uri(url),
            "verify_url": url,
        },
    )


def directive_issue(
    *,
    actor: Actor,
    committee: Organization,
    kind: str,
    title: str,
    body: str,
    deadline: dt.date | None,
    targets: list[Organization],
) -> Directive:
    """Sign and send a directive of ``committee`` to ``targets`` (party organizations strictly
    under it): one incoming document and one task each. All or nothing."""
    require(actor, MANAGE)
    if committee.kind != OrganizationKind.PARTY_COMMITTEE or not (
        actor is None or reaches(actor, committee, MANAGE)
    ):
        raise NotFound(_("Không tìm thấy tổ chức đảng."), field="organization")
    errors: dict[str, str | Promise] = {}
    if kind not in DirectiveKind.values:
        errors["kind"] = _("Chọn loại văn bản.")
    title = " ".join(nfc(title or "").split())
    body = nfc(body or "").strip()
    if not title:
        errors["title"] = _("Trích yếu: không được để trống.")
    elif len(title) > 300:
        errors["title"] = _("Trích yếu: tối đa 300 ký tự.")
    if not body:
        errors["body"] = _("Nội dung: không được để trống.")
    today = timezone.localdate()
    if deadline is None:
        errors["deadline"] = _("Hạn báo cáo: nhập ngày theo dạng ngày/tháng/năm.")
    elif deadline < today:
        errors["deadline"] = _("Hạn báo cáo: không được trước hôm nay.")
    unique = {o.pk: o for o in targets}
    if not unique:
        errors["targets"] = _("Chọn ít nhất một tổ chức đảng nhận văn bản.")
    elif len(unique) > MAX_DIRECTIVE_TARGETS:
        errors["targets"] = _("Quá nhiều tổ chức nhận văn bản.")
    elif any(
        o.kind not in PARTY_KINDS or o.pk == committee.pk or not o.path.startswith(committee.path)
        for o in unique.values()
    ):
        errors["targets"] = _("Chỉ gửi tới các tổ chức đảng trực thuộc.")
    if errors:
        raise FormInvalid(errors)
    assert deadline is not None
    receivers = sorted(unique.values(), key=lambda o: o.path)
    owners = {o.pk: keeper_of(o) for o in receivers}
    fallback = acting_user(actor) or keeper_of(committee)
    if fallback is None and any(owner is None for owner in owners.values()):
        raise ValidationFailed(
            _("Tổ chức đảng nhận văn bản chưa có bí thư trên hệ thống."), field="targets"
        )
    unit = committee.unit
    official = [i for i in signers_for(unit, actor) if i.usage == "official"]
    if actor is not None and not official:
        raise Conflict(
            _("Người ký chưa có chứng thư số cá nhân; không thể ký."), code="no_certificate"
        )
    with transaction.atomic():
        directive = Directive.objects.create(
            committee=committee,
            kind=kind,
            number=_number(committee, kind, today.year),
            title=title,
            body=body[:20_000],
            deadline=deadline,
            created_by=acting_user(actor),
        )
        code = new_verify_code()
        heading = str(
            format_lazy(
                "{kind} {number}: {title}",
                kind=DirectiveKind(kind).label,
                number=directive.number,
                title=title,
            )
        )
        pdf = html_to_pdf(
            directive_html(
                directive,
                targets=receivers,
                code=code,
                signer=actor_name(actor, full=True),
                actor=actor,
            )
        )
        directive.signed = document_sign(
            pdf=pdf,
            actor=actor,
            unit=unit,
            kind="party.directive",
            title=heading[:300],
            number=directive.number,
            source_type=OBJECT_TYPE,
            source_id=directive.pk,
            verify_code=code,
            public={"committee": committee.name, "number": directive.number},
        )
        directive.save(update_fields=["signed"])
        for organization in receivers:
            document = incoming_receive_signed(
                actor=actor,
                unit=organization.unit,
                organization=organization,
                doc_type=DocType.OFFICIAL_LETTER,
                title=heading[:300],
                data=directive.signed.pdf,
                sender_name=committee.name,
                sender_number=directive.number,
                dated=today,
                summary=body[:2000],
            )
            owner = owners[organization.pk] or fallback
            assert owner is not None
            task = task_send(
                actor=actor,
                owner=owner,
                title=str(
                    format_lazy(
                        _("{org}: thực hiện và báo cáo {number}"),
                        org=organization.name,
                        number=directive.number,
                    )
                )[:300],
                deadline=deadline,
                description=title,
                document=document if document.unit_id == owner.unit_id else None,
            )
            DirectiveTarget.objects.create(
                directive=directive, organization=organization, document=document, task=task
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type=OBJECT_TYPE,
            object_id=directive.pk,
            after={"number": directive.number, "kind": kind, "targets": len(receivers)},
            detail={"committee": committee.pk, "verify_code": code},
        )
    return directive
