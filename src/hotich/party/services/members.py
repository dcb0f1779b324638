"""Keeping member records: adding a member, recognizing a probationary member as official,
recording a commendation or a discipline. Every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.agencies.vocabulary import OrganizationKind
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import Conflict, FormInvalid, ValidationFailed
from hotich.core.text import fold, nfc
from hotich.party.models import Distinction, Member
from hotich.party.rules import age_on
from hotich.party.scope import organization_in_reach
from hotich.party.vocabulary import (
    Discipline,
    DistinctionKind,
    Education,
    FeeCategory,
    Sex,
    Theory,
)
from hotich.people.personal_id import check_consistent

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization

MANAGE = "party.manage"
#: the youngest a member may be admitted (Điều lệ Đảng, Điều 1: đủ 18 tuổi)
YOUNGEST = 18


def check_cell(actor: Actor, cell: Organization | None) -> Organization:
    """The cell, when it is a party cell the actor keeps records of."""
    organization = organization_in_reach(actor, cell, MANAGE)
    if organization.kind != OrganizationKind.PARTY_CELL:
        raise ValidationFailed(_("Đảng viên sinh hoạt ở một chi bộ."), field="cell")
    return organization


def _check(
    *,
    full_name: str,
    sex: str,
    birth_date: dt.date | None,
    personal_id: str,
    admitted_on: dt.date | None,
    official_on: dt.date | None,
    education: str,
    theory: str,
    today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not full_name or len(full_name) > 120 or " " not in full_name:
        errors["full_name"] = str(_("Họ và tên: ghi đủ họ, tên đệm và tên (tối đa 120 ký tự)."))
    if sex not in Sex.values:
        errors["sex"] = str(_("Giới tính: Nam hoặc Nữ."))
    if birth_date is None:
        errors["birth_date"] = str(_("Ngày sinh: nhập dạng dd/mm/yyyy."))
    elif birth_date > today:
        errors["birth_date"] = str(_("Ngày sinh ở tương lai."))
    if admitted_on is None:
        errors["admitted_on"] = str(_("Ngày vào Đảng: nhập dạng dd/mm/yyyy."))
    elif admitted_on > today:
        errors["admitted_on"] = str(_("Ngày vào Đảng ở tương lai."))
    elif birth_date is not None and age_on(birth_date, admitted_on) < YOUNGEST:
        errors["admitted_on"] = str(
            format_lazy(_("Ngày vào Đảng: đảng viên chưa đủ {n} tuổi."), n=YOUNGEST)
        )
    if official_on is not None:
        if admitted_on is not None and official_on < admitted_on:
            errors["official_on"] = str(_("Ngày chính thức trước ngày vào Đảng."))
        elif official_on > today:
            errors["official_on"] = str(_("Ngày chính thức ở tương lai."))
    if personal_id and "personal_id" not in errors:
        try:
            check_consistent(
                personal_id,
                sex="M" if sex == Sex.MALE else "F" if sex == Sex.FEMALE else None,
                birth_year=birth_date.year if birth_date else None,
            )
        except ValidationFailed as exc:
            errors["personal_id"] = str(exc.message)
    if education and education not in Education.values:
        errors["education"] = str(_("Trình độ chuyên môn không hợp lệ."))
    if theory not in Theory.values:
        errors["theory"] = str(_("Trình độ lý luận chính trị không hợp lệ."))
    return errors


def member_create(
    *,
    actor: Actor,
    cell: Organization | None,
    full_name: str,
    sex: str,
    birth_date: dt.date | None,
    admitted_on: dt.date | None,
    official_on: dt.date | None = None,
    ethnicity: str = "Kinh",
    personal_id: str = "",
    card_number: str = "",
    positions: str = "",
    general_education: str = "12/12",
    education: str = "",
    theory: str = Theory.NONE,
    user: User | None = None,
    fee_category: str = FeeCategory.SALARIED,
    fee_base: int = 0,
) -> Member:
    """Add a member to a cell the actor keeps; every field is checked, every error reported."""
    require(actor, MANAGE)
    cell = check_cell(actor, cell)
    full_name = " ".join(nfc(full_name).split())
    personal_id = "".join((personal_id or "").split())
    card_number = (card_number or "").strip()
    errors = _check(
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        personal_id=personal_id,
        admitted_on=admitted_on,
        official_on=official_on,
        education=education,
        theory=theory,
        today=timezone.localdate(),
    )
    if card_number and Member.objects.filter(card_number=card_number).exists():
        errors["card_number"] = str(_("Số thẻ đảng viên đã có người mang."))
    if personal_id and Member.objects.filter(personal_id=personal_id).exists():
        errors["personal_id"] = str(_("Đã có hồ sơ đảng viên với số định danh này."))
    if user is not None and Member.objects.filter(user=user).exists():
        errors["username"] = str(_("Người dùng này đã gắn với một hồ sơ đảng viên khác."))
    if fee_category not in FeeCategory.values:
        errors["fee_category"] = str(_("Đối tượng đóng đảng phí không hợp lệ."))
    if not 0 <= fee_base <= 1_000_000_000:
        errors["fee_base"] = str(_("Thu nhập tính đảng phí không hợp lệ."))
    if errors:
        raise FormInvalid(errors)
    assert birth_date is not None and admitted_on is not None
    with transaction.atomic():
        member = Member(
            full_name=full_name,
            search_key=fold(full_name)[:120],
            sex=sex,
            birth_date=birth_date,
            ethnicity=nfc(ethnicity).strip()[:40] or "Kinh",
            personal_id=personal_id,
            user=user,
            card_number=card_number,
            admitted_on=admitted_on,
            official_on=official_on,
            cell=cell,
            positions=nfc(positions).strip()[:200],
            general_education=(general_education or "12/12").strip()[:10],
            education=education,
            theory=theory,
            fee_category=fee_category,
            fee_base=fee_base,
        )
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise Conflict(_("Số thẻ hoặc số định danh vừa được dùng cho hồ sơ khác.")) from None
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="party.member",
            object_id=member.pk,
            after=member.state(),
        )
    return member


def member_make_official(*, actor: Actor, member: Member, official_on: dt.date | None) -> Member:
    """Recognize a probationary member as official on ``official_on``."""
    require(actor, MANAGE)
    check_cell(actor, member.cell)
    if not member.probationary:
        raise Conflict(_("Đảng viên đã là đảng viên chính thức."))
    if official_on is None:
        raise ValidationFailed(_("Ngày chính thức: nhập dạng dd/mm/yyyy."), field="official_on")
    if official_on < member.admitted_on or official_on > timezone.localdate():
        raise ValidationFailed(
            _("Ngày chính thức phải sau ngày vào Đảng và không ở tương lai."), field="official_on"
        )
    with transaction.atomic():
        before = member.state()
        member.official_on = official_on
        member.save(update_fields=["official_on"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="party.member",
            object_id=member.pk,
            before=before,
            after=member.state(),
        )
    return member


def distinction_add(
    *,
    actor: Actor,
    member: Member,
    kind: str,
    title: str,
    decided_on: dt.date | None,
    decided_by: str = "",
    discipline: str = "",
) -> Distinction:
    """Record a commendation, or a discipline with its form."""
    require(actor, MANAGE)
    check_cell(actor, member.cell)
    errors: dict[str, str] = {}
    if kind not in DistinctionKind.values:
        errors["kind"] = str(_("Chọn khen thưởng hoặc kỷ luật."))
    if kind == DistinctionKind.DISCIPLINE and discipline not in Discipline.values:
        errors["discipline"] = str(_("Kỷ luật: chọn hình thức kỷ luật."))
    title = " ".join(nfc(title).split())
    if not title or len(title) > 300:
        errors["title"] = str(_("Nội dung: bắt buộc, tối đa 300 ký tự."))
    if decided_on is None:
        errors["decided_on"] = str(_("Ngày quyết định: nhập dạng dd/mm/yyyy."))
    elif decided_on > timezone.localdate():
        errors["decided_on"] = str(_("Ngày quyết định ở tương lai."))
    if errors:
        raise FormInvalid(errors)
    assert decided_on is not None
    with transaction.atomic():
        distinction = Distinction.objects.create(
            member=member,
            kind=kind,
            discipline=discipline if kind == DistinctionKind.DISCIPLINE else "",
            title=title,
            decided_on=decided_on,
            decided_by=nfc(decided_by).strip()[:200],
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="party.distinction",
            object_id=distinction.pk,
            detail={"member": member.pk, "kind": kind},
        )
    return distinction
