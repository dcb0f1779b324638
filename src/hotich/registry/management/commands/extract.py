"""``hotich extract issue RECORD_ID --out FILE.pdf [--copy]``: issue a record's extract as the
system (numbered, stored, logged and audited like any issue) and write the PDF to FILE."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from hotich.core.errors import DomainError
from hotich.core.storage import write_file_atomic


class Command(BaseCommand):
    help = "Cấp trích lục / bản sao của một bản ghi hộ tịch / Issue a record's extract or copy."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Cấp trích lục / issue an extract")
        issue.add_argument("record_id", type=int)
        issue.add_argument("--out", required=True, type=Path, help="FILE.pdf")
        issue.add_argument(
            "--copy", action="store_true", help="bản sao / a copy instead of the original"
        )
        issue.add_argument("--requested-by", default="", help="người yêu cầu / requester")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "issue":
            self._issue(options)

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(" ".join(message.split()) + "\n")
        sys.stderr.flush()
        sys.exit(1)

    def _issue(self, options: dict[str, Any]) -> None:
        # WeasyPrint logs each layout step at INFO; keep the command's output to the point.
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        from hotich.registry.extracts.services import extract_issue
        from hotich.registry.models import Record

        record = Record.objects.filter(pk=options["record_id"]).first()
        if record is None:
            self._fail(f"Không có bản ghi số {options['record_id']} / no such record.")
        out: Path = options["out"]
        if not out.parent.is_dir():
            self._fail(f"Không có thư mục {out.parent} / no such directory.")
        try:
            issued = extract_issue(
                actor=None,
                record=record,
                copy=options["copy"],
                requested_by=options["requested_by"],
            )
        except DomainError as error:
            self._fail(error.bilingual())
        write_file_atomic(out, issued.pdf)
        self.stdout.write(f"{issued.number} {issued.verify_code} {issued.sha256} -> {out}")
