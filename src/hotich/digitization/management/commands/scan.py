"""``hotich scan import DIR --book ID [--now]``: import a folder of page scans into a book;
``hotich scan import-exchange DIR --book ID``: import a book in the national exchange format;
``hotich scan rerun PAGE_ID``: run a page's processing again, in this process, from the step that
failed (exits 1 when it fails again);
``hotich scan tiles [--book ID]``: make the IIIF tiles of pages ingested before them (resumable:
only pages without tiles are done; exits 1 when a page fails).

Files are taken in natural name order (``p2.tif`` before ``p10.tif``), each checked and added in
its own transaction, so an interrupted run loses nothing and, started again, skips the files
already imported (same SHA-256) and resumes where it stopped, continuing the batch the
interrupted run left open. One run at a time per book: a lock file under
``$HOTICH_DATA_DIR/locks/`` is held while it runs (released by the system when the process
dies), and a second run is refused. A progress bar is drawn on stderr. Exits 1 listing the
refused files, if any.
"""

from __future__ import annotations

import contextlib
import fcntl
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.test import override_settings

from hotich.core.errors import DomainError
from hotich.digitization.selectors import books_in_scope, page_get
from hotich.digitization.services import (
    batch_finish,
    batch_resume,
    batch_start,
    book_import_exchange,
    page_import,
    page_rerun,
    tiles_backfill,
)

#: background work run in this process (``--now``, ``rerun``)
IN_PROCESS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)


def natural_key(path: Path) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def progress_bar(done: int, total: int, label: str, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:40]:<40}"


@contextlib.contextmanager
def book_lock(book_id: int) -> Iterator[None]:
    """Held while one ``scan import`` runs on the book; refuses a second run at once."""
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"scan-import-book-{book_id}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(
                f"Một lần nhập khác vào sổ {book_id} đang chạy / another import into book "
                f"{book_id} is running"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Command(BaseCommand):
    help = "Nhập ảnh quét sổ hộ tịch / import page scans of a register book"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="import a folder of TIFF/JPEG/PNG/PDF scans")
        imp.add_argument("directory")
        imp.add_argument("--book", type=int, required=True, help="the historic book id")
        imp.add_argument(
            "--now", action="store_true", help="make derivatives in this process, not a worker"
        )
        exchange = sub.add_parser(
            "import-exchange", help="import a book in the national exchange format (bag or folder)"
        )
        exchange.add_argument("directory")
        exchange.add_argument("--book", type=int, required=True, help="the historic book id")
        rerun = sub.add_parser(
            "rerun", help="run a page's processing again from the step that failed"
        )
        rerun.add_argument("page_id", type=int)
        tiles = sub.add_parser(
            "tiles", help="make the IIIF tiles of pages ingested before them (resumable)"
        )
        tiles.add_argument("--book", type=int, help="only this book")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rerun":
            self._rerun(options["page_id"])
            return
        if options["subcommand"] == "tiles":
            self._tiles(options.get("book"))
            return
        folder = Path(options["directory"])
        if not folder.is_dir():
            raise CommandError(f"Không có thư mục / no such directory: {folder}")
        book = books_in_scope(None).filter(pk=options["book"]).first()
        if book is None:
            raise CommandError(
                f"Không có sổ cũ số {options['book']} / no historic book with that id"
            )
        files = sorted(
            (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=natural_key,
        )
        if options["subcommand"] == "import-exchange":
            try:
                count = book_import_exchange(actor=None, book=book, directory=folder)
            except DomainError as exc:
                raise CommandError(exc.bilingual()) from exc
            self.stdout.write(f"{count} mục đã nhập / entries imported")
            return
        with book_lock(book.pk):
            if options["now"]:
                with IN_PROCESS:
                    self._run(book, files)
            else:
                self._run(book, files)

    def _tiles(self, book_id: int | None) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r{done}/{total}", ending="")

        run = tiles_backfill(book_id=book_id, progress=progress)
        self.stdout.write("")
        self.stdout.write(
            f"{run.pages} trang đã có ô ảnh ({run.files} tệp), {run.failed} trang lỗi / "
            f"{run.pages} pages tiled ({run.files} files), {run.failed} failed"
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} trang lỗi, chạy lại lệnh để thử lại / "
                f"{run.failed} pages failed, run the command again to retry"
            )

    def _rerun(self, page_id: int) -> None:
        try:
            page = page_get(None, page_id)
        except Http404:
            raise CommandError(f"Không có trang số {page_id} / no page with that id") from None
        try:
            with IN_PROCESS:
                step = page_rerun(actor=None, page=page)
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        page.refresh_from_db()
        if page.failed_step:
            raise CommandError(
                f"Bước {page.failed_step} lại lỗi / step {page.failed_step} failed again: "
                f"{page.failure_reason}"
            )
        self.stdout.write(
            f"Trang {page_id} đã xử lý lại từ bước {step} / page processed again from step {step}"
        )

    def _run(self, book: Any, files: list[Path]) -> None:
        batch = batch_resume(actor=None, book=book, files_total=len(files), source="cli")
        if batch is not None:
            self.stdout.write(
                f"Tiếp tục lô #{batch.pk} bị gián đoạn / continuing interrupted batch #{batch.pk}"
            )
        else:
            batch = batch_start(actor=None, book=book, files_total=len(files), source="cli")
        refused: list[str] = []
        added = duplicates = 0
        started = time.monotonic()
        for index, path in enumerate(files, 1):
            self.stderr.write(progress_bar(index - 1, len(files), path.name), ending="")
            try:
                result = page_import(
                    actor=None, book=book, name=path.name, data=path.read_bytes(), batch=batch
                )
            except DomainError as exc:
                refused.append(exc.bilingual())
                continue
            added += len(result.pages)
            duplicates += int(result.duplicate)
        self.stderr.write(progress_bar(len(files), len(files), "") + "\n", ending="")
        batch_finish(actor=None, batch=batch)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{added} trang mới / new pages, {duplicates} tệp đã có / already imported, "
            f"{len(refused)} bị từ chối / refused ({elapsed:.1f} s)"
        )
        if refused:
            for reason in refused:
                self.stderr.write(reason)
            raise CommandError(f"{len(refused)} tệp bị từ chối / files refused")
