"""The national exchange format: one spreadsheet row and one PDF per entry."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from hotich.archive.bags import bag_validate
from hotich.digitization import services
from hotich.digitization.export import book_export
from hotich.digitization.tests.conftest import keyed, page_bytes

pytestmark = pytest.mark.django_db


def test_export_rows_and_pdfs(tmp_path: Path, book: Any, people: Any) -> None:
    page = services.page_import(
        actor=people["clerk1"], book=book, name="a.png", data=page_bytes(60, size=(600, 840))
    ).pages[0]
    entries = services.entries_split(actor=people["clerk1"], page=page, first_number=1, count=2)
    values = keyed(registration_date="1985-02", child__full_name="Hồ Thị Xuân")
    for entry in entries:
        services.keying_submit(actor=people["clerk1"], entry=entry, values=values)
        services.keying_submit(actor=people["clerk2"], entry=entry, values=values)
    bag = book_export(book.pk, tmp_path / "bag")
    assert bag_validate(bag) == []
    pdfs = sorted((bag / "data" / "pdf").iterdir())
    assert [p.name for p in pdfs] == ["00001.pdf", "00002.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    sheet = load_workbook(bag / "data" / f"so-{book.pk}.xlsx")["Muc"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 3
    assert rows[1][header.index("child.full_name")] == "Hồ Thị Xuân"
    assert rows[2][header.index("registration_date")] == "1985-02"
    assert rows[1][header.index("tep_pdf")] == "pdf/00001.pdf"


def test_archive_export_book_command(tmp_path: Path, book: Any, people: Any) -> None:
    page = services.page_import(
        actor=people["clerk1"], book=book, name="a.png", data=page_bytes(61)
    ).pages[0]
    services.entries_split(actor=people["clerk1"], page=page, first_number=1, count=1)
    out = io.StringIO()
    call_command("archive", "export-book", str(book.pk), str(tmp_path / "bag"), stdout=out)
    assert bag_validate(tmp_path / "bag") == []
    assert (tmp_path / "bag" / "data" / "pdf" / "00001.pdf").exists()


def test_masters_are_in_the_archive_manifest(book: Any, people: Any) -> None:
    from hotich.archive.services import archive_fixity

    services.page_import(actor=people["clerk1"], book=book, name="a.png", data=page_bytes(62))
    report = archive_fixity(record=False)
    assert report.ok, report.lines()


def _verified_book(book: Any, people: Any, seed: int) -> None:
    page = services.page_import(
        actor=people["clerk1"], book=book, name=f"x{seed}.png", data=page_bytes(seed)
    ).pages[0]
    entries = services.entries_split(actor=people["clerk1"], page=page, first_number=1, count=2)
    values = keyed(registration_date="1985", child__full_name="Vi Văn Thắng", child__sex="!blank")
    for entry in entries:
        services.keying_submit(actor=people["clerk1"], entry=entry, values=values)
        services.keying_submit(actor=people["clerk2"], entry=entry, values=values)


def test_import_the_exchange_shape(tmp_path: Path, book: Any, people: Any, units: Any) -> None:
    from hotich.digitization.models import Entry
    from hotich.registry.tests.factories import historic_book

    _verified_book(book, people, 63)
    bag = book_export(book.pk, tmp_path / "bag")
    other = historic_book(unit=units["b"], year=1986)
    count = services.book_import_exchange(actor=people["reviewer"], book=other, directory=bag)
    assert count == 2
    entries = list(Entry.objects.filter(book=other).order_by("entry_number"))
    assert [e.status for e in entries] == ["verified", "verified"]
    assert entries[0].values["child.full_name"]["v"] == "Vi Văn Thắng"
    assert entries[0].values["child.sex"] == {"v": "", "m": "blank"}
    assert entries[0].page.kind == "pdf"


def test_import_refuses_missing_columns_and_keeps_nothing(
    tmp_path: Path, book: Any, people: Any, units: Any
) -> None:
    from openpyxl import Workbook

    from hotich.core.errors import ValidationFailed
    from hotich.digitization.models import PageImage
    from hotich.registry.tests.factories import historic_book

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Muc"
    sheet.append(["so_dang_ky", "child.full_name"])
    sheet.append([1, "Lý Thị Mai"])
    wb.save(tmp_path / "so-9.xlsx")
    other = historic_book(unit=units["b"], year=1987)
    with pytest.raises(ValidationFailed) as caught:
        services.book_import_exchange(actor=people["reviewer"], book=other, directory=tmp_path)
    assert "tep_pdf" in str(caught.value)
    assert not PageImage.objects.filter(book=other).exists()


def test_import_refuses_a_million_rows_without_reading_them(
    tmp_path: Path, book: Any, people: Any, units: Any
) -> None:
    import time

    from hotich.core.errors import ValidationFailed
    from hotich.core.tests.sheets import long_xlsx
    from hotich.registry.tests.factories import historic_book

    (tmp_path / "so-9.xlsx").write_bytes(
        long_xlsx(["so_dang_ky", "tep_pdf"], [1, "pdf/00001.pdf"], 1_000_000, title="Muc")
    )
    other = historic_book(unit=units["b"], year=1987)
    start = time.perf_counter()
    with pytest.raises(ValidationFailed) as caught:
        services.book_import_exchange(actor=people["reviewer"], book=other, directory=tmp_path)
    assert time.perf_counter() - start < 10
    assert "hơn 20.000 dòng" in caught.value.in_language("vi")


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"PK\x03\x04garbage"])
def test_import_refuses_a_file_that_is_not_a_workbook(
    tmp_path: Path, book: Any, people: Any, units: Any, content: bytes
) -> None:
    from hotich.core.errors import ValidationFailed
    from hotich.registry.tests.factories import historic_book

    (tmp_path / "so-9.xlsx").write_bytes(content)
    other = historic_book(unit=units["b"], year=1987)
    with pytest.raises(ValidationFailed) as caught:
        services.book_import_exchange(actor=people["reviewer"], book=other, directory=tmp_path)
    assert caught.value.field == "directory"
