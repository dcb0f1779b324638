"""Reading users."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import QuerySet

from hotich.accounts.authz import scoped
from hotich.accounts.models import ApiToken, User

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
