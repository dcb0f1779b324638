"""Guests of a meeting from outside its organization: a user of another organization (who then
reaches the meeting as the invited do) or a named outside person with an email or a phone
number (who opens the invitation by a signed link). A guest reads the agenda and the papers and
checks in, but counts for no quorum and casts no vote (``is_member`` is False)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import is_staff_user
from hotich.accounts.selectors import user_by_username
from hotich.core.errors import Conflict, ValidationFailed
from hotich.core.text import nfc
from hotich.meetings.models import Meeting, Participant
from hotich.meetings.selectors import guest_by_token
from hotich.meetings.services.meetings import (
    _audit,
    _check_in,
    _locked,
    _must_run,
    _text,
    guest_invitations_send,
)
from hotich.meetings.vocabulary import (
    MAX_PARTICIPANTS,
    PARTICIPANT_OBJECT_TYPE,
    CheckIn,
    Status,
)

PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


@transaction.atomic
def guest_invite(
    *,
    actor: Actor,
    meeting: Meeting,
    username: str = "",
    name: str = "",
    position: str = "",
    email: str = "",
    phone: str = "",
) -> Participant:
    """Invite a guest: a user of the platform by their username, or a named outside person with
    an email or a phone number. Guests neither count for the quorum nor vote."""
    meeting = _locked(meeting)
    _must_run(actor, meeting)
    if meeting.status not in (Status.DRAFT, Status.INVITED, Status.IN_PROGRESS):
        raise Conflict(_("Cuộc họp đã kết thúc: không mời thêm khách được."), field="status")
    if meeting.participants.count() >= MAX_PARTICIPANTS:
        raise ValidationFailed(_("Cuộc họp đã đủ số người dự tối đa."), field="name")
    position = _text(
        position, field="position", label=_("Chức vụ, đơn vị"), max_length=100, required=False
    )
    username = (username or "").strip()
    user = None
    if username:
        user = user_by_username(username)
        if user is None or not user.is_active or not is_staff_user(user):
            raise ValidationFailed(
                _("Tên đăng nhập: không có cán bộ nào với tên này."), field="username"
            )
        name = user.full_name or user.username
        email = phone = ""
    else:
        name = _text(name, field="name", label=_("Họ và tên khách mời"), max_length=200)
        email = (email or "").strip().lower()
        phone = re.sub(r"[\s.\-]", "", phone or "")
        if not email and not phone:
            raise ValidationFailed(
                _("Khách mời ngoài hệ thống: cần email hoặc số điện thoại."), field="email"
            )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationFailed(_("Email không hợp lệ."), field="email") from None
        if phone and not PHONE.match(phone):
            raise ValidationFailed(
                _("Số điện thoại: 10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84."), field="phone"
            )
    try:
        with transaction.atomic():
            guest = Participant.objects.create(
                meeting=meeting,
                user=user,
                name=nfc(name),
                position=position,
                is_member=False,
                email=email,
                phone=phone,
            )
    except IntegrityError as exc:
        raise Conflict(_("Người này đã có tên trong danh sách mời."), field="username") from exc
    _audit(actor, PARTICIPANT_OBJECT_TYPE, guest.pk, "create", meeting=meeting.pk, guest=True)
    if meeting.status != Status.DRAFT:  # the invitations are out: this guest's goes now
        guest_invitations_send(actor=actor, meeting=meeting)
    return guest


@transaction.atomic
def guest_checkin(*, token: str) -> Participant:
    """An outside guest checks in by their link while the meeting is about to start or on."""
    guest = guest_by_token(token)
    return _check_in(None, guest, CheckIn.LINK)
