"""Who reaches party data: the secretaries, deputy secretaries and office chiefs of a member's
cell and of the committees above it, when their role may see party data (``party.view``).
Anyone else, another committee's leaders included, gets 404: the member does not exist for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, is_staff_user
from hotich.agencies.selectors import user_organizations
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.core.errors import NotFound

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: the organizations that keep party records
PARTY_KINDS = frozenset({OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_CELL})
#: the positions there that keep and read them
KEEPERS = frozenset({Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.CHIEF_OF_OFFICE})


def reach_paths(actor: Actor, action: str = "party.view") -> list[str]:
    """The paths of the party organizations whose records the actor keeps; the system (None)
    reaches everything (``[""]``)."""
    if actor is None:
        return [""]
    if not is_staff_user(actor) or not can(actor, action):
        return []
    return [
        m.organization.path
        for m in user_organizations(actor)
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
