"""The notification adapter. Every message is first written to the outbox
(``Notification``); the configured notifier then delivers it. The default, ``OutboxNotifier``,
delivers nothing further: the outbox is shown in the back office (``portal:outbox``) and, for
demos and tests, it is where one-time codes are read. E-mail and SMS providers implement
``Notifier`` and are chosen with the ``HOTICH_NOTIFIER`` setting (a dotted path)."""

from __future__ import annotations

import os
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


def notifier() -> Notifier:
    path = getattr(settings, "HOTICH_NOTIFIER", "") or os.environ.get("HOTICH_NOTIFIER", "")
    if path:
        return cast(Notifier, import_string(path)())
    return OutboxNotifier()
