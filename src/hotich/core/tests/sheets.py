"""Hostile spreadsheets written straight as zip members: a small file holding a huge sheet, and
a zip bomb. Used by the tests and by ``bench/spreadsheet_bench.py``."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_OFFICE}.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def _parts(title: str) -> dict[str, str]:
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheets><sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    return {**PARTS, "xl/workbook.xml": workbook}


def _row(cells: Sequence[object]) -> str:
    inner = "".join(
        f"<c><v>{value}</v></c>"
        if isinstance(value, int)
        else f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'
        for value in cells
    )
    return f"<row>{inner}</row>"


def long_xlsx(
    header: Sequence[str], row: Sequence[object], rows: int, title: str = "Sheet1"
) -> bytes:
    """A valid workbook whose only sheet (named ``title``) has ``header`` then ``rows`` copies of
    ``row``, without declaring its size: one million short rows pack into about 150 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _parts(title).items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
            sheet.write(f"{head}{_row(header)}".encode())
            chunk, rest = divmod(rows, 1000)
            block = (_row(row) * 1000).encode()
            for _ in range(chunk):
                sheet.write(block)
            sheet.write((_row(row) * rest).encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bomb_xlsx(unpacked: int) -> bytes:
    """A well-formed workbook whose sheet member unpacks to ``unpacked`` bytes, nearly all of
    them white space between two tags."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _parts("Sheet1").items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
            tail = b"</sheetData></worksheet>"
            sheet.write(head.encode())
            left = unpacked - len(head) - len(tail)
            block = b" " * (1024 * 1024)
            while left > 0:
                sheet.write(block[:left])
                left -= len(block)
            sheet.write(tail)
    return buffer.getvalue()
