"""The one reader of uploaded spreadsheets: limits checked before and while reading, and a clear
refusal for every kind of broken file."""

from __future__ import annotations

import datetime as dt
import io
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from hotich.core.errors import ValidationFailed
from hotich.core.spreadsheets import read_sheet
from hotich.core.tests.sheets import bomb_xlsx, long_xlsx

XLS = Path(__file__).parents[2] / "legacy" / "tests" / "fixtures" / "so-khai-sinh-1985-tcvn3.xls"


def xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(content: bytes | Path, **options: object) -> str:
    with pytest.raises(ValidationFailed) as caught:
        read_sheet(content, **{"max_rows": 5000, **options})  # type: ignore[arg-type]
    return caught.value.in_language("vi")


def test_a_million_rows_in_150_kb_are_refused_after_the_limit_not_after_reading_them() -> None:
    content = long_xlsx(["Mã", "Tên"], ["1.1"], 1_000_000)
    assert len(content) < 200_000
    start = time.perf_counter()
    message = refusal(content)
    seconds = time.perf_counter() - start
    assert message == "Tệp có hơn 5.000 dòng; hãy chia thành nhiều tệp nhỏ hơn."
    assert seconds < 3, seconds
    tracemalloc.start()
    try:
        refusal(content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, peak


def test_the_row_limit_is_in_the_users_language() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_sheet(long_xlsx(["Mã"], ["1.1"], 6000), max_rows=5000)
    assert caught.value.code == "too_many_rows"
    assert caught.value.in_language("en") == (
        "The file has more than 5,000 rows; split it into smaller files."
    )


def test_blank_rows_count_toward_the_limit() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Mã"
    sheet["A100000"] = "1.1"
    buffer = io.BytesIO()
    book.save(buffer)
    assert "hơn 5.000 dòng" in refusal(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_unpacking() -> None:
    content = bomb_xlsx(150 * 1024 * 1024)
    assert len(content) < 200_000
    start = time.perf_counter()
    assert "giải nén quá lớn" in refusal(content)
    assert time.perf_counter() - start < 1


def test_a_member_larger_than_it_declares_is_refused_as_corrupt() -> None:
    """A zip whose headers understate a member's size: Python's reader stops at the declared
    size, so the sheet ends early and the file is refused as broken."""
    content = bytearray(bomb_xlsx(200 * 1024 * 1024))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = content.find(signature)
        while content[at + name_at : at + name_at + len(name)] != name:
            at = content.find(signature, at + 1)
        content[at + size_at : at + size_at + 4] = struct.pack("<I", 1000)
    assert "tệp hỏng" in refusal(bytes(content))


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04garbage",  # not a zip at all
        b"PK\x03\x04" + b"\x00" * 100_000,
    ],
)
def test_a_broken_zip_is_refused(content: bytes) -> None:
    assert refusal(content) == "Không đọc được tệp xlsx: tệp hỏng hoặc không đúng định dạng."


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "tệp hỏng" in refusal(buffer.getvalue())


def test_a_workbook_missing_its_sheet_part_is_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Mã"], ["1.1"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, source.read(info))
    assert "tệp hỏng" in refusal(buffer.getvalue())


def test_a_broken_sheet_is_refused_while_it_streams() -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Mã"], ["1.1"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(info, data)
    assert "tệp hỏng" in refusal(buffer.getvalue())


def test_size_empty_and_format() -> None:
    assert refusal(b"") == "Tệp rỗng."
    assert refusal(b"x" * 2000, max_bytes=1000) == "Tệp quá lớn (tối đa 0 MB)."
    assert refusal(b"Ma,Ten\n1,A\n") == "Tệp không phải bảng tính xlsx."
    assert refusal(xlsx([["Mã"]]), name="so.csv") == "Tệp .csv không được hỗ trợ; chỉ nhận: xlsx."
    assert "đuôi tệp không đúng" in refusal(b"Ma,Ten\n", name="so.xlsx", formats=("xlsx", "csv"))


def test_a_file_on_disk_is_checked_for_size_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "so-1.xlsx"
    path.write_bytes(xlsx([["Mã"], ["1.1"]]))
    assert read_sheet(path, max_rows=10).rows == [(1, ["Mã"]), (2, ["1.1"])]
    assert "Tệp quá lớn" in refusal(path, max_bytes=100)
    assert refusal(tmp_path / "missing.xlsx") == "Không đọc được tệp missing.xlsx."


def test_rows_keep_their_numbers_and_types_without_blank_rows_or_trailing_cells() -> None:
    content = xlsx(
        [
            ["Mã", "Ngày", None, None],
            [None, None],
            ["1.1", dt.datetime(1985, 3, 5), 2, "  "],
            ["", " "],
            ["1.2", None, None, "x"],
        ]
    )
    sheet = read_sheet(content, max_rows=10)
    assert sheet.file_format == "xlsx"
    assert sheet.rows == [
        (1, ["Mã", "Ngày"]),
        (3, ["1.1", dt.datetime(1985, 3, 5), 2]),
        (5, ["1.2", None, None, "x"]),
    ]
    assert read_sheet(content, max_rows=10, max_columns=1).rows == [
        (1, ["Mã"]),
        (3, ["1.1"]),
        (5, ["1.2"]),
    ]


def test_a_named_sheet() -> None:
    content = xlsx([["so_dang_ky"], [1]], title="Muc")
    assert read_sheet(content, max_rows=10, sheet="Muc").rows == [(1, ["so_dang_ky"]), (2, [1])]
    assert refusal(content, sheet="Truong") == "Bảng tính không có trang “Truong”."


def test_csv_rows_limit_and_encoding() -> None:
    content = "Mã;Tên\n1.1;A\n\n1.2;B\n".encode()
    sheet = read_sheet(content, max_rows=10, formats=("csv",))
    assert sheet.rows == [(1, ["Mã", "Tên"]), (2, ["1.1", "A"]), (4, ["1.2", "B"])]
    assert "hơn 3 dòng" in refusal(content, max_rows=3, formats=("csv",))
    assert "UTF-8" in refusal("Mã,Tên\n".encode("latin-1"), formats=("csv",))


def test_xls_rows_and_limit() -> None:
    sheet = read_sheet(XLS, max_rows=100, formats=("xls",))
    assert sheet.file_format == "xls" and len(sheet.rows) >= 3
    assert "hơn 2 dòng" in refusal(XLS, max_rows=2, formats=("xls",))
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "tệp hỏng" in refusal(broken, formats=("xls",))
