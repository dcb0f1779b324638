"""Party badges awarded (docs/adr/0031-party-directives-reports-badges.md): a committee records,
for an award occasion, the decision and the members awarded from its list of those due. Each
member receives each badge once (a database constraint); a member not due that badge at that
occasion, or outside the committee, is refused by name."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import FormInvalid, NotFound
from hotich.core.text import nfc
from hotich.party.models import BadgeAward, Member
from hotich.party.rules import badge_due
from hotich.party.scope import reaches
from hotich.party.services.members import MANAGE

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

OBJECT_TYPE = "party.badge"
#: the award occasions: the Party's founding day, 19/5, 2/9, 7/11 (month, day)
OCCASIONS = ((2, 3), (5, 19), (9, 2), (11, 7))


def badges_award(
    *,
    actor: Actor,
    organization: Organization,
    occasion: dt.date | None,
    decision: str,
    decided_on: dt.date | None,
    member_ids: list[int],
) -> list[BadgeAward]:
    """Award the badge due at ``occasion`` to each of ``member_ids`` (members under
    ``organization``), by ``decision``. All or none."""
    require(actor, MANAGE)
    if not (actor is None or reaches(actor, organization, MANAGE)):
        raise NotFound(_("Không tìm thấy tổ chức đảng."), field="organization")
    errors: dict[str, str | Promise] = {}
    if occasion is None or (occasion.month, occasion.day) not in OCCASIONS:
        errors["occasion"] = _("Đợt trao: một trong các ngày 3/2, 19/5, 2/9, 7/11.")
    decision = " ".join(nfc(decision or "").split())
    if not decision:
        errors["decision"] = _("Quyết định: ghi số và ngày của quyết định tặng huy hiệu.")
    elif len(decision) > 200:
        errors["decision"] = _("Quyết định: tối đa 200 ký tự.")
    if decided_on is None:
        errors["decided_on"] = _("Ngày quyết định: nhập theo dạng ngày/tháng/năm.")
    elif occasion is not None and decided_on > occasion:
        errors["decided_on"] = _("Ngày quyết định: không được sau đợt trao.")
    wanted = sorted(set(member_ids))
    if not wanted:
        errors["members"] = _("Chọn ít nhất một đảng viên được tặng huy hiệu.")
    if errors:
        raise FormInvalid(errors)
    assert occasion is not None and decided_on is not None
    with transaction.atomic():
        members = list(
            Member.objects.select_for_update()
            .filter(pk__in=wanted, cell__path__startswith=organization.path)
            .order_by("pk")
        )
        if len(members) != len(wanted):
            raise NotFound(_("Không tìm thấy đảng viên."), field="members")
        done = set(BadgeAward.objects.filter(member__in=members).values_list("member_id", "years"))
        refused = []
        awards = []
        for member in members:
            years = badge_due(member.admitted_on, occasion)
            if not years or (member.pk, years) in done:
                refused.append(member.full_name)
                continue
            awards.append(
                BadgeAward(
                    member=member,
                    years=years,
                    occasion=occasion,
                    organization=organization,
                    decision=decision,
                    decided_on=decided_on,
                    created_by=acting_user(actor),
                )
            )
        if refused:
            raise FormInvalid(
                {
                    "members": format_lazy(
                        _("Không đến hạn huy hiệu ở đợt này hoặc đã được tặng: {names}."),
                        names=", ".join(refused),
                    )
                }
            )
        BadgeAward.objects.bulk_create(awards)
        for award in awards:
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type=OBJECT_TYPE,
                object_id=award.pk,
                after={"member": award.member_id, "years": award.years},
                detail={"occasion": occasion.isoformat(), "organization": organization.pk},
            )
    return awards
