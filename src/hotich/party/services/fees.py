"""Party fees: each cell records what its members paid for a month, then closes the month by
sending its share up; each committee closes the month once every organization under it has,
keeping its share and sending the rest up. The rates are data (``FeeRate``), the shares kept
per level are ``FEE_KEPT_PERCENT``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.agencies.selectors import organizations_below
from hotich.agencies.vocabulary import OrganizationKind
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import Conflict, FormInvalid, ValidationFailed
from hotich.party.models import FeePayment, FeeRate, FeeRemittance, Member
from hotich.party.rules import fee_due, fee_split, period_of, period_parse
from hotich.party.scope import PARTY_KINDS, organization_in_reach
from hotich.party.services.members import MANAGE
from hotich.party.vocabulary import FEE_KEPT_PERCENT

if TYPE_CHECKING:
    from hotich.agencies.models import Organization


def check_period(period: str, today: dt.date | None = None) -> str:
    parsed = period_parse(period)
    if parsed is None:
        raise ValidationFailed(_("Kỳ: ghi tháng dạng yyyy-mm."), field="period")
    if f"{parsed[0]:04d}-{parsed[1]:02d}" > period_of(today or timezone.localdate()):
        raise ValidationFailed(_("Kỳ ở tương lai."), field="period")
    return f"{parsed[0]:04d}-{parsed[1]:02d}"


def dues_of(members: list[Member]) -> dict[int, int]:
    """Each member's monthly fee by their category's rate."""
    rates = {r.category: r for r in FeeRate.objects.all()}
    dues: dict[int, int] = {}
    for member in members:
        rate = rates.get(member.fee_category)
        dues[member.pk] = (
            0
            if rate is None
            else fee_due(
                percent=rate.percent, fixed=rate.fixed, minimum=rate.minimum, base=member.fee_base
            )
        )
    return dues


def _closed(organization: Organization, period: str) -> bool:
    return FeeRemittance.objects.filter(organization=organization, period=period).exists()


def fees_collect(
    *,
    actor: Actor,
    cell: Organization | None,
    period: str,
    paid: Mapping[int, int],
    paid_on: dt.date | None = None,
) -> int:
    """Record what members of ``cell`` paid for ``period`` (member id → đồng; a member left out
    is not touched). All or nothing; returns the number of members recorded."""
    require(actor, MANAGE)
    cell = organization_in_reach(actor, cell, MANAGE)
    if cell.kind != OrganizationKind.PARTY_CELL:
        raise ValidationFailed(_("Đảng phí được thu ở chi bộ."), field="organization")
    period = check_period(period)
    if _closed(cell, period):
        raise Conflict(
            format_lazy(_("Chi bộ đã chốt đảng phí kỳ {period}; không sửa được."), period=period)
        )
    members = {m.pk: m for m in Member.objects.filter(cell=cell, pk__in=list(paid))}
    errors: dict[str, str] = {}
    for member_id, amount in paid.items():
        if member_id not in members:
            errors[f"paid-{member_id}"] = str(_("Đảng viên không thuộc chi bộ."))
        elif not isinstance(amount, int) or amount < 0 or amount > 100_000_000:
            errors[f"paid-{member_id}"] = str(
                format_lazy(_("{name}: số tiền không hợp lệ."), name=members[member_id].full_name)
            )
    if errors:
        raise FormInvalid(errors)
    dues = dues_of(list(members.values()))
    day = paid_on or timezone.localdate()
    with transaction.atomic():
        for member_id, amount in paid.items():
            FeePayment.objects.update_or_create(
                member_id=member_id,
                period=period,
                defaults={
                    "cell": cell,
                    "due": dues[member_id],
                    "paid": amount,
                    "paid_on": day if amount else None,
                },
            )
        audit_record(
            actor=actor,
            action=Action.BULK,
            object_type="party.fee",
            detail={"cell": cell.pk, "period": period, "members": len(paid)},
        )
    return len(paid)


def _collected(organization: Organization, period: str) -> int:
    """A cell's members' fees, or what the organizations right under a committee sent up."""
    if organization.kind == OrganizationKind.PARTY_CELL:
        total = FeePayment.objects.filter(cell=organization, period=period).aggregate(
            s=Sum("paid")
        )["s"]
    else:
        total = FeeRemittance.objects.filter(to=organization, period=period).aggregate(
            s=Sum("remitted")
        )["s"]
    return int(total or 0)


def fees_remit(*, actor: Actor, organization: Organization | None, period: str) -> FeeRemittance:
    """Close ``period`` for ``organization``: keep its share of what it collected and send the
    rest to the party organization above it. A committee closes after every party organization
    right under it."""
    require(actor, MANAGE)
    organization = organization_in_reach(actor, organization, MANAGE)
    period = check_period(period)
    if organization.kind != OrganizationKind.PARTY_CELL:
        children = [
            o
            for o in organizations_below(organization)
            if o.parent_id == organization.pk and o.kind in PARTY_KINDS
        ]
        waiting = [o.name for o in children if not _closed(o, period)]
        if waiting:
            raise Conflict(
                format_lazy(
                    _("Chưa chốt đảng phí kỳ {period}: {names}."),
                    period=period,
                    names=", ".join(waiting),
                ),
                field="period",
            )
    parent = organization.parent
    to = parent if parent is not None and parent.kind in PARTY_KINDS else None
    collected = _collected(organization, period)
    kept_percent = FEE_KEPT_PERCENT[organization.kind] if to is not None else 100
    kept, remitted = fee_split(collected, kept_percent)
    try:
        with transaction.atomic():
            remittance = FeeRemittance.objects.create(
                organization=organization,
                to=to,
                period=period,
                collected=collected,
                kept=kept,
                remitted=remitted,
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type="party.fee_remittance",
                object_id=remittance.pk,
                detail={"organization": organization.pk, "period": period, "sent": remitted},
            )
    except IntegrityError:
        raise Conflict(
            format_lazy(_("Đã chốt đảng phí kỳ {period}."), period=period), field="period"
        ) from None
    return remittance
