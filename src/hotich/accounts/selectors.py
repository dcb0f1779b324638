"""Reading users."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from hotich.accounts.authz import PERMISSIONS, scoped
from hotich.accounts.models import ApiToken, User

if TYPE_CHECKING:
    from hotich.geo.models import Unit

TOKEN_PREFIX_LENGTH = 8


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_by_prefix(prefix: str) -> ApiToken | None:
    """The token named by its prefix (or by the whole token, whose first characters it is)."""
    prefix = prefix.strip()[:TOKEN_PREFIX_LENGTH]
    if len(prefix) < TOKEN_PREFIX_LENGTH:
        return None
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()


def user_list(*, actor: User) -> QuerySet[User]:
    """Staff users of the actor's unit and below."""
    return scoped(actor, User.objects.select_related("unit").order_by("username"))


def users_allowed(*, unit: Unit | None, action: str) -> QuerySet[User]:
    """The active users of ``unit`` whose role may do ``action``."""
    roles = PERMISSIONS.get(action, frozenset())
    return User.objects.filter(unit=unit, is_active=True, role__in=roles)


def users_over(*, unit: Unit, action: str) -> list[User]:
    """The active users whose role may do ``action`` and whose unit is ``unit`` or one above it
    (they reach it), the unit's own first, then by name."""
    roles = PERMISSIONS.get(action, frozenset())
    users = User.objects.filter(is_active=True, role__in=roles).select_related("unit")
    reach = [u for u in users if u.unit is not None and unit.path.startswith(u.unit.path)]
    return sorted(
        reach,
        key=lambda u: (-len(u.unit.path if u.unit else ""), (u.full_name or u.username).lower()),
    )


def users_within(unit: Unit | None) -> QuerySet[User]:
    """The active users of ``unit`` and of the units below it; none without a unit."""
    if unit is None:
        return User.objects.none()
    return User.objects.filter(unit.subtree_q("unit"), is_active=True)


def user_active(user_id: int) -> User | None:
    """The active user with id ``user_id``, or None."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def otp_required() -> bool:
    return bool(getattr(settings, "HOTICH_REQUIRE_OTP", True))


def user_is_verified(user: object) -> bool:
    """Logged in, and past the second factor when the installation requires it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not otp_required():
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
