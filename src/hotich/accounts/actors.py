"""Who acts: a staff user, a citizen, or the system (ADR 10).

Every service and selector takes ``actor: Actor``. ``None`` is the system acting on its own (a
task, a command, an import): it passes every permission and scope check unless a service says
otherwise. A citizen acts only in the portal; the contexts under the portal see their account
through :class:`CitizenAccount` and never import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeAlias

from django.utils.translation import gettext_lazy as _

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


#: the words a history shows for the actor names that are not a staff user's
OTHER_ACTORS = {
    "citizen": _("Công dân"),
    "system": _("Hệ thống"),
    "demo": _("Dữ liệu mẫu"),
}
GATEWAY_PREFIX = "gateway:"


def actor_labels(names: Iterable[str]) -> dict[str, str]:
    """What a person reads for each stored actor name (:func:`actor_name`): a staff user's full
    name (their username when they have none), "Công dân", "Hệ thống", "Cổng thanh toán"…, in
    the active language. One query for all the names."""
    wanted = set(names)
    users = dict(
        User.objects.filter(username__in=wanted - set(OTHER_ACTORS)).values_list(
            "username", "full_name"
        )
    )
    labels: dict[str, str] = {}
    for name in wanted:
        if name.startswith(GATEWAY_PREFIX):
            labels[name] = str(_("Cổng thanh toán"))
        elif name in OTHER_ACTORS:
            labels[name] = str(OTHER_ACTORS[name])
        else:
            labels[name] = users.get(name) or name
    return labels


def acting_user(actor: Actor) -> User | None:
    """The staff user behind ``actor``, for the ``created_by`` of what they make: None for a
    citizen or the system."""
    return actor if isinstance(actor, User) else None
