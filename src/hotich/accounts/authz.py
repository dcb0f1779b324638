"""The one authorization helper every context uses.

A staff user acts on objects of their unit and the units below it, and nothing else. Objects
outside the user's scope do not exist for them: lookups raise 404, never 403, so that a user
cannot learn which ids exist elsewhere. What a role may *do* is the ``PERMISSIONS`` table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from hotich.accounts.models import Role

if TYPE_CHECKING:
    from hotich.accounts.models import User

M = TypeVar("M", bound=Model)

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
}


def is_staff_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role)


def can(user: Any, action: str) -> bool:
    """Whether the user's role allows the action (scope is checked separately)."""
    if not is_staff_user(user):
        return False
    return user.role in PERMISSIONS.get(action, frozenset())


def scope_filter(user: User, unit_field: str = "unit") -> Q:
    """A Q keeping the objects whose unit is the user's unit or below it.

    ``unit_field`` is the path from the model to its ``geo.Unit`` foreign key.
    """
    if not is_staff_user(user) or user.unit is None:
        return Q(pk__in=[])
    return Q(**{f"{unit_field}__path__startswith": user.unit.path})


def scoped(user: User, queryset: QuerySet[M], unit_field: str = "unit") -> QuerySet[M]:
    return queryset.filter(scope_filter(user, unit_field))


def get_in_scope(user: User, queryset: QuerySet[M], unit_field: str = "unit", **lookup: Any) -> M:
    """The one object matching ``lookup`` inside the user's scope, or 404."""
    try:
        return scoped(user, queryset, unit_field).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_in_scope(user: User, unit: Any) -> bool:
    if not is_staff_user(user) or user.unit is None:
        return False
    return bool(unit.path.startswith(user.unit.path))
