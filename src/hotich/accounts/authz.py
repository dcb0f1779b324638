"""The one authorization helper every context uses.

A staff user acts on objects of their unit and the units below it, and nothing else. Objects
outside the user's scope do not exist for them: lookups raise 404, never 403, so that a user
cannot learn which ids exist elsewhere. What a role may *do* is the ``PERMISSIONS`` table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeGuard, TypeVar, overload

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.models import User
from hotich.accounts.vocabulary import Role
from hotich.core.errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from hotich.geo.models import Unit

M = TypeVar("M", bound=Model)

#: who may knock: an actor, or a visitor who has not logged in (``request.user``)
Caller = Actor | AnonymousUser

# action → roles allowed to perform it. Contexts add their actions here.
PERMISSIONS: dict[str, frozenset[str]] = {
    "geo.view": frozenset(Role.values),
    "audit.view": frozenset({Role.AUDITOR, Role.ADMIN}),
    "accounts.manage": frozenset({Role.ADMIN}),
    "registry.view": frozenset(
        {Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.REVIEWER}
    ),
    "registry.register": frozenset({Role.OFFICER, Role.PROVINCE}),
    "registry.amend": frozenset({Role.OFFICER, Role.PROVINCE}),
    "registry.sign": frozenset({Role.SIGNER}),
    "registry.extract": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    "signing.view": frozenset({Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.ADMIN}),
    "signing.manage": frozenset({Role.ADMIN}),
    "digitization.key": frozenset({Role.CLERK, Role.REVIEWER}),
    "digitization.arbitrate": frozenset({Role.REVIEWER}),
    "documents.view": frozenset(
        {Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.ADMIN}
    ),
    # drafting outgoing documents and registering incoming paper documents
    "documents.draft": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    "documents.approve": frozenset({Role.SIGNER}),
    "documents.sign": frozenset({Role.SIGNER}),
    # sending a signed document (the clerk's job, or the signer's)
    "documents.issue": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    # assigning, processing and closing incoming documents
    "documents.handle": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    "linkage.view": frozenset({Role.OFFICER, Role.PROVINCE, Role.REVIEWER, Role.AUDITOR}),
    "linkage.run": frozenset({Role.OFFICER, Role.PROVINCE, Role.REVIEWER}),
    "linkage.review": frozenset({Role.OFFICER, Role.PROVINCE, Role.REVIEWER}),
    "linkage.resolve": frozenset({Role.OFFICER, Role.PROVINCE}),
    "portal.view": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR}),
    "portal.receive": frozenset({Role.OFFICER, Role.PROVINCE}),
    "portal.process": frozenset({Role.OFFICER, Role.PROVINCE}),
    # approving a civil-status dossier registers it: the registry's register permission
    "portal.approve": frozenset({Role.OFFICER, Role.PROVINCE}),
    "portal.sign": frozenset({Role.SIGNER}),
    "portal.catalogue": frozenset({Role.PROVINCE, Role.ADMIN}),
    "portal.metrics": frozenset(
        {Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.ADMIN}
    ),
    "portal.outbox_all": frozenset({Role.ADMIN}),
    "reporting.view": frozenset(
        {Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.ADMIN}
    ),
    "reporting.submit": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    # approving the forms of the organizations below (indicator data sets)
    "reporting.approve": frozenset({Role.SIGNER, Role.PROVINCE}),
    "reporting.indicators": frozenset({Role.PROVINCE, Role.ADMIN}),
    # seeing and entering secret indicators and forms (never pushed to the national system)
    "reporting.secret": frozenset({Role.SIGNER, Role.PROVINCE}),
    "agencies.view": frozenset(
        {Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.ADMIN}
    ),
    # the organization tree, its codes and who holds which position
    "agencies.manage": frozenset({Role.PROVINCE, Role.ADMIN}),
    # party member records, within the party organizations where the user keeps them
    # (hotich.party.scope): reading, and keeping them (imports, transfers, fees, ratings)
    "party.view": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    "party.manage": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
}


def is_staff_user(user: Caller) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active and bool(user.role)


def can(user: Caller, action: str) -> bool:
    """Whether the user's role allows the action (scope is checked separately)."""
    if not is_staff_user(user):
        return False
    return user.role in PERMISSIONS.get(action, frozenset())


def permits(actor: Actor, action: str) -> bool:
    """Whether ``actor`` may do ``action``: the system (None) always may (a life cycle's
    ``permits``)."""
    return actor is None or can(actor, action)


@overload
def require(
    actor: Actor,
    permission: str | tuple[str, ...],
    unit: Unit | None = None,
    *,
    message: str | Promise | None = None,
    system: Literal[True] = True,
) -> User | None: ...


@overload
def require(
    actor: Actor,
    permission: str | tuple[str, ...],
    unit: Unit | None = None,
    *,
    message: str | Promise | None = None,
    system: Literal[False],
) -> User: ...


def require(
    actor: Actor,
    permission: str | tuple[str, ...],
    unit: Unit | None = None,
    *,
    message: str | Promise | None = None,
    system: bool = True,
) -> User | None:
    """The one check before a service acts: ``actor`` may do ``permission`` (one of them, given a
    tuple; else ``PermissionDenied`` with ``message`` or the common one) and, given ``unit``,
    reaches it (else ``NotFound``: a unit outside the scope does not exist for them). The system
    (None) may do everything unless ``system`` is False. Returns the acting user (None: the
    system)."""
    if actor is None and system:
        return None
    allowed = (permission,) if isinstance(permission, str) else permission
    if not is_staff_user(actor) or not any(can(actor, p) for p in allowed):
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện việc này."))
    if unit is not None and not unit_in_scope(actor, unit):
        raise NotFound(_("Không tìm thấy đơn vị trong phạm vi được giao."), field="unit")
    return actor


def scope_filter(user: Caller, unit_field: str = "unit") -> Q:
    """A Q keeping the objects whose unit is the user's unit or below it.

    ``unit_field`` is the path from the model to its ``geo.Unit`` foreign key.
    """
    if not is_staff_user(user) or user.unit is None:
        return Q(pk__in=[])
    return user.unit.subtree_q(unit_field)


def scoped(user: Caller, queryset: QuerySet[M], unit_field: str = "unit") -> QuerySet[M]:
    return queryset.filter(scope_filter(user, unit_field))


def get_in_scope(user: Caller, queryset: QuerySet[M], unit_field: str = "unit", **lookup: Any) -> M:
    """The one object matching ``lookup`` inside the user's scope, or 404."""
    try:
        return scoped(user, queryset, unit_field).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_in_scope(user: Caller, unit: Unit) -> bool:
    if not is_staff_user(user) or user.unit is None:
        return False
    return bool(unit.path.startswith(user.unit.path))
