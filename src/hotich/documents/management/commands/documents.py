"""``hotich documents``: the agencies' work files (hồ sơ công việc).

    hotich documents files close-year --year Y [--org CODE]
    hotich documents files hand-over --year Y --org CODE

``close-year`` closes every open file of the year (of the agency ``CODE`` and its sections, or
of every agency); ``hand-over`` hands the agency's closed files of the year to its archive and
stores the handover list (PDF and XLSX) through the archive, with each document's fingerprint.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.documents.services import files_close_year, files_hand_over


class Command(BaseCommand):
    help = "Hồ sơ công việc của cơ quan / the agencies' work files"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        files = sub.add_parser("files", help="hồ sơ công việc / work files")
        action = files.add_subparsers(dest="action", required=True)
        close = action.add_parser(
            "close-year", help="kết thúc hồ sơ của năm / close the year's open files"
        )
        close.add_argument("--year", type=int, required=True)
        close.add_argument("--org", default="", help="mã định danh cơ quan / agency code")
        hand = action.add_parser(
            "hand-over", help="nộp lưu hồ sơ đã kết thúc / hand closed files to the archive"
        )
        hand.add_argument("--year", type=int, required=True)
        hand.add_argument("--org", required=True, help="mã định danh cơ quan / agency code")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "close-year":
                count = files_close_year(actor=None, year=options["year"], code=options["org"])
                self.stdout.write(f"Đã kết thúc {count} hồ sơ năm {options['year']}.")
            else:
                handover = files_hand_over(actor=None, year=options["year"], code=options["org"])
                self.stdout.write(
                    f"Đã nộp lưu {handover.files} hồ sơ, {handover.documents} văn bản; "
                    f"mục lục: {handover.pdf_path}, {handover.xlsx_path}"
                )
        except DomainError as exc:
            raise CommandError(" ".join(str(exc).split())) from exc
