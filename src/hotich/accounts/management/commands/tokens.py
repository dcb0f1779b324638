"""``hotich tokens``: API tokens for scripts (``Authorization: Token <token>``).

- ``hotich tokens create USERNAME [--days N] [--name TEXT]``: prints a new token alone on one line
  (shown once: only its hash is stored).
- ``hotich tokens list USERNAME``: the user's tokens, one a line, tab-separated: prefix, state
  (active, expired, revoked), created, expires, last used (local time), name.
- ``hotich tokens revoke TOKEN_PREFIX``: revokes the token at once.
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
    help = "Quản lý mã truy cập API / Manage API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        from hotich.accounts.services import API_TOKEN_DAYS

        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo mã truy cập / create a token")
        create.add_argument("username")
        create.add_argument(
            "--days", type=int, default=API_TOKEN_DAYS, help="số ngày hiệu lực / days valid"
        )
        create.add_argument("--name", default="", help="tên gợi nhớ / a label")
        listing = sub.add_parser("list", help="liệt kê mã truy cập / list a user's tokens")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="thu hồi / revoke a token")
        revoke.add_argument("prefix", metavar="TOKEN_PREFIX")

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(" ".join(message.split()) + "\n")
        sys.stderr.flush()
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            self._fail(error.bilingual())

    def _user(self, username: str) -> Any:
        from hotich.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            self._fail(f"Không có người dùng {username} / no such user.")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        from hotich.accounts.services import api_token_create

        user = self._user(options["username"])
        key = api_token_create(actor=None, user=user, name=options["name"], days=options["days"])
        self.stdout.write(key)

    def _list(self, options: dict[str, Any]) -> None:
        from hotich.accounts.selectors import api_tokens_of

        for token in api_tokens_of(user=self._user(options["username"])):
            self.stdout.write(
                "\t".join(
                    [
                        token.prefix,
                        token.state,
                        _local(token.created_at),
                        _local(token.expires_at),
                        _local(token.last_used_at),
                        token.name or "-",
                    ]
                )
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        from hotich.accounts.selectors import api_token_by_prefix
        from hotich.accounts.services import api_token_revoke

        token = api_token_by_prefix(options["prefix"])
        if token is None:
            self._fail("Không có mã truy cập với tiền tố này / no token with this prefix.")
        api_token_revoke(actor=None, token=token)
        self.stdout.write(f"{token.prefix}\trevoked")
