"""Who reaches party data: the secretaries, deputy secretaries and office chiefs of a member's
cell and of the committees above it, when their role may see party data (``party.view``).
Anyone else, another committee's leaders included, gets 404: the member does not exist for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, is_staff_user
from hotich.agencies.selectors import user_memberships
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.core.errors import NotFound

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: the organizations that keep party records
PARTY_KINDS = frozenset({OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_CELL})
#: the positions there that keep and read them
KEEPERS = frozenset({Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.CHIEF_OF_OFFICE})
#: the keepers, the one who signs first
KEEPERS_ORDER = (Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.CHIEF_OF_OFFICE)


def reach_paths(actor: Actor, action: str = "party.view") -> list[str]:
    """The paths of the party organizations whose records the actor keeps; the system (None)
    reaches everything (``[""]``)."""
    if actor is None:
        return [""]
    if not is_staff_user(actor) or not can(actor, action):
        return []
    return [
        m.organization.path
        for m in user_memberships(actor)
        if m.organization.kind in PARTY_KINDS and m.position in KEEPERS
    ]


def reach_q(actor: Actor, prefix: str = "cell__", action: str = "party.view") -> Q:
    """What the actor reaches, as a filter on the organization at ``prefix``."""
    query = Q(pk__in=[])
    for path in reach_paths(actor, action):
        query |= Q(**{f"{prefix}path__startswith": path})
    return query


def reaches(actor: Actor, organization: Organization, action: str = "party.view") -> bool:
    return organization.kind in PARTY_KINDS and any(
        organization.path.startswith(path) for path in reach_paths(actor, action)
    )


def organization_in_reach(
    actor: Actor, organization: Organization | None, action: str = "party.view"
) -> Organization:
    if organization is None or not reaches(actor, organization, action):
        raise NotFound(_("Không tìm thấy tổ chức đảng."), field="organization")
    return organization


@dataclass(frozen=True)
class SignatureBlock:
    """Who a party paper is signed for: ``T/M ĐẢNG ỦY`` (a committee signs) or ``T/M CHI ỦY``
    (the cell itself), and the signer's position there."""

    on_behalf: str
    position: str
    organization: Organization | None


#: the words over a signature of a party paper: (on behalf of, position), by kind and position
_ON_BEHALF: dict[str, Promise] = {
    OrganizationKind.PARTY_COMMITTEE: _("T/M ĐẢNG ỦY"),
    OrganizationKind.PARTY_CELL: _("T/M CHI ỦY"),
}
_ON_BEHALF_OFFICE: dict[str, Promise] = {
    OrganizationKind.PARTY_COMMITTEE: _("T/L ĐẢNG ỦY"),
    OrganizationKind.PARTY_CELL: _("T/L CHI ỦY"),
}
_POSITION: dict[str, Promise] = {
    Position.SECRETARY: _("BÍ THƯ"),
    Position.DEPUTY_SECRETARY: _("PHÓ BÍ THƯ"),
    Position.CHIEF_OF_OFFICE: _("CHÁNH VĂN PHÒNG"),
}


def signature_block(actor: Actor, organization: Organization) -> SignatureBlock:
    """The signature block of a paper of ``organization`` signed by ``actor``: the party
    organization the actor keeps records in that is nearest to it (the cell itself, or a
    committee above it), the secretary first among equals."""
    if actor is None or not is_staff_user(actor):
        return SignatureBlock(str(_ON_BEHALF[organization.kind]), str(_("BÍ THƯ")), None)
    held = [
        m
        for m in user_memberships(actor)
        if m.organization.kind in PARTY_KINDS
        and m.position in KEEPERS
        and organization.path.startswith(m.organization.path)
    ]
    if not held:
        return SignatureBlock(str(_ON_BEHALF[organization.kind]), str(_("BÍ THƯ")), None)
    order = list(KEEPERS_ORDER)
    nearest = max(
        held, key=lambda m: (len(m.organization.path), -order.index(Position(m.position)))
    )
    kind, position = nearest.organization.kind, nearest.position
    words = _ON_BEHALF_OFFICE if position == Position.CHIEF_OF_OFFICE else _ON_BEHALF
    return SignatureBlock(str(words[kind]), str(_POSITION[position]), nearest.organization)
