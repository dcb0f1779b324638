"""``hotich archive fixity`` and ``hotich archive export-book BOOK_ID DIR``.

``fixity`` recomputes the SHA-256 of every stored file under the storage root; it prints
``OK: N files checked`` and exits 0, or prints one ``changed: PATH``, ``missing: PATH`` or
``unexpected: PATH`` line per problem and exits 1 with a one-line reason on stderr.
``export-book`` writes the book as the national digitization format inside a BagIt bag through
the exporter the digitization context registers; exit 1 with a reason when there is none or
the book does not exist. ``schedule`` enqueues the periodic fixity check.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hotich.core.errors import DomainError

EXIT_FAILED = 1


class Command(BaseCommand):
    help = "Lưu trữ: kiểm tra toàn vẹn, xuất sổ / Archive: fixity check, book export."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("fixity", help="kiểm tra SHA-256 mọi tệp / check every stored file")
        export = sub.add_parser("export-book", help="xuất sổ thành túi BagIt / export a book")
        export.add_argument("book_id", type=int)
        export.add_argument("directory")
        sub.add_parser("schedule", help="xếp lịch kiểm tra định kỳ / schedule periodic fixity")

    def _fail(self, message: str) -> None:
        self.stdout.flush()
        self.stderr.write(message.replace("\n", " "), style_func=lambda text: text)
        self.stderr.flush()
        sys.exit(EXIT_FAILED)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "fixity":
            self._fixity()
        elif action == "export-book":
            self._export(options["book_id"], Path(options["directory"]))
        elif action == "schedule":
            from hotich.archive.tasks import schedule_next

            if not schedule_next():
                self._fail(
                    "Bộ chạy tác vụ không hỗ trợ hẹn giờ / the task backend cannot defer tasks"
                )
            self.stdout.write("ok")

    def _fixity(self) -> None:
        from hotich.archive.services import archive_fixity

        report = archive_fixity()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} files checked")
        if report.partial_removed:
            self.stdout.write(
                f"{report.partial_removed} tệp tạm của lần ghi bị gián đoạn đã xóa / temporary "
                "files of interrupted writes removed (.partial/)"
            )
        if report.ok:
            return
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.flush()
        self._fail(
            f"Kiểm tra toàn vẹn thất bại / fixity check failed: {len(report.changed)} changed, "
            f"{len(report.missing)} missing, {len(report.unexpected)} unexpected"
        )

    def _export(self, book_id: int, directory: Path) -> None:
        from hotich.archive.services import archive_export_book

        try:
            result = archive_export_book(book_id=book_id, directory=directory)
        except DomainError as error:
            self._fail(error.bilingual())
        self.stdout.write(str(result or directory))
