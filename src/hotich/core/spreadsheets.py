"""Reading an uploaded spreadsheet (xlsx, xls or csv) with its limits checked while reading.

Every spreadsheet the platform takes from a user goes through :func:`read_sheet`, so a hostile
file costs the worker as little as a refused one: the size first, then for xlsx the unpacked size
the zip declares (Python's zip reader never returns more than a member declares), and the row
count while the rows stream, so a 150 KB workbook of a million rows is refused after the first
rows over the limit instead of after reading them all. The format is told by the file's magic
bytes, not its name; a name that claims another format is refused.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from hotich.core.errors import ValidationFailed

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_COLUMNS = 80

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMATS = ("xlsx", "xls", "csv")
EXTENSIONS = {"xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls", "csv": "csv", "txt": "csv"}

#: one data row: its 1-based number in the file and its cells (trailing empty cells dropped)
Row = tuple[int, list[Any]]


@dataclass(frozen=True)
class Sheet:
    file_format: str
    #: the rows holding at least one value, in file order (blank rows are left out)
    rows: list[Row]


@dataclass(frozen=True)
class RowError:
    """One refused row of an imported spreadsheet: its number, the column (or field) at fault
    and the reason."""

    row: int
    field: str
    message: str


class RowsRefused(ValidationFailed):
    """A spreadsheet with errors in some rows; ``errors`` lists each, nothing was saved.
    ``summary`` is the message naming the count and the first error (``{n}``, ``{row}``,
    ``{field}``, ``{msg}``)."""

    def __init__(self, errors: list[RowError], summary: StrPromise):
        first = errors[0]
        super().__init__(
            format_lazy(
                summary, n=len(errors), row=first.row, field=first.field, msg=first.message
            ),
            field="file",
        )
        self.errors = errors


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


grouped = lazy(_grouped, str)


def too_many_rows(limit: int, field: str = "file") -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("Tệp có hơn {n} dòng; hãy chia thành nhiều tệp nhỏ hơn."), n=grouped(limit)),
        field=field,
        code="too_many_rows",
    )


def _corrupt(kind: str, field: str) -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("Không đọc được tệp {kind}: tệp hỏng hoặc không đúng định dạng."), kind=kind),
        field=field,
    )


def sniff_format(
    name: str, content: bytes, formats: Collection[str] = FORMATS, field: str = "file"
) -> str:
    """``xlsx``, ``xls`` or ``csv`` by the magic bytes, one of ``formats``; the name's extension
    must not contradict it."""
    if content.startswith(XLSX_MAGIC):
        found = "xlsx"
    elif content.startswith(XLS_MAGIC):
        found = "xls"
    else:
        found = "csv"
    allowed = ", ".join(formats)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSIONS.get(ext)
    if ext and (claimed is None or claimed not in formats):
        raise ValidationFailed(
            format_lazy(
                _("Tệp .{ext} không được hỗ trợ; chỉ nhận: {formats}."),
                ext=ext[:10],
                formats=allowed,
            ),
            field=field,
        )
    if claimed is not None and claimed != found:
        raise ValidationFailed(
            format_lazy(
                _("Tệp mang đuôi .{ext} nhưng nội dung không phải {ext} (đuôi tệp không đúng)."),
                ext=ext,
            ),
            field=field,
        )
    if found not in formats:
        raise ValidationFailed(
            format_lazy(_("Tệp không phải bảng tính {formats}."), formats=allowed), field=field
        )
    return found


def _utf8(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            _("Tệp CSV không phải chữ UTF-8; hãy lưu lại ở UTF-8."), field="file"
        ) from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _collect(
    rows: Iterable[Iterable[Any]], max_rows: int, max_columns: int, field: str
) -> list[Row]:
    """The rows holding a value, each cut to ``max_columns`` and its trailing blanks; refuses as
    soon as the file goes past ``max_rows`` rows (blank ones count: they are read too)."""
    out: list[Row] = []
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise too_many_rows(max_rows, field)
        cells = list(row)[:max_columns]
        while cells and _blank(cells[-1]):
            cells.pop()
        if cells:
            out.append((number, cells))
    return out


class _UnsizedSheet(ReadOnlyWorksheet):
    """A streamed sheet that ignores the size it declares: every row is read and counted, and a
    sheet without one is not read through once just to size it."""

    def _get_size(self) -> None:
        return None


def _read_xlsx(
    content: bytes,
    sheet: str | None,
    max_rows: int,
    max_columns: int,
    max_unpacked: int,
    field: str,
) -> list[Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            members = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _corrupt("xlsx", field) from None
    if unpacked > max_unpacked:
        raise ValidationFailed(
            _("Tệp xlsx giải nén quá lớn (nghi tệp nén độc hại), không nhận."), field=field
        )
    if "xl/workbook.xml" not in members:
        raise _corrupt("xlsx", field)
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        # load_workbook less its worksheets step, which reads every row of a sheet that does
        # not declare its size before giving the first
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = {
            entry.name: rel.target
            for entry, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        }
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise _corrupt("xlsx", field) from None
    try:
        if sheet is None:
            if not sheets:
                raise _corrupt("xlsx", field)
            sheet = next(iter(sheets))
        elif sheet not in sheets:
            raise ValidationFailed(
                format_lazy(_("Bảng tính không có trang “{sheet}”."), sheet=sheet), field=field
            )
        worksheet = _UnsizedSheet(reader.wb, sheet, sheets[sheet], reader.shared_strings)
        rows = worksheet.iter_rows(max_col=max_columns, values_only=True)
        return _collect(rows, max_rows, max_columns, field)
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - a broken sheet fails while it streams
        raise _corrupt("xlsx", field) from None
    finally:
        reader.archive.close()


def _read_xls(content: bytes, max_rows: int, max_columns: int, field: str) -> list[Row]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
        if sheet.nrows > max_rows:
            raise too_many_rows(max_rows, field)

        def cells(r: int) -> list[Any]:
            out: list[Any] = []
            for c in range(min(sheet.ncols, max_columns)):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    out.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    out.append(cell.value)
            return out

        return _collect((cells(r) for r in range(sheet.nrows)), max_rows, max_columns, field)
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - xlrd raises many kinds on a broken file
        raise _corrupt("xls", field) from None


def _read_csv(
    content: bytes, decode: Callable[[bytes], str], max_rows: int, max_columns: int, field: str
) -> list[Row]:
    text = decode(content)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        return _collect(csv.reader(io.StringIO(text), dialect), max_rows, max_columns, field)
    except csv.Error:
        raise _corrupt("csv", field) from None


def read_sheet(
    source: bytes | Path,
    *,
    max_rows: int,
    name: str = "",
    formats: Collection[str] = ("xlsx",),
    sheet: str | None = None,
    max_columns: int = MAX_COLUMNS,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED,
    decode: Callable[[bytes], str] = _utf8,
    field: str = "file",
) -> Sheet:
    """The rows of one sheet (the first, or the one named ``sheet``; csv and xls: the first)
    of an uploaded file, or :class:`ValidationFailed` saying why not, with a clear reason for
    an empty, oversized, corrupt or mislabelled file. ``max_rows`` counts every row of the file
    up to the last one read, the header and blank rows included. Cells keep their types (text,
    numbers, dates); csv text is read with ``decode`` (UTF-8 unless told)."""
    if isinstance(source, Path):
        name = name or source.name
        try:
            if source.stat().st_size > max_bytes:
                raise _too_big(max_bytes, field)
            content = source.read_bytes()
        except OSError:
            raise ValidationFailed(
                format_lazy(_("Không đọc được tệp {name}."), name=source.name), field=field
            ) from None
    else:
        content = source
    if not content:
        raise ValidationFailed(_("Tệp rỗng."), field=field)
    if len(content) > max_bytes:
        raise _too_big(max_bytes, field)
    file_format = sniff_format(name, content, formats, field)
    if file_format == "xlsx":
        rows = _read_xlsx(content, sheet, max_rows, max_columns, max_unpacked, field)
    elif file_format == "xls":
        rows = _read_xls(content, max_rows, max_columns, field)
    else:
        rows = _read_csv(content, decode, max_rows, max_columns, field)
    return Sheet(file_format=file_format, rows=rows)


def _too_big(max_bytes: int, field: str) -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("Tệp quá lớn (tối đa {mb} MB)."), mb=max_bytes // (1024 * 1024)),
        field=field,
    )
