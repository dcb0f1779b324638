"""Render an outgoing document to an A4 PDF/A with WeasyPrint, laid out as Decree 30/2020/NĐ-CP
sets an administrative document: the agency and the number top left, the national name and
motto top right, the place and date, the type and the subject (for a công văn, ``V/v …`` under
the number), the body, the recipients and the signature block; and a QR code pointing to
``/verify/<code>``. The fonts (Noto Serif, DejaVu Serif) carry every Vietnamese glyph and are
embedded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.core.text import lower_first, vn_long_date
from hotich.documents.vocabulary import DocType
from hotich.signing.services import verify_url


def authority_lines(unit: Any, body_name: str = "ỦY BAN NHÂN DÂN") -> list[str]:
    """``ỦY BAN NHÂN DÂN`` (or the issuing body, ``HỘI ĐỒNG NHÂN DÂN``) then the unit (``XÃ QUẾ
    PHONG``); the parent province above a commune is named by the superior-agency line the
    decree allows, so it goes first."""
    lines = []
    if unit.parent is not None:
        lines.append(f"UBND {unit.parent.name}".upper())
    lines.append(f"{body_name} {lower_first(unit.name)}".upper())
    return lines


@dataclass(frozen=True)
class Layout:
    unit: Any
    doc_type: str
    number: str
    title: str
    body: str
    dated: dt.date
    recipients: list[str]
    signer_title: str
    signer_name: str
    verify_code: str
    #: the issuing body's name (the People's Committee unless another body issues)
    body_name: str = "ỦY BAN NHÂN DÂN"


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def render_html(layout: Layout) -> str:
    url = verify_url(layout.verify_code)
    is_letter = layout.doc_type == DocType.OFFICIAL_LETTER
    return render_to_string(
        "documents/pdf/document.html",
        {
            "d": layout,
            "authority_lines": authority_lines(layout.unit, layout.body_name),
            "place": str(getattr(layout.unit, "short_name", "") or layout.unit.name),
            "date_long": vn_long_date(layout.dated),
            "type_label": "" if is_letter else str(DocType(layout.doc_type).label).upper(),
            "is_letter": is_letter,
            "paragraphs": paragraphs(layout.body),
            "verify_url": url,
            "qr_data_uri": qr_data_uri(url),
        },
    )


def render_pdf(layout: Layout) -> bytes:
    return html_to_pdf(render_html(layout))
