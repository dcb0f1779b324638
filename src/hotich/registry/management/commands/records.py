"""``hotich records find QUERY [--birth-year Y] [--json] [--limit N]``: search as the system.

``hotich records assign-ids``: ask the population database now for the newborns' personal IDs
still pending (after an outage; the background tasks retry them with backoff anyway)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.registry.selectors import record_search


class Command(BaseCommand):
    help = "Tra cứu bản ghi hộ tịch / search civil-status records (runs as the system, no scope)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        find = sub.add_parser("find", help="find records by a name, with or without diacritics")
        find.add_argument("query")
        find.add_argument("--birth-year", type=int, default=None)
        find.add_argument("--json", action="store_true", dest="as_json")
        find.add_argument("--limit", type=int, default=50)
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
