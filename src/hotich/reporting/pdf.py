"""The report as a PDF in the form's layout (WeasyPrint), with a QR code to its verify page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.reporting.civil_status import CivilStatusReport
from hotich.signing.services import verify_url


def render_report_pdf(report: CivilStatusReport, *, verify_code: str, signer: Any) -> bytes:
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
            "qr": qr_data_uri(url),
            "signer": signer,
        },
    )
    return html_to_pdf(html)
