"""How an outside guest's invitation leaves the platform: a small protocol the meetings context
calls, and the messenger a context above installs when Django starts (``portal`` installs its
notifier's outbox: e-mail and SMS through the configured adapter). Without one installed,
nothing is sent and the meeting page shows the link to send by hand."""

from __future__ import annotations

from typing import Protocol


class GuestMessenger(Protocol):
    def __call__(self, *, recipient: str, subject: str, body: str) -> None: ...


_messenger: list[GuestMessenger] = []


def guest_messenger_install(messenger: GuestMessenger) -> None:
    """Use ``messenger`` for the invitations of outside guests (the last installed wins)."""
    _messenger[:] = [messenger]


def guest_messenger() -> GuestMessenger | None:
    return _messenger[0] if _messenger else None
