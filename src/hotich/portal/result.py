"""The result PDF of a procedure that does not issue a register extract (e.g. the
confirmation of marital status), with the QR code of its public verification page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from hotich.agencies.selectors import user_position
from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.portal.models import Dossier
from hotich.signing.services import verify_url


def render_result_pdf(dossier: Dossier, *, verify_code: str, signer: Any) -> bytes:
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
            "position": user_position(signer),
            "qr": qr_data_uri(verify_url(verify_code)),
            "verify_url": verify_url(verify_code),
        },
    )
    return html_to_pdf(html)
