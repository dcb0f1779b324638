"""``hotich documents``: the agencies' work files (hồ sơ công việc).

    hotich documents files close-year --year Y [--org CODE]
    hotich documents files hand-over --year Y --org CODE
    hotich documents read-text [ID ...] [--missing]

``close-year`` closes every open file of the year (of the agency ``CODE`` and its sections, or
of every agency); ``hand-over`` hands the agency's closed files of the year to its archive and
stores the handover list (PDF and XLSX) through the archive, with each document's fingerprint.
``read-text`` reads again the text of the documents' files for the search (text layer, OCR of
scans), now, in this process; ``--missing``: every document with a file and no text yet.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.documents.services import (
    document_text_read,
    documents_without_text,
    files_close_year,
    files_hand_over,
)


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
        read = sub.add_parser(
            "read-text", help="đọc chữ của tệp văn bản để tìm kiếm / read files' text for search"
        )
        read.add_argument("ids", nargs="*", type=int)
        read.add_argument("--missing", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "read-text":
            self._read_text(options["ids"], missing=options["missing"])
            return
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

    def _read_text(self, ids: list[int], *, missing: bool) -> None:
        if missing:
            ids = [*ids, *documents_without_text()]
        if not ids:
            raise CommandError("Cho số định danh văn bản hoặc --missing.")
        failed = 0
        for document_id in ids:
            outcome = document_text_read(document_id)
            if outcome is not None and not outcome.ok:
                failed += 1
                self.stderr.write(f"{document_id}: {outcome.reason}")
        self.stdout.write(f"Đã đọc chữ của {len(ids) - failed}/{len(ids)} văn bản.")
