from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.signing.services import document_sign
from hotich.signing.verify import pdf_verify


@pytest.mark.django_db
def test_signed_by_official_and_seal_verifies(unit: Any, make_user: Any, rendered: Any) -> None:
    code, pdf = rendered
    officer = make_user(Role.SIGNER, unit)
    document = document_sign(
        pdf=pdf,
        actor=officer,
        unit=unit,
        kind="extract",
        title="Trích lục khai sinh",
        source_type="test",
        source_id=1,
        verify_code=code,
    )
    report = pdf_verify(document.pdf)
    assert report.ok
    assert [s.field for s in report.signatures] == ["ChuKyCaNhan1", "ChuKyCoQuan2"]
    assert all(s.timestamped and s.trusted and s.intact for s in report.signatures)
    assert report.signatures[-1].covers_whole_file
    assert report.verify_code == code
