"""Reading legacy spreadsheets (xlsx, xls, csv) into rows of decoded text.

The format is told by the file's magic bytes, not its name; a name that claims another format
is refused. Each column's encoding is detected on all its cells together and the cells are
decoded to NFC Unicode (see :mod:`hotich.legacy.codec`). Limits keep a hostile file from
exhausting a worker: size, rows, columns, and for xlsx the unpacked size of the zip.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed
from hotich.legacy import codec

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 80
MAX_CELL = 1000

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMATS = ("xlsx", "xls", "csv")


@dataclass
class Table:
    file_format: str
    headers: list[str]
    rows: list[list[str]]
    encodings: list[str]
    #: the 1-based row number in the file of each data row
    row_numbers: list[int]


def sniff_format(name: str, content: bytes) -> str:
    """``xlsx``, ``xls`` or ``csv`` by the magic bytes; the extension must not contradict it."""
    if content.startswith(XLSX_MAGIC):
        found = "xlsx"
    elif content.startswith(XLS_MAGIC):
        found = "xls"
    else:
        found = "csv"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = {"xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls", "csv": "csv", "txt": "csv"}.get(ext)
    if ext and claimed is None:
        raise ValidationFailed(
            format_lazy(
                _("Tệp .{ext} không được hỗ trợ; chỉ nhận xlsx, xls hoặc csv."), ext=ext[:10]
            ),
            field="file",
        )
    if claimed is not None and claimed != found:
        raise ValidationFailed(
            format_lazy(
                _("Tệp mang đuôi .{ext} nhưng nội dung không phải {ext} (đuôi tệp không đúng)."),
                ext=ext,
            ),
            field="file",
        )
    return found


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


def _corrupt(kind: str) -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("Không đọc được tệp {kind}: tệp hỏng hoặc không đúng định dạng."), kind=kind),
        field="file",
    )


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED:
                raise ValidationFailed(
                    _("Tệp xlsx giải nén quá lớn (nghi tệp nén độc hại), không nhận."),
                    field="file",
                )
            if "xl/workbook.xml" not in archive.namelist():
                raise _corrupt("xlsx")
    except zipfile.BadZipFile:
        raise _corrupt("xlsx") from None
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise _corrupt("xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _read_xls(content: bytes) -> list[list[str]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
        rows = []
        for r in range(min(sheet.nrows, MAX_ROWS + 2)):
            cells = []
            for c in range(min(sheet.ncols, MAX_COLUMNS)):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value: object = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                else:
                    value = cell.value
                cells.append(_cell_text(value))
            rows.append(cells)
        return rows
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - xlrd raises many kinds on a broken file
        raise _corrupt("xls") from None


def _read_csv(content: bytes) -> list[list[str]]:
    text = codec.bytes_to_text(content)
    if "\x00" in text:
        raise unknown_encoding()
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for row in reader:
            rows.append([cell[:MAX_CELL] for cell in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise _corrupt("csv") from None
    return rows


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
    if not content:
        raise ValidationFailed(_("Tệp rỗng."), field="file")
    if len(content) > MAX_BYTES:
        raise ValidationFailed(
            format_lazy(_("Tệp quá lớn (tối đa {mb} MB)."), mb=MAX_BYTES // (1024 * 1024)),
            field="file",
        )
    file_format = sniff_format(name, content)
    reader = {"xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv}[file_format]
    numbered = [
        (n, row) for n, row in enumerate(reader(content), start=1) if any(c.strip() for c in row)
    ]
    header_at = _header_index(numbered)
    raw = [row for _n, row in numbered[header_at:]]
    numbers = [n for n, _row in numbered[header_at + 1 :]]
    if len(raw) < 2:
        raise ValidationFailed(
            _("Tệp không có dữ liệu: cần một dòng tiêu đề và ít nhất một dòng."), field="file"
        )
    if len(raw) > MAX_ROWS + 1:
        raise ValidationFailed(
            format_lazy(_("Tệp có quá nhiều dòng (tối đa {n})."), n=MAX_ROWS), field="file"
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
        file_format=file_format,
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
