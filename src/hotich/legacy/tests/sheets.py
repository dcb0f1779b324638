"""Small legacy spreadsheets for the tests and the benchmark, built in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from hotich.legacy import codec

BIRTH_HEADERS = [
    "Số đăng ký",
    "Ngày đăng ký",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Nơi sinh",
    "Dân tộc",
    "Họ tên cha",
    "Năm sinh cha",
    "Họ tên mẹ",
    "Năm sinh mẹ",
]
BIRTH_ROWS = [
    ["1", "05/03/1985", "Nguyễn Văn Đức", "Nam", "01/03/1985", "Xã Nghi Phú", "Kinh",
     "Nguyễn Văn Hùng", "1960", "Trần Thị Hằng", "1962"],
    ["2", "12/03/1985", "Lê Thị Ánh", "Nữ", "1985", "Xã Nghi Phú", "Kinh",
     "Lê Văn Lộc", "1958", "Phạm Thị Hương", "1961"],
    ["3", "1985", "Hồ Quỳnh Như", "Nữ", "02/1985", "Thành phố Vinh", "Thái",
     "", "", "Hồ Thị Yến", "1965"],
]  # fmt: skip


def birth_rows(count: int) -> list[list[str]]:
    """``count`` birth rows (entry numbers 1..count), cycling over the three above."""
    rows = []
    for n in range(count):
        row = list(BIRTH_ROWS[n % len(BIRTH_ROWS)])
        row[0] = str(n + 1)
        rows.append(row)
    return rows


def csv_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[str]], encoding: str = "unicode"
) -> bytes:
    """A CSV as an old program wrote it: glyphs of ``encoding`` as cp1252 single bytes (TCVN3,
    VNI), ASCII (VIQR) or UTF-8 (unicode)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([codec.encode(h, encoding) for h in headers])
    for row in rows:
        writer.writerow([codec.encode(c, encoding) for c in row])
    text = out.getvalue()
    return text.encode("utf-8") if encoding == "unicode" else text.encode("cp1252")


def xlsx_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[str]], encoding: str = "unicode"
) -> bytes:
    """An xlsx whose cells hold the glyph text of ``encoding`` (as a .VnTime/VNI font sheet)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([codec.encode(h, encoding) for h in headers])
    for row in rows:
        sheet.append([codec.encode(c, encoding) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
