"""Writing users, their second factor, their sessions and their API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotich.accounts.models import ApiToken, User, UserSession
from hotich.accounts.selectors import TOKEN_PREFIX_LENGTH, token_hash
from hotich.accounts.vocabulary import Role
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import Conflict, Unauthenticated, ValidationFailed

if TYPE_CHECKING:
    from hotich.geo.models import Unit

API_TOKEN_DAYS = 90
API_TOKEN_MAX_DAYS = 365


def _state(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "role": user.role,
        "unit": user.unit.path if user.unit else None,
        "is_active": user.is_active,
    }


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    unit: Unit,
    full_name: str = "",
    email: str = "",
) -> User:
    if role not in Role.values:
        raise ValidationFailed(f"Vai trò không hợp lệ: {role}", field="role")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"Tên đăng nhập {username} đã có", field="username")
    user = User(username=username, role=role, unit=unit, full_name=full_name, email=email)
    user.set_password(password)
    user.is_superuser = user.is_staff = role == Role.ADMIN
    user.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="accounts.user",
        object_id=user.pk,
        after=_state(user),
    )
    return user


@transaction.atomic
def user_disable(*, actor: User, user: User) -> User:
    """Disable a user and end every session they hold."""
    before = _state(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    session_end_all(user=user)
    ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    _audit_change(actor, user, before, "disabled")
    return user


def _audit_change(actor: User | None, user: User, before: dict[str, object], change: str) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="accounts.user",
        object_id=user.pk,
        before=before,
        after=_state(user),
        detail={"change": change},
    )


@transaction.atomic
def user_set_unit(*, actor: User | None, user: User, unit: Unit) -> User:
    """Move the user's scope to ``unit`` (the unit the organization they now act in serves);
    the role stays. Audited; nothing is written when the unit is already theirs."""
    if user.unit_id == unit.pk:
        return user
    before = _state(user)
    user.unit = unit
    user.save(update_fields=["unit"])
    _audit_change(actor, user, before, "unit")
    return user


def session_end_all(*, user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def session_register(*, user: User, session_key: str) -> None:
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def totp_device_get_or_create(*, user: User) -> TOTPDevice:
    """The user's TOTP device; a new one stays unconfirmed until a code from it is accepted."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(
        actor=user,
        action=Action.UPDATE,
        object_type="accounts.user",
        object_id=user.pk,
        detail={"change": "totp_confirmed"},
    )


def _new_token_key() -> str:
    """A random token whose prefix no other token has and that never starts with "-" (a
    command line would read it as an option: ``hotich tokens revoke -x…``)."""
    while True:
        key = secrets.token_urlsafe(32)
        prefix = key[:TOKEN_PREFIX_LENGTH]
        if key[0] != "-" and not ApiToken.objects.filter(prefix=prefix).exists():
            return key


@transaction.atomic
def api_token_create(
    *, actor: User | None, user: User, name: str = "", days: int = API_TOKEN_DAYS
) -> str:
    """A new token for ``user``, valid for ``days`` days. The token is returned once: only its
    SHA-256 and its first characters (the prefix) are stored."""
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationFailed(
            format_lazy(_("Thời hạn phải từ 1 đến {max} ngày."), max=API_TOKEN_MAX_DAYS),
            field="days",
        )
    if not user.is_active:
        raise ValidationFailed(_("Tài khoản đã bị khóa."), field="user")
    name = " ".join(name.split())[:80]
    key = _new_token_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:TOKEN_PREFIX_LENGTH],
        key_hash=token_hash(key),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="accounts.apitoken",
        object_id=token.pk,
        detail={"user": user.pk, "prefix": token.prefix, "days": days},
    )
    return key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once; it is kept, revoked, in the user's list."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise Conflict(_("Mã truy cập này đã bị thu hồi."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="accounts.apitoken",
        object_id=token.pk,
        detail={"change": "revoked", "user": token.user_id, "prefix": token.prefix},
    )
    return token


def api_token_authenticate(*, key: str) -> User:
    """The user a token acts as; notes when it was last used (at most every five minutes)."""
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=token_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        raise Unauthenticated(_("Mã truy cập API không đúng."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise Unauthenticated(_("Mã truy cập API đã bị thu hồi."))
    if token.expires_at <= now:
        raise Unauthenticated(_("Mã truy cập API đã hết hạn."))
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
