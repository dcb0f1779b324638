"""Importing page files into a book: storage, hashes, duplicates, derivatives, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage

from hotich.core.errors import NotFound, ValidationFailed
from hotich.digitization import services
from hotich.digitization.models import PageImage, ScanBatch
from hotich.digitization.selectors import book_reconcile
from hotich.digitization.tests.conftest import page_bytes

pytestmark = pytest.mark.django_db


def test_import_stores_master_untouched_and_makes_derivatives(book: Any, people: Any) -> None:
    data = page_bytes(1)
    result = services.page_import(actor=people["clerk1"], book=book, name="p1.png", data=data)
    assert not result.duplicate and len(result.pages) == 1
    page = PageImage.objects.get()
    assert page.number == 1 and page.kind == "png"
    with default_storage.open(page.master_name, "rb") as fh:
        assert fh.read() == data
    import hashlib

    assert page.sha256 == hashlib.sha256(data).hexdigest()
    assert page.derivatives == "ready"  # tasks run eagerly in tests
    assert default_storage.exists(page.web_name) and default_storage.exists(page.thumb_name)


def test_import_replaces_the_partial_master_a_killed_run_left(
    book: Any, people: Any, tmp_path: Any
) -> None:
    import hashlib

    from hotich.archive.services import archive_fixity
    from hotich.digitization.services.pages import master_path

    data = page_bytes(11)
    path = master_path(hashlib.sha256(data).hexdigest(), "png")
    partial = tmp_path / "files" / path
    partial.parent.mkdir(parents=True)
    partial.write_bytes(data[: len(data) // 3])
    result = services.page_import(actor=people["clerk1"], book=book, name="p1.png", data=data)
    assert len(result.pages) == 1 and result.pages[0].master_name == path
    assert partial.read_bytes() == data
    assert archive_fixity().ok


def test_reimporting_the_same_file_does_nothing(book: Any, people: Any) -> None:
    data = page_bytes(2)
    services.page_import(actor=people["clerk1"], book=book, name="a.png", data=data)
    again = services.page_import(actor=people["clerk2"], book=book, name="b.png", data=data)
    assert again.duplicate and again.pages == []
    assert PageImage.objects.count() == 1


def test_multipage_tiff_and_batch_counts(book: Any, people: Any) -> None:
    import io

    from PIL import Image

    frames = [Image.open(io.BytesIO(page_bytes(s))) for s in (3, 4, 5)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    batch = services.batch_start(actor=people["clerk1"], book=book, files_total=3)
    services.page_import(
        actor=people["clerk1"], book=book, name="book.tif", data=buf.getvalue(), batch=batch
    )
    services.page_import(
        actor=people["clerk1"], book=book, name="book2.tif", data=buf.getvalue(), batch=batch
    )
    with pytest.raises(ValidationFailed):
        services.page_import(
            actor=people["clerk1"], book=book, name="bad.png", data=b"nope", batch=batch
        )
    batch = ScanBatch.objects.get(pk=batch.pk)
    assert (batch.files_done, batch.pages_added, batch.duplicates) == (3, 3, 1)
    assert batch.errors and "bad.png" in batch.errors[0]["reason"]
    assert list(PageImage.objects.values_list("number", "source_page")) == [(1, 0), (2, 1), (3, 2)]


def test_refused_file_keeps_nothing(book: Any, people: Any) -> None:
    data = page_bytes(6)
    with pytest.raises(ValidationFailed):
        services.page_import(actor=people["clerk1"], book=book, name="x.png", data=data[:-30])
    assert PageImage.objects.count() == 0
    assert not default_storage.exists("digitization/masters")


def test_other_commune_cannot_import(book: Any, people: Any) -> None:
    with pytest.raises(NotFound):
        services.page_import(actor=people["outsider"], book=book, name="p.png", data=page_bytes(7))


def test_reconciliation_flags_missing_pages_and_entries(book: Any, people: Any) -> None:
    clerk = people["clerk1"]
    pages = [
        services.page_import(actor=clerk, book=book, name=f"{i}.png", data=page_bytes(i)).pages[0]
        for i in (10, 11)
    ]
    services.entries_split(actor=clerk, page=pages[0], first_number=1, count=2)
    services.entry_mark(
        actor=clerk, page=pages[1], entry_number=4, region={"x": 0, "y": 0, "w": 1, "h": 0.5}
    )
    services.book_settings_update(
        actor=people["reviewer"], book=book, qa_share=0.5, closing_pages=3, closing_entries=4
    )
    check = book_reconcile(book)
    assert check.missing_pages == 1 and check.missing_entries == [3]
    assert not check.ok


def test_pdf_pages_are_rendered(book: Any, people: Any) -> None:
    from hotich.digitization.tests.test_intake import _pdf

    result = services.page_import(actor=people["clerk1"], book=book, name="s.pdf", data=_pdf())
    page = result.pages[0]
    page.refresh_from_db()
    assert page.kind == "pdf" and page.derivatives == "ready" and page.web_width > 100
