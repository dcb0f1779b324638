"""The report as a PDF in the form's layout (WeasyPrint), with a QR code to its verify page."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string

from hotich.reporting.civil_status import CivilStatusReport

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def verify_url(code: str) -> str:
    base = str(getattr(settings, "HOTICH_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/verify/{code}"


def _qr_data_uri(url: str) -> str:
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_report_pdf(report: CivilStatusReport, *, verify_code: str, signer: Any) -> bytes:
    from weasyprint import HTML  # late: loading Pango costs time at start-up

    codes = [i.code for i in report.indicators]
    groups: list[tuple[str, int]] = []
    for ind in report.indicators:
        name = str(ind.group)
        if groups and groups[-1][0] == name:
            groups[-1] = (name, groups[-1][1] + 1)
        else:
            groups.append((name, 1))
    url = verify_url(verify_code)
    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": report,
            "groups": groups,
            "rows": [(fig.unit, [fig.values[c] for c in codes]) for fig in report.rows],
            "total": [report.total.values[c] for c in codes],
            "numbers": range(1, len(codes) + 1),
            "verify_url": url,
            "qr": _qr_data_uri(url),
            "signer": signer,
        },
    )
    pdf = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/a-2b")
    assert pdf is not None
    return bytes(pdf)
