"""Reading legacy spreadsheets (xlsx, xls, csv) into rows of decoded text.

The file is read by :func:`hotich.core.spreadsheets.read_sheet` (format by magic bytes, limits
on size, unpacked size and rows checked while reading). Each column's encoding is detected on
all its cells together and the cells are decoded to NFC Unicode (see :mod:`hotich.legacy.codec`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed
from hotich.core.spreadsheets import FORMATS, read_sheet
from hotich.legacy import codec

MAX_ROWS = 20_000
MAX_CELL = 1000


@dataclass
class Table:
    file_format: str
    headers: list[str]
    rows: list[list[str]]
    encodings: list[str]
    #: the 1-based row number in the file of each data row
    row_numbers: list[int]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)[:MAX_CELL]


def _legacy_text(content: bytes) -> str:
    """A CSV's bytes as text, whatever the legacy encoding (see :mod:`hotich.legacy.codec`)."""
    text = codec.bytes_to_text(content)
    if "\x00" in text:
        raise unknown_encoding()
    return text


def unknown_encoding(column: str = "") -> ValidationFailed:
    if column:
        return ValidationFailed(
            format_lazy(
                _(
                    "Không nhận ra bảng mã chữ của cột “{column}” (không phải Unicode, TCVN3, "
                    "VNI hay VIQR)."
                ),
                column=column[:60],
            ),
            field="file",
            code="unknown_encoding",
        )
    return ValidationFailed(
        _("Không nhận ra bảng mã chữ của tệp (không phải Unicode, TCVN3, VNI hay VIQR)."),
        field="file",
        code="unknown_encoding",
    )


def read_table(name: str, content: bytes) -> Table:
    """The first sheet of the file: its header row and data rows, decoded, as text."""
    sheet = read_sheet(content, name=name, formats=FORMATS, max_rows=MAX_ROWS, decode=_legacy_text)
    numbered = [(n, [_cell_text(v) for v in row]) for n, row in sheet.rows]
    numbered = [(n, row) for n, row in numbered if any(c.strip() for c in row)]
    header_at = _header_index(numbered)
    raw = [row for _n, row in numbered[header_at:]]
    numbers = [n for n, _row in numbered[header_at + 1 :]]
    if len(raw) < 2:
        raise ValidationFailed(
            _("Tệp không có dữ liệu: cần một dòng tiêu đề và ít nhất một dòng."), field="file"
        )
    width = max(len(row) for row in raw)
    grid = [row + [""] * (width - len(row)) for row in raw]
    headers_raw, body = grid[0], grid[1:]
    encodings: list[str] = []
    columns: list[list[str]] = []
    for index in range(width):
        cells = [row[index] for row in body]
        encoding = codec.detect_many([headers_raw[index], *cells])
        decoded = [codec.decode(cell, encoding).strip() for cell in cells]
        if codec.unreadable(" ".join(decoded)):
            raise unknown_encoding(codec.decode(headers_raw[index], encoding) or str(index + 1))
        encodings.append(encoding)
        columns.append(decoded)
    headers = [
        codec.decode(h, enc).strip() or f"#{i + 1}"
        for i, (h, enc) in enumerate(zip(headers_raw, encodings, strict=True))
    ]
    rows = [[columns[c][r] for c in range(width)] for r in range(len(body))]
    return Table(
        file_format=sheet.file_format,
        headers=headers,
        rows=rows,
        encodings=encodings,
        row_numbers=numbers,
    )


def _header_index(numbered: list[tuple[int, list[str]]]) -> int:
    """The header row: the first of the first rows that fills at least half the table's width
    (title rows above it, such as ``SỔ ĐĂNG KÝ KHAI SINH NĂM 1985``, fill one or two cells)."""
    head = numbered[:15]
    if not head:
        return 0
    width = max(sum(1 for c in row if c.strip()) for _n, row in head)
    for index, (_n, row) in enumerate(head):
        filled = sum(1 for c in row if c.strip())
        if filled >= 2 and filled * 2 >= width:
            return index
    return 0
