"""``hotich meetings schedule --year Y [--month M]``: draft the party cells' regular (monthly)
and thematic (quarterly) meetings of the year or month; run again, it makes only what is
missing. ``hotich meetings schedule --every-month``: the background task that keeps the
schedule a month ahead (this month and the next, then again on the first of each month)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.meetings.services import cells_schedule


class Command(BaseCommand):
    help = "Cuộc họp / meetings: schedule the party cells' meetings"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        schedule = sub.add_parser("schedule", help="schedule the cells' meetings of a year/month")
        schedule.add_argument("--year", type=int, default=None)
        schedule.add_argument("--month", type=int, default=None)
        schedule.add_argument(
            "--every-month", action="store_true", help="enqueue the monthly background task"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["every_month"]:
            from hotich.meetings.tasks import cells_schedule_monthly, schedule_next

            made = cells_schedule_monthly.call(reschedule=False)
            if not schedule_next():
                raise CommandError(
                    "Bộ chạy tác vụ không hỗ trợ hẹn giờ / the task backend cannot defer tasks"
                )
            self.stdout.write(f"{made} cuộc họp mới / new meetings; ok")
            return
        if options["year"] is None:
            raise CommandError("Cần --year hoặc --every-month / --year or --every-month is needed")
        try:
            result = cells_schedule(actor=None, year=options["year"], month=options["month"])
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        for meeting in result.created:
            self.stdout.write(
                f"{meeting.starts_at:%d/%m/%Y %H:%M}  {meeting.organization.name}: {meeting.title}"
            )
        for cell, reason in result.skipped:
            self.stderr.write(f"{cell.name}: {reason}")
        self.stdout.write(
            f"{len(result.created)} cuộc họp mới / new meetings, "
            f"{result.existing} đã có / already scheduled, "
            f"{len(result.skipped)} chi bộ bỏ qua / cells skipped"
        )
