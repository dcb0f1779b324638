"""``hotich report civil-status --province CODE --year YYYY --format json|xlsx --out FILE``.

The yearly civil-status statistics of a province (one row per commune), runs as the system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.core.standins import REPORTING_PORT, command_requires_standins
from hotich.core.storage import write_file_atomic
from hotich.reporting.definitions import get_definition
from hotich.reporting.selectors import province_by_code
from hotich.reporting.services import report_export


class Command(BaseCommand):
    help = "Báo cáo thống kê / statistical reports"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        cs = sub.add_parser("civil-status", help="yearly civil-status statistics of a province")
        cs.add_argument("--province", required=True, help="province code, e.g. 40")
        cs.add_argument("--year", required=True, type=int)
        cs.add_argument("--format", required=True, choices=["json", "xlsx"], dest="fmt")
        cs.add_argument("--out", required=True, type=Path)
        sub.add_parser(
            "retry", help="resend every submission whose delivery failed (same payload and key)"
        )
        rc = sub.add_parser(
            "receiver", help="run the local stand-in of the national reporting system (HTTP)"
        )
        rc.add_argument("--host", default="127.0.0.1")
        rc.add_argument("--port", type=int, default=REPORTING_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "receiver":
            self._receiver(options["host"], options["port"])
            return
        if options["subcommand"] == "retry":
            self._retry()
            return
        if options["subcommand"] != "civil-status":
            raise CommandError("unknown subcommand")
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"thư mục không tồn tại / no such directory: {out.parent}")
        try:
            unit = province_by_code(options["province"])
            period = get_definition("civil_status").period("yearly", options["year"])
            content = report_export(actor=None, unit=unit, period=period, fmt=options["fmt"])
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        write_file_atomic(out, content)

    def _receiver(self, host: str, port: int) -> None:
        command_requires_standins("hotich report receiver")
        from hotich.reporting.adapters.national.standin import StandInReceiver
        from hotich.reporting.exports import payload_schema

        try:
            receiver = StandInReceiver(host, port, schema=payload_schema())
        except OSError as exc:
            raise CommandError(f"không mở được cổng / cannot listen: {exc}") from exc
        self.stdout.write(f"HOTICH_REPORTING_URL={receiver.url}")
        self.stdout.flush()
        try:
            receiver.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.server.server_close()

    def _retry(self) -> None:
        from hotich.reporting.models import SubmissionStatus
        from hotich.reporting.selectors import submissions_visible
        from hotich.reporting.services import submission_resubmit

        failed = list(submissions_visible(None).filter(status=SubmissionStatus.FAILED))
        for submission in failed:
            try:
                result = submission_resubmit(actor=None, submission=submission)
            except DomainError as exc:
                raise CommandError(exc.bilingual()) from exc
            self.stdout.write(f"#{result.pk} {result.period_code} {result.status}")
        if not failed:
            self.stdout.write("(không có báo cáo chờ gửi lại / nothing to resend)")
