"""Importing a book in the national exchange format (the shape ``export.book_exchange_files``
writes: ``so-*.xlsx`` with one row per entry and ``pdf/<entry>.pdf`` per entry, optionally
inside a BagIt bag).

Everything is checked first (columns, every row's values, every PDF), so a refused import keeps
nothing; then each PDF becomes a page, the entry covers it, and the row's values are the
entry's agreed values (status ``verified``: the book still goes through QA before publishing).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.spreadsheets import read_sheet
from hotich.digitization.access import ARBITRATE, check_scope
from hotich.digitization.fields import clean_values, exchange_value, fields_for
from hotich.digitization.intake import check_upload
from hotich.digitization.models import Entry, EntryStatus
from hotich.digitization.services.pages import entry_mark, page_import

if TYPE_CHECKING:
    from hotich.registry.models import Book

REQUIRED_COLUMNS = ("so_dang_ky", "tep_pdf")
#: rows of the spreadsheet, the header included
MAX_ROWS = 20_000


def _read_rows(folder: Path, book: Book) -> list[tuple[int, dict[str, Any], Path]]:
    sheets = sorted(folder.glob("so-*.xlsx"))
    if len(sheets) != 1:
        raise ValidationFailed(
            _("Thư mục phải có đúng một bảng tính so-*.xlsx."), field="directory"
        )
    rows = read_sheet(sheets[0], sheet="Muc", max_rows=MAX_ROWS, field="directory").rows
    if not rows:
        raise ValidationFailed(_("Bảng tính không có dòng nào."), field="directory")
    (_number, header_row), body = rows[0], rows[1:]
    header = [str(h or "").strip() for h in header_row]
    names = {f.name for f in fields_for(book.event_type)}
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            format_lazy(_("Bảng tính thiếu cột: {columns}."), columns=", ".join(missing)),
            field="directory",
        )
    out = []
    seen: set[int] = set()
    for line, row in body:
        cells = dict(zip(header, row, strict=False))
        try:
            number = int(str(cells["so_dang_ky"]).strip())
            if number < 1 or number in seen:
                raise ValueError
        except (TypeError, ValueError):
            raise ValidationFailed(
                format_lazy(_("Dòng {line}: số đăng ký không hợp lệ hoặc trùng."), line=line),
                field="so_dang_ky",
            ) from None
        seen.add(number)
        raw = {name: exchange_value(cells.get(name)) for name in names if name in header}
        try:
            values = clean_values(book.event_type, raw)
        except DomainError as exc:
            raise ValidationFailed(
                format_lazy(_("Dòng {line}: {reason}"), line=line, reason=exc.message),
                field=exc.field,
            ) from exc
        pdf = (folder / str(cells["tep_pdf"] or "")).resolve()
        if folder.resolve() not in pdf.parents or not pdf.is_file():
            raise ValidationFailed(
                format_lazy(_("Dòng {line}: không có tệp PDF của mục."), line=line),
                field="tep_pdf",
            )
        out.append((number, values, pdf))
    if not out:
        raise ValidationFailed(_("Bảng tính không có dòng nào."), field="directory")
    return out


def book_import_exchange(*, actor: Actor, book: Book, directory: Path | str) -> int:
    """Import the entries of ``directory`` into ``book``; all or nothing. Returns the count."""
    require(actor, ARBITRATE)
    check_scope(actor, book.scope_unit)
    folder = Path(directory)
    if (folder / "bagit.txt").exists() and (folder / "data").is_dir():
        folder = folder / "data"
    rows = _read_rows(folder, book)
    taken = set(
        Entry.objects.filter(book=book, entry_number__in=[n for n, _v, _p in rows]).values_list(
            "entry_number", flat=True
        )
    )
    if taken:
        raise ValidationFailed(
            format_lazy(
                _("Sổ đã có các mục số: {numbers}."),
                numbers=", ".join(str(n) for n in sorted(taken)[:10]),
            ),
            field="so_dang_ky",
        )
    for _number, _values, pdf in rows:
        check_upload(pdf.name, pdf.read_bytes())  # refuse before writing anything
    with transaction.atomic():
        for number, values, pdf in rows:
            result = page_import(actor=actor, book=book, name=pdf.name, data=pdf.read_bytes())
            if result.duplicate:
                raise ValidationFailed(
                    format_lazy(_("Tệp {name} đã có trong sổ."), name=pdf.name), field="tep_pdf"
                )
            entry = entry_mark(
                actor=actor,
                page=result.pages[0],
                entry_number=number,
                region={"x": 0, "y": 0, "w": 1, "h": 1},
            )
            Entry.objects.filter(pk=entry.pk).update(values=values, status=EntryStatus.VERIFIED)
        audit_record(
            actor=actor,
            action="bulk",
            object_type="digitization.book",
            object_id=book.pk,
            detail={"action": "import-exchange", "entries": len(rows)},
        )
    return len(rows)
