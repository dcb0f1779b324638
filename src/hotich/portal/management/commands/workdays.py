"""``hotich workdays add YYYY-MM-DD N``: the date N Vietnamese working days after a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from hotich.core.workdays import add_working_days


class Command(BaseCommand):
    help = "Ngày làm việc / Vietnamese working days (weekends and public holidays skipped)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add = sub.add_parser("add", help="print the date N working days after DATE")
        add.add_argument("date", help="YYYY-MM-DD")
        add.add_argument("count", help="N (an integer; negative counts backwards)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "add":
            raise CommandError("unknown subcommand")
        try:
            start = dt.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(
                f"Ngày không hợp lệ / invalid date: {options['date']!r} (YYYY-MM-DD)"
            ) from None
        try:
            count = int(options["count"])
        except ValueError:
            raise CommandError(
                f"Số ngày không hợp lệ / invalid number of days: {options['count']!r}"
            ) from None
        if abs(count) > 3650:
            raise CommandError("Số ngày quá lớn / too many days (at most 3650)")
        overrides: dict[dt.date, bool] = {}
        try:
            from hotich.portal.selectors import calendar_overrides

            overrides = calendar_overrides()
        except DatabaseError:  # no database yet: the package's calendar alone
            overrides = {}
        try:
            result = add_working_days(start, count, overrides)
        except OverflowError:
            raise CommandError("Ngày vượt quá giới hạn / date out of range") from None
        self.stdout.write(result.isoformat())
