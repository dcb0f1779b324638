"""``hotich id decode NUMBER``: decode a personal ID number to JSON.

Exit 0 with the JSON on stdout; exit 2 with a one-line reason on stderr for a malformed or
impossible number.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hotich.core.errors import ValidationFailed
from hotich.people.personal_id import parse_personal_id

EXIT_INVALID = 2


class Command(BaseCommand):
    help = "Giải mã số định danh cá nhân / Decode a personal ID number."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        decode = sub.add_parser("decode", help="Giải mã / decode a 12-digit number")
        decode.add_argument("number", help="12 chữ số / 12 digits")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "decode":
            self._decode(options["number"])

    def _decode(self, number: str) -> None:
        try:
            pid = parse_personal_id(number)
        except ValidationFailed as error:
            sys.stderr.write(error.bilingual().replace("\n", " ") + "\n")
            sys.stderr.flush()
            sys.exit(EXIT_INVALID)
        self.stdout.write(json.dumps(pid.as_json(), ensure_ascii=False))
