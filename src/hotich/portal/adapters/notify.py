"""The notification adapter. Every message is first written to the outbox
(``Notification``); the configured notifier then delivers it. The default, ``OutboxNotifier``,
delivers nothing further: the outbox is shown in the back office (``portal:outbox``) and, for
demos and tests, it is where one-time codes are read. E-mail and SMS providers implement
``Notifier`` and are chosen with the ``HOTICH_NOTIFIER`` setting (a dotted path).

``SmsNotifier`` reaches citizens without a smartphone: e-mail through Django's mail, SMS through
the carrier named by ``HOTICH_SMS_CARRIER`` (an ``SmsCarrier``; by default the local SMS outbox,
``sms.standin.LocalSmsOutbox``, which the production settings refuse). When the carrier needs it
(``HOTICH_SMS_ASCII``, on by default) the text goes without diacritics ("Hồ sơ" → "Ho so")."""

from __future__ import annotations

import os
import unicodedata
from typing import TYPE_CHECKING, Protocol, cast

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from hotich.portal.models import Notification


class Notifier(Protocol):
    def send(self, notification: Notification) -> bool: ...


class OutboxNotifier:
    """Keeps the message in the outbox only; reports it as not sent."""

    def send(self, notification: Notification) -> bool:
        return False


class EmailNotifier:
    """Sends e-mail through Django's configured mail backend (SMS goes to the outbox only)."""

    def send(self, notification: Notification) -> bool:
        from django.core.mail import send_mail

        if notification.channel != "email":
            return False
        send_mail(notification.subject, notification.body, None, [notification.recipient])
        return True


class SmsCarrier(Protocol):
    """A carrier's (or SMS brand-name gateway's) sending interface."""

    def send_sms(self, number: str, text: str) -> bool: ...


#: the stand-in carrier used when ``HOTICH_SMS_CARRIER`` is empty
LOCAL_SMS_OUTBOX = "hotich.portal.adapters.sms.standin.LocalSmsOutbox"
#: one SMS: 160 characters of the GSM alphabet, 70 with Vietnamese letters (UCS-2)
SMS_ASCII_LIMIT = 160
SMS_UNICODE_LIMIT = 70
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def without_diacritics(text: str) -> str:
    """Vietnamese text in plain letters, case kept: ``"Hồ sơ Đã"`` → ``"Ho so Da"``."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value is not None else os.environ.get(name, default)


def sms_ascii() -> bool:
    return _setting("HOTICH_SMS_ASCII", "1").strip().lower() not in ("0", "false", "no", "")


def sms_text(body: str, *, ascii_only: bool) -> str:
    """The text of one SMS: one line, without diacritics when the carrier needs it, cut to one
    message (160 plain characters, 70 with diacritics)."""
    text = " ".join(unicodedata.normalize("NFC", body).split())
    limit = SMS_UNICODE_LIMIT
    if ascii_only:
        text, limit = without_diacritics(text), SMS_ASCII_LIMIT
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ("." if ascii_only else "…")


def sms_carrier() -> SmsCarrier:
    path = _setting("HOTICH_SMS_CARRIER", "") or LOCAL_SMS_OUTBOX
    return cast(SmsCarrier, import_string(path)())


class SmsNotifier:
    """SMS through the configured carrier, e-mail through Django's mail backend."""

    def send(self, notification: Notification) -> bool:
        if notification.channel == "email":
            return EmailNotifier().send(notification)
        if notification.channel != "sms":
            return False
        text = sms_text(notification.body, ascii_only=sms_ascii())
        return sms_carrier().send_sms(notification.recipient, text)


def notifier() -> Notifier:
    path = getattr(settings, "HOTICH_NOTIFIER", "") or os.environ.get("HOTICH_NOTIFIER", "")
    if path:
        return cast(Notifier, import_string(path)())
    return OutboxNotifier()
