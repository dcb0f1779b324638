"""Reading organizations and who holds which position in them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from hotich.accounts.authz import Caller, is_staff_user, scope_filter
from hotich.agencies.models import Membership, Organization
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.core.middleware import request_memo
from hotich.core.text import fold

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.geo.models import Unit


def organization_by_code(code: str) -> Organization | None:
    """The organization with this electronic identifier (``000.00.17.H41``), or None."""
    return Organization.objects.select_related("unit", "parent").filter(code=code.strip()).first()


def organization_find(organization_id: object) -> Organization | None:
    try:
        return Organization.objects.select_related("unit", "parent").get(
            pk=int(str(organization_id))
        )
    except (Organization.DoesNotExist, ValueError):
        return None


def organizations_below(
    organization: Organization, *, include_self: bool = False, active_only: bool = True
) -> QuerySet[Organization]:
    """The organizations under ``organization`` at any depth (itself too with ``include_self``),
    in tree order."""
    queryset = Organization.objects.filter(path__startswith=organization.path)
    if not include_self:
        queryset = queryset.exclude(pk=organization.pk)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.select_related("unit").order_by("path")


def organizations_visible(
    actor: Caller, *, query: str = "", everything: bool = False
) -> QuerySet[Organization]:
    """The organizations serving the actor's unit or a unit below it (``everything``: all of
    them, for the system), in tree order; ``query`` matches the name, short name or code, with
    or without diacritics."""
    queryset = Organization.objects.filter(is_active=True)
    if not everything:
        queryset = queryset.filter(scope_filter(actor, "unit"))
    folded = fold(query)
    if folded:
        queryset = queryset.filter(
            Q(search_key__contains=folded) | Q(code__startswith=query.strip())
        )
    return queryset.select_related("unit", "parent").order_by("path")


def organizations_serving(unit: Unit) -> QuerySet[Organization]:
    """The active organizations serving exactly ``unit``."""
    return Organization.objects.filter(unit=unit, is_active=True).order_by("path")


#: positions by seniority (the order of :class:`Position`)
POSITION_RANK = Case(
    *(When(position=value, then=Value(rank)) for rank, value in enumerate(Position.values)),
    default=Value(len(Position.values)),
    output_field=IntegerField(),
)


def members_of(
    organization: Organization,
    *,
    positions: Iterable[str] = (),
    below: bool = False,
) -> QuerySet[Membership]:
    """The current memberships of ``organization`` (of it and the ones below with ``below``),
    optionally only those holding one of ``positions``; with user and organization loaded."""
    if below:
        queryset = Membership.objects.filter(organization__path__startswith=organization.path)
    else:
        queryset = Membership.objects.filter(organization=organization)
    wanted = list(positions)
    if wanted:
        queryset = queryset.filter(position__in=wanted)
    return (
        queryset.filter(ended_on=None, user__is_active=True)
        .select_related("user", "organization")
        .annotate(rank=POSITION_RANK)
        .order_by("organization__path", "rank", "user__full_name", "pk")
    )


def user_organizations(user: User) -> QuerySet[Membership]:
    """The user's current memberships, the primary one first."""
    return (
        Membership.objects.filter(user=user, ended_on=None)
        .select_related("organization", "organization__unit")
        .order_by("-is_primary", "organization__path", "position")
    )


def user_memberships(user: Caller) -> list[Membership]:
    """``user_organizations`` as a list, read once per request (empty for a non-staff user);
    the memo is emptied when a membership or an organization is written (``agencies.apps``)."""
    if not is_staff_user(user):
        return []
    return request_memo(
        ("agencies.user_memberships", user.pk), lambda: list(user_organizations(user))
    )


def primary_membership(user: Caller) -> Membership | None:
    """The membership the user acts in, or None (not a staff user, or no membership)."""
    memberships = user_memberships(user)
    # the primary one comes first (``user_organizations``)
    return memberships[0] if memberships and memberships[0].is_primary else None


def user_position(user: Caller) -> str:
    """The position the user holds where they act ("Phó Chủ tịch"), printed under their name on
    the papers they sign; empty without a primary membership."""
    membership = primary_membership(user)
    return membership.position_label if membership is not None else ""


def membership_find(membership_id: object) -> Membership | None:
    try:
        return Membership.objects.select_related("user", "organization").get(
            pk=int(str(membership_id))
        )
    except (Membership.DoesNotExist, ValueError):
        return None


def agency_of(organization: Organization) -> Organization:
    """The agency a section belongs to (the nearest ancestor that is not a section); an agency
    is its own. Documents are registered by agencies, not by their sections."""
    current = organization
    while current.kind == OrganizationKind.SECTION and current.parent_id is not None:
        parent = organization_find(current.parent_id)
        if parent is None:
            break
        current = parent
    return current


def acting_agency(user: Caller) -> Organization | None:
    """The agency of the organization the user acts in, when it serves the user's unit."""
    membership = primary_membership(user)
    if membership is None or not is_staff_user(user):
        return None
    if membership.organization.unit_id != user.unit_id:
        return None
    organization = membership.organization
    return request_memo(("agencies.agency_of", organization.pk), lambda: agency_of(organization))


def user_ids_in(organization: Organization) -> QuerySet[Membership, int]:
    """The ids of the users holding a position in ``organization`` or below it (a subquery)."""
    return Membership.objects.filter(
        organization__path__startswith=organization.path, ended_on=None
    ).values_list("user_id", flat=True)


def organizations_of_province(unit: Unit | None) -> QuerySet[Organization]:
    """The active organizations serving ``unit``'s province or a unit in it (where documents of
    the province's agencies may be sent), in tree order."""
    if unit is None:
        return Organization.objects.none()
    province = "/".join(unit.path.split("/")[:2]) + "/"
    return (
        Organization.objects.filter(unit__path__startswith=province, is_active=True)
        .exclude(kind=OrganizationKind.SECTION)
        .order_by("path")
    )


def agencies_of_users(user_ids: list[int]) -> dict[int, int]:
    """The agency (``agency_of`` their primary organization) of each of these users who holds
    a position, by user id."""
    rows = Membership.objects.filter(user_id__in=user_ids, is_primary=True, ended_on=None)
    agencies: dict[int, int] = {}
    found: dict[int, int] = {}
    for membership in rows.select_related("organization"):
        org = membership.organization
        if org.pk not in agencies:
            agencies[org.pk] = agency_of(org).pk
        found[membership.user_id] = agencies[org.pk]
    return found
