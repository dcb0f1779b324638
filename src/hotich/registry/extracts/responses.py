"""The HTTP answer carrying an issued extract, shared by the officer pages and the API."""

from __future__ import annotations

from django.http import HttpResponse

from hotich.registry.extracts.models import IssuedExtract


def pdf_response(issued: IssuedExtract) -> HttpResponse:
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="trich-luc-{issued.pk}.pdf"'
    response["X-Extract-Number"] = issued.number
    response["X-Verify-Code"] = issued.verify_code
    return response
