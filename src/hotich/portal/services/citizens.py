"""Citizen accounts: a phone number or an e-mail address proven by a one-time code sent
through the notification adapter (the outbox by default)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotich.audit.services import audit_record
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.core.standins import standins_allowed
from hotich.portal.models import Citizen, OneTimeCode
from hotich.portal.services.notifications import notification_send

CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 5
_PHONE = re.compile(r"^(?:\+?84|0)((?:3|5|7|8|9)\d{8})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


def normalize_contact(raw: str) -> tuple[str, str]:
    """``(contact, kind)``: a phone number as ``0xxxxxxxxx`` or a lower-case e-mail address."""
    text = (raw or "").strip()
    digits = re.sub(r"[\s.\-()]", "", text)
    match = _PHONE.match(digits)
    if match:
        return "0" + match.group(1), "phone"
    email = text.lower()
    if _EMAIL.match(email) and len(email) <= 254:
        return email, "email"
    raise ValidationFailed(
        gettext_lazy("Số điện thoại hoặc thư điện tử không hợp lệ."), field="contact"
    )


def _hash(contact: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{contact}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CodeSent:
    """A code on its way: the normalized contact and, where stand-ins are allowed (the demo,
    development and tests, never the production settings), the code itself, which the sign-in
    page then shows in place of the SMS or e-mail no demo user can read."""

    contact: str
    demo_code: str = ""


@transaction.atomic
def citizen_request_code(*, contact: str) -> CodeSent:
    """Send a 6-digit code to ``contact``."""
    contact, _kind = normalize_contact(contact)
    now = timezone.now()
    recent = OneTimeCode.objects.filter(
        contact=contact, created_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= MAX_CODES_PER_HOUR:
        raise PermissionDenied(
            gettext_lazy("Đã gửi quá nhiều mã trong một giờ; xin thử lại sau."), field="contact"
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.create(
        contact=contact, code_hash=_hash(contact, code), created_at=now, expires_at=now + CODE_TTL
    )
    notification_send(
        recipient=contact,
        subject=_("Mã xác thực Dịch vụ công hộ tịch"),
        body=_("Mã xác thực của bạn là {code}, có hiệu lực trong 10 phút.").format(code=code),
    )
    return CodeSent(contact=contact, demo_code=code if standins_allowed() else "")


def citizen_verify_code(*, contact: str, code: str) -> Citizen:
    """The citizen proven by ``code`` (an account is created at the first login). A wrong code
    counts as an attempt (committed even though the call fails); five attempts void the code."""
    contact, kind = normalize_contact(contact)
    now = timezone.now()
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(contact=contact, used_at=None, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        ok = (
            otp is not None
            and otp.attempts < MAX_ATTEMPTS
            and hmac.compare_digest(otp.code_hash, _hash(contact, (code or "").strip()))
        )
        if otp is not None and not ok:
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
        if ok and otp is not None:
            otp.used_at = now
            otp.save(update_fields=["used_at"])
            citizen, created = Citizen.objects.get_or_create(
                contact=contact, defaults={"contact_kind": kind}
            )
            citizen.last_login_at = now
            citizen.save(update_fields=["last_login_at"])
            audit_record(
                actor=None,
                action="login",
                object_type="portal.citizen",
                object_id=citizen.pk,
                detail={"created": created},
            )
            return citizen
    raise ValidationFailed(gettext_lazy("Mã xác thực không đúng hoặc đã hết hạn."), field="code")


def citizen_from_eid(*, subject: str, contact: str, full_name: str = "") -> Citizen:
    """The adapter point for the national digital ID (VNeID) login: an identity provider that
    has authenticated the person calls this with its stable subject id."""
    contact, kind = normalize_contact(contact)
    citizen, _created = Citizen.objects.get_or_create(
        contact=contact, defaults={"contact_kind": kind, "full_name": full_name[:100]}
    )
    if citizen.eid_subject and citizen.eid_subject != subject:
        raise PermissionDenied(gettext_lazy("Tài khoản đã gắn với định danh khác."))
    citizen.eid_subject = subject[:64]
    citizen.last_login_at = timezone.now()
    citizen.save(update_fields=["eid_subject", "last_login_at"])
    return citizen
