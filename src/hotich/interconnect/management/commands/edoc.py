"""``hotich edoc``: documents between agencies as edXML packages (QCVN 102:2016/BTTTT).

    hotich edoc export DOCUMENT_ID --out FILE.edxml [--to AGENCY_CODE]
    hotich edoc import FILE.edxml
    hotich edoc axis serve [--host H] [--port 8799]
    hotich edoc axis receive [--url URL]
    hotich edoc axis schedule
    hotich edoc axis resend-stuck [--hours 24] [--url URL]

``import`` registers the package as an incoming document of the agency it is addressed to; a
broken signature, an unknown agency, malformed XML or a package already received exits 1 with
the reason on one line (and the reason goes back to the sender as a status message).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.core.standins import EDOC_AXIS_PORT, command_requires_standins
from hotich.interconnect.adapters.axis.http import HttpAxis
from hotich.interconnect.adapters.axis.protocol import AxisRefused, AxisUnavailable
from hotich.interconnect.services import (
    axis_receive,
    package_export,
    package_import,
    packages_resend_stuck,
)
from hotich.interconnect.tasks import schedule_next


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


class Command(BaseCommand):
    help = "Liên thông văn bản điện tử (edXML) / document interconnection (edXML)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="xuất gói tin edXML / export an edXML package")
        export.add_argument("document_id", type=int)
        export.add_argument("--out", required=True)
        export.add_argument("--to", default="", help="mã cơ quan nhận / recipient agency code")
        imp = sub.add_parser("import", help="nhận gói tin edXML / import an edXML package")
        imp.add_argument("file")
        axis = sub.add_parser("axis", help="trục liên thông / the interconnection axis")
        axis_sub = axis.add_subparsers(dest="axis_action", required=True)
        serve = axis_sub.add_parser("serve", help="trục giả lập / run the stand-in axis")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=EDOC_AXIS_PORT)
        receive = axis_sub.add_parser(
            "receive", help="nhận gói tin và trạng thái / receive packages and statuses"
        )
        receive.add_argument("--url", default="", help="địa chỉ trục / the axis address")
        resend = axis_sub.add_parser(
            "resend-stuck",
            help="gửi lại gói tin chưa có trạng thái / resend packages without a status",
        )
        resend.add_argument("--hours", type=int, default=24)
        resend.add_argument("--url", default="", help="địa chỉ trục / the axis address")
        axis_sub.add_parser(
            "schedule", help="nhận định kỳ (tác vụ nền) / schedule the periodic receive job"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "axis" and options["axis_action"] == "serve":
            self._serve(options["host"], options["port"])
            return
        if action == "axis" and options["axis_action"] == "schedule":
            if not schedule_next():
                raise CommandError(
                    "Bộ chạy tác vụ không hỗ trợ hẹn giờ / the task backend cannot defer tasks"
                )
            self.stdout.write("ok")
            return
        try:
            if action == "export":
                self._export(options["document_id"], options["out"], options["to"])
            elif action == "import":
                self._import(options["file"])
            elif options["axis_action"] == "resend-stuck":
                self._resend(options["hours"], options["url"])
            else:
                self._receive(options["url"])
        except DomainError as exc:
            raise CommandError(_one_line(exc.bilingual())) from None
        except (AxisUnavailable, AxisRefused) as exc:
            raise CommandError(_one_line(exc)) from None

    def _export(self, document_id: int, out: str, to: str) -> None:
        key, data = package_export(actor=None, document_id=document_id, to_code=to)
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp / cannot write {out}: {exc.strerror}") from None
        self.stdout.write(f"{out}: {key} ({len(data)} bytes)")

    def _import(self, file: str) -> None:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp / cannot read {file}: {exc.strerror}") from None
        package = package_import(actor=None, data=data)
        document = package.document
        number = document.number if document is not None else ""
        self.stdout.write(
            f"{package.document_key}: {package.from_code} → {package.to_code}, số đến / arrival "
            f"number {number}"
        )

    def _receive(self, url: str) -> None:
        run = axis_receive(axis=HttpAxis(url) if url else None)
        self.stdout.write(
            f"received {run.received}, refused {run.refused}, statuses received "
            f"{run.statuses_received}, packages sent {run.sent}, statuses sent "
            f"{run.statuses_sent}, waiting {run.waiting}"
        )
        for reason in run.reasons or []:
            self.stderr.write(_one_line(reason))

    def _resend(self, hours: int, url: str) -> None:
        run = packages_resend_stuck(hours=hours, axis=HttpAxis(url) if url else None)
        self.stdout.write(f"resent {run.resent}, packages sent {run.sent}, waiting {run.waiting}")

    def _serve(self, host: str, port: int) -> None:
        command_requires_standins("hotich edoc axis serve")
        from hotich.interconnect.adapters.axis.standin import make_server

        try:
            server = make_server(host, port)
        except OSError as exc:
            raise CommandError(
                f"Không khởi động được trục / cannot start the axis: {exc.strerror or exc}"
            ) from None
        sys.stdout.write(f"edoc axis stand-in: {server.url}\n")
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
