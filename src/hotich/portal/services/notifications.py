"""Writing messages to citizens: the outbox row, then the configured adapter after commit."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from hotich.portal.adapters.notify import notifier
from hotich.portal.models import Dossier, Notification

log = logging.getLogger(__name__)


def contact_channel(contact: str) -> str:
    return "email" if "@" in contact else "sms"


def notification_send(
    *, recipient: str, subject: str, body: str, dossier: Dossier | None = None
) -> Notification | None:
    """Queue one message (no recipient: nothing to do). Delivery failures are logged, never
    raised: the message stays in the outbox unsent."""
    if not recipient:
        return None
    message = Notification.objects.create(
        channel=contact_channel(recipient),
        recipient=recipient[:254],
        subject=subject[:200],
        body=body,
        dossier=dossier,
        created_at=timezone.now(),
    )

    def deliver() -> None:
        try:
            if notifier().send(message):
                Notification.objects.filter(pk=message.pk).update(sent_at=timezone.now())
        except Exception:  # an adapter failure must not lose the message or the dossier
            log.warning("notification %s not delivered", message.pk, exc_info=True)

    transaction.on_commit(deliver)
    return message
