"""``hotich records find QUERY [--birth-year Y] [--json] [--limit N]``: search as the system.

``hotich records assign-ids``: ask the population database now for the newborns' personal IDs
still pending (after an outage; the background tasks retry them with backoff anyway).

``hotich records import FILE [--format hotich|moj]``: bulk import into the register
(``services.imports.records_import``); per-row errors on stderr, counts on stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.registry.selectors import record_search
from hotich.registry.services.imports import ImportRefused, ImportResult, records_import


class Command(BaseCommand):
    help = "Tra cứu bản ghi hộ tịch / search civil-status records (runs as the system, no scope)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        find = sub.add_parser("find", help="find records by a name, with or without diacritics")
        find.add_argument("query")
        find.add_argument("--birth-year", type=int, default=None)
        find.add_argument("--json", action="store_true", dest="as_json")
        find.add_argument("--limit", type=int, default=50)
        imp = sub.add_parser("import", help="bulk import a file of register entries")
        imp.add_argument("file")
        imp.add_argument("--format", choices=["hotich", "moj"], default="hotich")
        imp.add_argument("--batch", type=int, default=5000, help="rows per transaction")
        imp.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes that check the rows of a large file (default 1: in this process)",
        )
        sub.add_parser("assign-ids", help="retry the pending personal ID requests of newborns")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "assign-ids":
            from hotich.registry.services.personal_id_assignment import personal_id_requests_retry

            counts = personal_id_requests_retry(now=True)
            self.stdout.write(
                f"đã cấp / assigned {counts['assigned']}, còn chờ / pending {counts['pending']}, "
                f"bị từ chối / refused {counts['failed']}"
            )
            return
        if options["subcommand"] == "import":
            self._import(options)
            return
        if options["subcommand"] != "find":
            raise CommandError("unknown subcommand")
        if options["limit"] < 1:
            raise CommandError("--limit phải lớn hơn 0 / must be positive")
        try:
            hits = record_search(
                actor=None,
                query=options["query"],
                birth_year=options["birth_year"],
                limit=options["limit"],
            )
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        rows = [h.as_json() for h in hits]
        if options["as_json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        headers = ["id", "event_type", "full_name", "birth_date", "unit", "book", "entry_number"]
        table = [headers] + [["" if r[h] is None else str(r[h]) for h in headers] for r in rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
        for line in table:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
        if not rows:
            self.stdout.write("(không có kết quả / no results)")

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"không có tệp / no such file: {path}")
        if options["batch"] < 1:
            raise CommandError("--batch phải lớn hơn 0 / must be positive")
        if options["workers"] < 1:
            raise CommandError("--workers phải lớn hơn 0 / must be positive")

        def progress(result: ImportResult) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"lô / batch {result.batches}: {result.added}")

        try:
            result = records_import(
                path,
                file_format=options["format"],
                batch_rows=options["batch"],
                progress=progress,
                workers=options["workers"],
            )
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(error.line())
            raise CommandError(exc.bilingual()) from exc
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        if result.already_done:
            self.stdout.write(
                f"tệp đã nhập trước đây / file already imported (lần nhập / run "
                f"{result.run_id}): {result.rows} dòng / rows, thêm / added 0, "
                f"đã có / already present {result.present}"
            )
            return
        resumed = (
            f", tiếp tục từ dòng / resumed at row {result.resumed_from}"
            if result.resumed_from
            else ""
        )
        self.stdout.write(
            f"lần nhập / run {result.run_id}: {result.rows} dòng / rows, "
            f"thêm / added {result.added}, đã có / already present {result.present}, "
            f"{result.batches} lô / batches{resumed}"
        )
