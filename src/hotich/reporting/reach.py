"""Whose reports a user may read, beyond the unit scope: a party committee's or cell's reports
stay in the party tree (ADR 31), read only by those acting in that
organization or one above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from hotich.accounts.actors import Actor
from hotich.accounts.authz import unit_in_scope
from hotich.agencies.selectors import user_memberships
from hotich.agencies.vocabulary import OrganizationKind

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: organizations whose reports only their own tree reads (party work is the party's)
TREE_ONLY_KINDS = frozenset({OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_CELL})


def in_reach(actor: Actor, organization: Organization) -> bool:
    """Whether ``actor`` may read ``organization``'s reports: its unit in the actor's scope and,
    for a party committee or cell, the actor acting in it or in an organization above it."""
    if actor is None:
        return True
    if not unit_in_scope(actor, organization.unit):
        return False
    if organization.kind not in TREE_ONLY_KINDS:
        return True
    return any(organization.path.startswith(m.organization.path) for m in user_memberships(actor))


def tree_only_q(actor: Actor) -> Q:
    """Organizations ``actor`` may read the reports of, as far as the tree rule goes (the unit
    scope is the caller's): any but a party committee or cell outside the actor's tree."""
    if actor is None:
        return Q()
    reach = ~Q(kind__in=TREE_ONLY_KINDS)
    for membership in user_memberships(actor):
        reach |= Q(path__startswith=membership.organization.path)
    return reach
