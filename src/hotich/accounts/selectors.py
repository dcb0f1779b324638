"""Reading users."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from hotich.accounts.authz import scoped
from hotich.accounts.models import ApiToken, User


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def user_for_api_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=token_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


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
