"""The signed PDF of a report (signing context's document_sign, demo PKI)."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from hotich.accounts.vocabulary import Role
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.reporting.periods import Period
from hotich.reporting.services import report_pdf_sign
from hotich.reporting.tests import fixture

pytestmark = pytest.mark.django_db


def test_signed_pdf_of_the_report(units, make_user, settings, tmp_path) -> None:
    settings.HOTICH_DATA_DIR = tmp_path
    fixture.build(units)
    signer = make_user(Role.SIGNER, units["a"], full_name="Trần Văn Ký")
    pdf = report_pdf_sign(
        actor=signer, unit=units["a"], period=Period("yearly", 2025), today=fixture.TODAY
    )
    assert pdf.startswith(b"%PDF-")
    reader = PdfFileReader(io.BytesIO(pdf))
    signers = [s.signer_cert.subject.human_friendly for s in reader.embedded_signatures]
    assert len(signers) == 2  # the official, then the unit's seal
    assert "Con dấu" not in signers[0] and "Con dấu" in signers[1]
    assert "Trần Văn Ký" in signers[0] or signer.username in signers[0]
    with pytest.raises(ValidationFailed, match="chưa kết thúc"):
        report_pdf_sign(actor=signer, unit=units["a"], period=Period("yearly", 2026))
    with pytest.raises(PermissionDenied):
        report_pdf_sign(
            actor=signer, unit=units["b"], period=Period("yearly", 2025), today=fixture.TODAY
        )
    auditor = make_user(Role.AUDITOR, units["a"])
    with pytest.raises(PermissionDenied, match="không có quyền ký"):
        report_pdf_sign(
            actor=auditor, unit=units["a"], period=Period("yearly", 2025), today=fixture.TODAY
        )


def test_sign_from_the_page(units, make_user, staff_client, settings, tmp_path) -> None:
    settings.HOTICH_DATA_DIR = tmp_path
    fixture.build(units)
    client = staff_client(make_user(Role.SIGNER, units["a"]))
    response = client.post("/bao-cao/ky-pdf/", {"year": 2025, "period": "Y"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "bao-cao-ho-tich-16681-2025-Y.pdf" in response["Content-Disposition"]
