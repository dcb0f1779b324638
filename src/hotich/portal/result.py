"""The result PDF of a procedure that does not issue a register extract (e.g. the
confirmation of marital status), with the QR code of its public verification page."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from hotich.portal.models import Dossier


def verify_url(code: str) -> str:
    base = str(getattr(settings, "HOTICH_PUBLIC_URL", "") or "http://127.0.0.1:8000")
    return f"{base.rstrip('/')}/verify/{code}"


def qr_data_uri(text: str) -> str:
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_result_pdf(dossier: Dossier, *, verify_code: str, signer: Any) -> bytes:
    from weasyprint import HTML  # late: loading Pango is slow

    today = timezone.localdate()
    schema = dossier.procedure.form_schema
    rows = []
    for section in schema.get("sections", []):
        if section["title"].startswith("Người nộp"):
            continue
        for field in section.get("fields", []):
            value = dossier.form_data.get(field["name"], "")
            if not value:
                continue
            if field["type"] == "choice":
                value = dict(map(tuple, field.get("choices", []))).get(value, value)
            rows.append((field["label"], value))
    html = render_to_string(
        "portal/result_pdf.html",
        {
            "dossier": dossier,
            "unit": dossier.unit,
            "rows": rows,
            "today": today,
            "signer": signer,
            "qr": qr_data_uri(verify_url(verify_code)),
            "verify_url": verify_url(verify_code),
        },
    )
    pdf = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/a-2b")
    assert pdf is not None
    return bytes(pdf)
