"""Scan intake: checking and storing page files, batches, and marking entries on pages.

A file is checked (``intake.check_upload``), its master stored untouched under its SHA-256
(``digitization/masters/ab/abcdef….ext``: the same content is stored once), and one
``PageImage`` is created per page in one transaction; the derivatives are made afterwards by a
background task. A file already imported into the book (same hash) changes nothing, which also
makes an interrupted import safe to run again: it resumes where it stopped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, ValidationFailed
from hotich.digitization.access import KEY, check_scope
from hotich.digitization.intake import CheckedFile, check_upload
from hotich.digitization.models import (
    BatchStatus,
    BookStage,
    DigitizedBook,
    Entry,
    EntryStatus,
    PageImage,
    ScanBatch,
)
from hotich.digitization.services.scan import ENTRY_PREFILL, PAGE_SCAN, ocr_enabled

if TYPE_CHECKING:
    from hotich.registry.models import Book

logger = logging.getLogger(__name__)

INTERRUPTED = _("Lần nhập bị gián đoạn, không chạy tiếp.")
_EXT = {"tiff": "tif", "jpeg": "jpg", "png": "png", "pdf": "pdf"}


def master_path(sha256: str, kind: str) -> str:
    return f"digitization/masters/{sha256[:2]}/{sha256}.{_EXT[kind]}"


@dataclass
class ImportResult:
    name: str
    pages: list[PageImage] = field(default_factory=list)
    duplicate: bool = False


def digitized_book_for(book: Book) -> DigitizedBook:
    """The digitization state of ``book``, created on first use."""
    state, _created = DigitizedBook.objects.get_or_create(
        book=book,
        defaults={
            "scope_unit_id": book.scope_unit_id,
            "closing_pages": book.total_pages or None,
            "closing_entries": book.total_entries or None,
        },
    )
    return state


def _check_book(actor: Actor, book: Book) -> None:
    require(actor, KEY)
    check_scope(actor, book.scope_unit)
    if not book.is_historic:
        raise ValidationFailed(_("Chỉ số hóa sổ cũ (sổ giấy lịch sử)."), field="book")


@transaction.atomic
def batch_start(
    *, actor: Actor, book: Book, files_total: int = 0, source: str = "upload"
) -> ScanBatch:
    """Open a batch (one upload session or one ``scan import`` run) for ``book``."""
    _check_book(actor, book)
    batch = ScanBatch.objects.create(
        book=book,
        scope_unit=book.scope_unit,
        source=source,
        files_total=max(0, files_total),
        created_by=acting_user(actor),
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="digitization.batch",
        object_id=batch.pk,
        detail={"book": book.pk, "source": source},
    )
    return batch


@transaction.atomic
def batch_resume(
    *, actor: Actor, book: Book, files_total: int, source: str = "cli"
) -> ScanBatch | None:
    """Continue the batch an interrupted run left ``running``, or None when there is none.

    For a caller that knows no other run of ``source`` is importing into ``book`` (``scan
    import`` holds a lock per book while it runs), such a batch was left by a run that was
    killed. The newest is continued: its progress is counted again over the whole folder (the
    files it already imported count as done, not as duplicates). Any older one is closed with
    an "interrupted" note.
    """
    _check_book(actor, book)
    left = list(
        ScanBatch.objects.select_for_update()
        .filter(book=book, source=source, status=BatchStatus.RUNNING)
        .order_by("-created_at", "-pk")
    )
    if not left:
        return None
    for stale in left[1:]:
        stale.status = BatchStatus.DONE
        stale.finished_at = timezone.now()
        stale.errors = [*stale.errors, {"file": "", "reason": str(INTERRUPTED)}][-200:]
        stale.save(update_fields=["status", "finished_at", "errors"])
        audit_record(
            actor=actor,
            action="update",
            object_type="digitization.batch",
            object_id=stale.pk,
            detail={"book": book.pk, "closed": "interrupted"},
        )
    batch = left[0]
    batch.files_total = max(0, files_total)
    batch.files_done = batch.duplicates = 0
    batch.errors = []
    batch.save(update_fields=["files_total", "files_done", "duplicates", "errors"])
    audit_record(
        actor=actor,
        action="update",
        object_type="digitization.batch",
        object_id=batch.pk,
        detail={"book": book.pk, "source": source, "resumed": True},
    )
    return batch


@transaction.atomic
def batch_finish(*, actor: Actor, batch: ScanBatch) -> ScanBatch:
    check_scope(actor, batch.scope_unit)
    locked = ScanBatch.objects.select_for_update().get(pk=batch.pk)
    locked.status = BatchStatus.DONE
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "finished_at"])
    return locked


def _note_batch(batch: ScanBatch | None, **changes: Any) -> None:
    if batch is None:
        return
    locked = ScanBatch.objects.select_for_update().get(pk=batch.pk)
    for key, value in changes.items():
        if key == "error":
            locked.errors = [*locked.errors, value][-200:]
        else:
            setattr(locked, key, getattr(locked, key) + value)
    locked.save()


def page_import(
    *, actor: Actor, book: Book, name: str, data: bytes, batch: ScanBatch | None = None
) -> ImportResult:
    """Check one file and add its pages to ``book``; nothing is kept when it is refused.

    Returns the pages created, or ``duplicate=True`` when the book already holds this file.
    """
    _check_book(actor, book)
    if batch is not None and batch.book_id != book.pk:
        raise ValidationFailed(_("Lô quét không thuộc sổ này."), field="batch")
    try:
        checked = check_upload(name, data)
    except ValidationFailed as exc:
        with transaction.atomic():
            _note_batch(batch, files_done=1, error={"file": name[:200], "reason": str(exc)})
        raise
    held = (
        PageImage.objects.filter(book=book, sha256=checked.sha256)
        .values("batch_id", "original_name")
        .first()
    )
    if held is not None:
        # The same file of the same batch again: a resumed batch meets the files its interrupted
        # run imported. Those are done, not duplicates.
        again = batch is not None and (held["batch_id"], held["original_name"]) == (
            batch.pk,
            checked.name,
        )
        with transaction.atomic():
            _note_batch(batch, files_done=1, duplicates=0 if again else 1)
        return ImportResult(checked.name, duplicate=True)
    path = master_path(checked.sha256, checked.kind)
    # The master goes into the archive (file + SHA-256 manifest row, checked by ``hotich archive
    # fixity``) before the page rows: a crash in between leaves a stored file that the next run
    # finds again (storing the same content at the same path is idempotent).
    archive_store(path=path, content=data, source="digitization.master", actor=actor)
    return _create_pages(actor, book, checked, path, batch)


@transaction.atomic
def _create_pages(
    actor: Actor, book: Book, checked: CheckedFile, path: str, batch: ScanBatch | None
) -> ImportResult:
    state = DigitizedBook.objects.select_for_update().filter(pk=digitized_book_for(book).pk).get()
    if state.stage != BookStage.INTAKE:
        raise Conflict(_("Sổ đã được đưa vào sổ điện tử, không thể thêm trang."), field="book")
    if PageImage.objects.filter(book=book, sha256=checked.sha256).exists():  # concurrent import
        _note_batch(batch, files_done=1, duplicates=1)
        return ImportResult(checked.name, duplicate=True)
    start = (PageImage.objects.filter(book=book).aggregate(n=Max("number"))["n"] or 0) + 1
    pages = [
        PageImage.objects.create(
            book=book,
            scope_unit=book.scope_unit,
            batch=batch,
            number=start + index,
            sha256=checked.sha256,
            source_page=index,
            master_name=path,
            original_name=checked.name,
            kind=checked.kind,
            mime=checked.mime,
            size=checked.size,
            width=checked.width,
            height=checked.height,
        )
        for index in range(checked.pages)
    ]
    _note_batch(batch, files_done=1, pages_added=len(pages))
    audit_record(
        actor=actor,
        action="create",
        object_type="digitization.page",
        object_id=pages[0].pk,
        detail={
            "book": book.pk,
            "pages": [p.pk for p in pages],
            "sha256": checked.sha256,
            "kind": checked.kind,
        },
    )
    for page in pages:
        PAGE_SCAN.enqueue_on_commit(page.pk, "")
    return ImportResult(checked.name, pages=pages)


# --- entries on pages --------------------------------------------------------------------------


def _clean_region(region: Any) -> dict[str, float]:
    try:
        box = {k: round(float(region[k]), 4) for k in ("x", "y", "w", "h")}
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed(_("Vùng trên trang không hợp lệ."), field="region") from None
    if not (
        0 <= box["x"] < 1
        and 0 <= box["y"] < 1
        and 0 < box["w"] <= 1
        and 0 < box["h"] <= 1
        and box["x"] + box["w"] <= 1.0001
        and box["y"] + box["h"] <= 1.0001
    ):
        raise ValidationFailed(_("Vùng trên trang nằm ngoài trang."), field="region")
    return box


@transaction.atomic
def entry_mark(*, actor: Actor, page: PageImage, entry_number: int, region: Any) -> Entry:
    """Mark entry ``entry_number`` of the book as the box ``region`` on ``page``."""
    require(actor, KEY)
    check_scope(actor, page.scope_unit)
    box = _clean_region(region)
    if digitized_book_for(page.book).stage != BookStage.INTAKE:
        raise Conflict(_("Sổ đã được đưa vào sổ điện tử, không thể thêm mục."), field="book")
    if not isinstance(entry_number, int) or entry_number < 1 or entry_number > 100_000:
        raise ValidationFailed(_("Số thứ tự mục phải là số dương."), field="entry_number")
    if Entry.objects.filter(book_id=page.book_id, entry_number=entry_number).exists():
        raise Conflict(
            format_lazy(_("Mục số {n} đã được đánh dấu trong sổ này."), n=entry_number),
            field="entry_number",
        )
    entry = Entry.objects.create(
        book_id=page.book_id,
        scope_unit_id=page.scope_unit_id,
        page=page,
        entry_number=entry_number,
        region=box,
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="digitization.entry",
        object_id=entry.pk,
        after={"page": page.pk, "entry_number": entry_number, "region": box},
    )
    if ocr_enabled():
        ENTRY_PREFILL.enqueue_on_commit(entry.pk)
    return entry


@transaction.atomic
def entries_split(*, actor: Actor, page: PageImage, first_number: int, count: int) -> list[Entry]:
    """Mark ``count`` entries stacked evenly down ``page``, numbered from ``first_number``
    (the usual layout of a register page; boxes can be drawn one by one instead)."""
    if not 1 <= count <= 20:
        raise ValidationFailed(_("Số mục trên một trang phải từ 1 đến 20."), field="count")
    height = 1 / count
    return [
        entry_mark(
            actor=actor,
            page=page,
            entry_number=first_number + i,
            region={"x": 0, "y": round(i * height, 4), "w": 1, "h": round(height, 4) - 0.0001},
        )
        for i in range(count)
    ]


@transaction.atomic
def entry_unmark(*, actor: Actor, entry: Entry) -> None:
    """Remove a box marked by mistake, while nobody has keyed it."""
    require(actor, KEY)
    check_scope(actor, entry.scope_unit)
    if entry.status != EntryStatus.NEW or entry.keyings.exists():
        raise Conflict(_("Mục đã được nhập liệu, không thể xóa."), field="entry")
    audit_record(
        actor=actor,
        action="delete",
        object_type="digitization.entry",
        object_id=entry.pk,
        before={"page": entry.page_id, "entry_number": entry.entry_number, "region": entry.region},
    )
    entry.delete()


@transaction.atomic
def book_settings_update(
    *,
    actor: Actor,
    book: Book,
    qa_share: float,
    closing_pages: int | None = None,
    closing_entries: int | None = None,
) -> DigitizedBook:
    """Set the share of verified entries re-checked by QA (0.01–1) and the closing totals
    written in the paper book (pages, entries)."""
    from hotich.digitization.access import ARBITRATE

    require(actor, ARBITRATE)
    check_scope(actor, book.scope_unit)
    if not 0.01 <= qa_share <= 1:
        raise ValidationFailed(_("Tỷ lệ kiểm tra phải từ 1% đến 100%."), field="qa_share")
    for name, value in (("closing_pages", closing_pages), ("closing_entries", closing_entries)):
        if value is not None and not 0 <= value <= 100_000:
            raise ValidationFailed(_("Tổng số ở trang khóa sổ không hợp lệ."), field=name)
    state = digitized_book_for(book)
    state.qa_share = qa_share
    state.closing_pages = closing_pages
    state.closing_entries = closing_entries
    state.save(update_fields=["qa_share", "closing_pages", "closing_entries"])
    audit_record(
        actor=actor,
        action="update",
        object_type="digitization.book",
        object_id=book.pk,
        detail={
            "qa_share": qa_share,
            "closing_pages": closing_pages,
            "closing_entries": closing_entries,
        },
    )
    return state
