"""The national exchange format of a digitized book: one spreadsheet row per entry and one PDF
per entry (the scanned image of the entry, colour JPEG in a PDF, about 100 kB per A4 page).

``book_exchange_files(book_id)`` gives the files by name::

    so-<book id>.xlsx        sheet "Muc": one row per entry; "Truong": field codes and labels;
                             "So": the book
    pdf/<entry number>.pdf   the entry's region of its page image

``book_export(book_id, directory)`` writes them as a BagIt bag (SHA-256 manifest) in
``directory``; it is the exporter registered for ``hotich archive export-book`` (the app's
``ready`` imports this module).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from openpyxl import Workbook
from PIL import Image

from hotich.accounts.actors import Actor
from hotich.archive.bags import bag_write
from hotich.archive.services import register_book_exporter
from hotich.audit.services import audit_record
from hotich.core.errors import NotFound
from hotich.digitization.fields import exchange_text, fields_for
from hotich.digitization.imaging import crop_region
from hotich.digitization.models import Entry
from hotich.digitization.selectors import books_in_scope

if TYPE_CHECKING:
    from hotich.registry.models import Book

A4_WIDTH_INCHES = 8.27


def entry_pdf(entry: Entry) -> bytes:
    """The entry's region of its page's web image as a one-page PDF (JPEG inside)."""
    if not entry.page.web_name or not default_storage.exists(entry.page.web_name):
        raise NotFound(
            _("Trang %(n)d chưa có ảnh hiển thị, chưa xuất được.") % {"n": entry.page.number}
        )
    with default_storage.open(entry.page.web_name, "rb") as fh:
        crop = crop_region(fh.read(), entry.region, pad=0.0)
    with Image.open(io.BytesIO(crop)) as im:
        rgb = im.convert("RGB")
        out = io.BytesIO()
        rgb.save(
            out,
            format="PDF",
            resolution=max(72.0, rgb.width / A4_WIDTH_INCHES),
            quality=80,
            title=f"entry {entry.entry_number}",
        )
    return out.getvalue()


def _book(book_id: int) -> Book:
    book = books_in_scope(None).filter(pk=book_id).first()
    if book is None:
        raise NotFound(_("Không có sổ cũ số %(id)s.") % {"id": book_id})
    return book


def book_exchange_files(book_id: int, *, actor: Actor = None) -> dict[str, bytes]:
    """The book's exchange files: relative name → content."""
    book = _book(book_id)
    fields = fields_for(book.event_type)
    entries = list(Entry.objects.filter(book=book).select_related("page").order_by("entry_number"))
    files: dict[str, bytes] = {}
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Muc"
    sheet.append(
        [
            "so_dang_ky",
            "trang",
            "trang_thai",
            "ban_ghi",
            *[f.name for f in fields],
            "tep_pdf",
            "sha256_pdf",
        ]
    )
    for entry in entries:
        pdf = entry_pdf(entry)
        name = f"pdf/{entry.entry_number:05d}.pdf"
        files[name] = pdf
        sheet.append(
            [
                entry.entry_number,
                entry.page.number,
                entry.status,
                entry.record_id,
                *[exchange_text(entry.values.get(f.name)) for f in fields],
                name,
                hashlib.sha256(pdf).hexdigest(),
            ]
        )
    labels = wb.create_sheet("Truong")
    labels.append(["ma_truong", "ten_truong"])
    for f in fields:
        labels.append([f.name, str(f.label)])
    info = wb.create_sheet("So")
    for key, value in (
        ("so_id", book.pk),
        ("loai_viec", book.event_type),
        ("nam", book.year),
        ("quyen", book.volume),
        ("don_vi_dang_ky", book.unit.name),
        ("so_muc", len(entries)),
    ):
        info.append([key, value])
    buffer = io.BytesIO()
    wb.save(buffer)
    files[f"so-{book.pk}.xlsx"] = buffer.getvalue()
    audit_record(
        actor=actor,
        action="export",
        object_type="digitization.book",
        object_id=book.pk,
        detail={"entries": len(entries), "format": "national-exchange"},
    )
    return files


@register_book_exporter
def book_export(book_id: int, directory: Path | str) -> Path:
    """Write the book's exchange files as a BagIt bag in ``directory`` (empty or new)."""
    files = book_exchange_files(book_id)
    book = _book(book_id)
    return bag_write(
        directory,
        files,
        {
            "Source-Organization": book.unit.name,
            "External-Description": f"{book.get_event_type_display()} {book.year}",
            "External-Identifier": f"hotich-book-{book.pk}",
            "Bag-Group-Identifier": "national-digitization-format",
        },
    )
