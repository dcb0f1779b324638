"""``hotich offline``: the devices registered for offline work.

- ``hotich offline list [--user USERNAME]``: one device a line, tab-separated: id, user, state
  (active, revoked), registered, last seen (local time), name.
- ``hotich offline revoke DEVICE_ID``: revokes a lost device: it gets no key any more and what
  it still sends is refused.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hotich.core.errors import DomainError


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else "-"


class Command(BaseCommand):
    help = "Thiết bị làm việc không có mạng / Devices for offline work."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="liệt kê thiết bị / list devices")
        listing.add_argument("--user", default="", help="tên đăng nhập / a username")
        revoke = sub.add_parser("revoke", help="thu hồi thiết bị / revoke a device")
        revoke.add_argument("device_id", type=int, metavar="DEVICE_ID")

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(" ".join(message.split()) + "\n")
        sys.stderr.flush()
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            self._fail(error.bilingual())

    def _list(self, options: dict[str, Any]) -> None:
        from hotich.offline.selectors import devices_in_scope

        devices = devices_in_scope(None).order_by("pk")
        if options["user"]:
            devices = devices.filter(user__username=options["user"])
        for d in devices:
            state = "revoked" if d.revoked_at else "active"
            self.stdout.write(
                "\t".join(
                    [
                        str(d.pk),
                        d.user.username,
                        state,
                        _local(d.created_at),
                        _local(d.last_seen_at),
                        d.name,
                    ]
                )
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        from hotich.offline.services import device_revoke

        device = device_revoke(actor=None, device_id=options["device_id"])
        self.stdout.write(f"Đã thu hồi thiết bị {device.pk} ({device.name}) / device revoked.")
