"""What the portal plugs in when Django starts: the outside guests of a meeting are invited
through its notifier (the outbox, then the configured e-mail and SMS adapters)."""

from __future__ import annotations

from hotich.meetings.services import guest_messenger_install
from hotich.portal.services.notifications import notification_send


def meeting_guest_invite(*, recipient: str, subject: str, body: str) -> None:
    notification_send(recipient=recipient, subject=subject, body=body)


guest_messenger_install(meeting_guest_invite)
