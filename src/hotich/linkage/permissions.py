"""Which roles may do what in linkage (kept here: the shared PERMISSIONS table belongs to
accounts)."""

from __future__ import annotations

from typing import Any

from hotich.accounts.authz import is_staff_user
from hotich.accounts.models import Role

VIEW = "linkage.view"
RUN = "linkage.run"
REVIEW = "linkage.review"
RESOLVE = "linkage.resolve"

ROLES: dict[str, frozenset[str]] = {
    VIEW: frozenset({Role.OFFICER, Role.PROVINCE, Role.REVIEWER, Role.AUDITOR}),
    RUN: frozenset({Role.OFFICER, Role.PROVINCE, Role.REVIEWER}),
    REVIEW: frozenset({Role.OFFICER, Role.PROVINCE, Role.REVIEWER}),
    RESOLVE: frozenset({Role.OFFICER, Role.PROVINCE}),
}


def allowed(user: Any, action: str) -> bool:
    return bool(is_staff_user(user) and user.role in ROLES.get(action, frozenset()))
