"""Who reaches a meeting: the members of its organization and of the organizations above it
(a committee sees its cells' meetings), and the people invited to it. Anyone else gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import is_staff_user
from hotich.agencies.selectors import user_memberships
from hotich.agencies.vocabulary import LEADERS
from hotich.core.errors import NotFound

if TYPE_CHECKING:
    from hotich.agencies.models import Organization
    from hotich.meetings.models import Meeting


def _memberships(actor: Actor) -> list[tuple[str, str]]:
    if not is_staff_user(actor):
        return []
    return [(m.organization.path, m.position) for m in user_memberships(actor)]


def reach_q(actor: Actor, prefix: str = "") -> Q:
    """Meetings the actor reaches, as a filter (``prefix``: the path to the meeting)."""
    if actor is None:
        return Q()
    query = Q(pk__in=[])
    for path, _position in _memberships(actor):
        query |= Q(**{f"{prefix}organization__path__startswith": path})
    if is_staff_user(actor):
        query |= Q(**{f"{prefix}participants__user": actor})
    return query


def in_organization(actor: Actor, organization: Organization) -> bool:
    return actor is None or any(organization.path.startswith(p) for p, _ in _memberships(actor))


def leads(actor: Actor, organization: Organization) -> bool:
    """The actor leads the organization or one above it."""
    if actor is None:
        return True
    return any(
        organization.path.startswith(path) and position in LEADERS
        for path, position in _memberships(actor)
    )


def runs(actor: Actor, meeting: Meeting) -> bool:
    """The actor runs the meeting: its chair, its secretary, or a leader of its organization."""
    if actor is None:
        return True
    user_id = getattr(actor, "pk", None)
    return user_id in (meeting.chair_id, meeting.secretary_id) or leads(actor, meeting.organization)


def meeting_in_reach(actor: Actor, meeting: Meeting) -> None:
    if actor is None:
        return
    if in_organization(actor, meeting.organization):
        return
    if is_staff_user(actor) and meeting.participants.filter(user=actor).exists():
        return
    raise NotFound(_("Không tìm thấy cuộc họp."), field="meeting")
