"""Writing users, their second factor and their sessions."""

from __future__ import annotations

import secrets

from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotich.accounts.models import ApiToken, Role, User, UserSession
from hotich.accounts.selectors import token_hash
from hotich.audit.models import Action
from hotich.audit.services import audit_record
from hotich.core.errors import ValidationFailed
from hotich.geo.models import Unit


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
    ApiToken.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="accounts.user",
        object_id=user.pk,
        before=before,
        after=_state(user),
        detail={"change": "disabled"},
    )
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


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str) -> str:
    """A new token for ``user``; the key is returned once and only its hash is stored."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=token_hash(key))
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="accounts.apitoken",
        object_id=user.pk,
        detail={"name": name},
    )
    return key
