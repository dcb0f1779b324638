"""Render an :class:`ExtractDocument` to an A4 PDF with WeasyPrint.

The fonts are Noto Serif (falling back to DejaVu Serif), which carry every Vietnamese glyph;
WeasyPrint embeds the subsets it uses. The output is PDF/A-2b so that it can be archived and
later signed (PAdES) by the signing context.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string

from hotich.core.pdf import html_to_pdf, stylesheet
from hotich.core.qr import qr_data_uri
from hotich.core.text import vn_long_date
from hotich.registry.extracts.document import ExtractDocument, FieldRow, Kind, Section

STYLESHEET = "registry/extracts/extract.css"


def pair_rows(rows: Iterable[FieldRow]) -> list[list[FieldRow]]:
    """Lines of the form: a full row alone, consecutive ``half`` rows two to a line."""
    lines: list[list[FieldRow]] = []
    for row in rows:
        if row.half and lines and len(lines[-1]) == 1 and lines[-1][0].half:
            lines[-1].append(row)
        else:
            lines.append([row])
    return lines


def authority_lines(authority: str) -> list[str]:
    """The issuing authority as the form's top-left block sets it: ``ỦY BAN NHÂN DÂN`` on its
    own line, then each comma-separated part (``XÃ NGHI PHÚ`` / ``TỈNH NGHỆ AN``)."""
    text = " ".join(authority.split())
    lines: list[str] = []
    for prefix in ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "):
        if text.casefold().startswith(prefix.casefold()):
            lines.append("Ủy ban nhân dân")
            text = text[len(prefix) :]
            break
    lines.extend(part.strip() for part in text.split(",") if part.strip())
    return lines


def template_name(kind: Kind | str) -> str:
    return f"registry/extracts/{Kind(kind).value}.html"


def render_extract_html(doc: ExtractDocument) -> str:
    sections: list[dict[str, Any]] = [
        {"title": s.title, "lines": pair_rows(s.rows)} for s in doc.sections if _shown(s)
    ]
    context = {
        "doc": doc,
        "authority_lines": authority_lines(doc.issuing_authority),
        "sections": sections,
        "issue_date_long": vn_long_date(doc.issue_date),
        "qr_data_uri": qr_data_uri(doc.verify_url),
    }
    return render_to_string(template_name(doc.kind), context)


def render_extract_pdf(doc: ExtractDocument) -> bytes:
    """The PDF bytes of ``doc``."""
    return html_to_pdf(render_extract_html(doc), stylesheets=[stylesheet(STYLESHEET)])


def _shown(section: Section) -> bool:
    return bool(section.rows)
