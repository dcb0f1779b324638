"""Who acts: a staff user, a citizen, or the system (ADR 10).

Every service and selector takes ``actor: Actor``. ``None`` is the system acting on its own (a
task, a command, an import): it passes every permission and scope check unless a service says
otherwise. A citizen acts only in the portal; the contexts under the portal see their account
through :class:`CitizenAccount` and never import it.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias

from hotich.accounts.models import User


class CitizenAccount(Protocol):
    """A citizen's portal account (``hotich.portal.models.Citizen``) as the layers below the
    portal see it."""

    @property
    def pk(self) -> Any: ...

    @property
    def contact(self) -> str: ...


#: the one who acts; None is the system
Actor: TypeAlias = User | CitizenAccount | None


def actor_name(actor: Actor, *, full: bool = False) -> str:
    """How a history names who acted: the user's username (``full``: their full name, else the
    username), ``"citizen"`` for a citizen, ``"system"`` for the system."""
    if actor is None:
        return "system"
    if isinstance(actor, User):
        return (actor.full_name if full else "") or actor.username
    return "citizen"


def acting_user(actor: Actor) -> User | None:
    """The staff user behind ``actor``, for the ``created_by`` of what they make: None for a
    citizen or the system."""
    return actor if isinstance(actor, User) else None
