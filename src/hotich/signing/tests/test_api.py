from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.signing.services import document_revoke, document_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(unit: Any, rendered: Any) -> Any:
    code, pdf = rendered
    return document_sign(
        pdf=pdf,
        actor=None,
        unit=unit,
        kind="extract",
        title="Trích lục khai sinh",
        number="7/TLKS-BS",
        source_type="test",
        source_id=1,
        verify_code=code,
        public={"authority": "Ủy ban nhân dân phường Thành Vinh"},
    )


def test_verify_a_file_without_login(client: Any, signed: Any) -> None:
    response = client.post(
        "/api/v1/signing/verify", {"file": SimpleUploadedFile("a.pdf", signed.pdf)}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["valid"] and body["signatures"][-1]["covers_whole_file"]
    assert body["document"]["number"] == "7/TLKS-BS" and body["document"]["current"]

    changed = bytearray(signed.pdf)
    changed[signed.pdf.index(b"stream") + 20] ^= 1
    bad = client.post(
        "/api/v1/signing/verify", {"file": SimpleUploadedFile("a.pdf", bytes(changed))}
    ).json()
    assert not bad["valid"] and not bad["signatures"][0]["intact"]

    refused = client.post("/api/v1/signing/verify", {"file": SimpleUploadedFile("a.pdf", b"x")})
    assert refused.status_code == 400 and refused.json()["field"] == "file"
    assert refused.json()["message_en"] == "The file is not a PDF."


def test_document_status_by_code(client: Any, signed: Any) -> None:
    url = "/api/v1/signing/documents/status"
    ok = client.post(url, {"code": signed.verify_code}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "valid"
    document_revoke(actor=None, verify_code=signed.verify_code, reason="Cấp nhầm")
    revoked = client.post(url, {"code": signed.verify_code}, content_type="application/json")
    assert revoked.json()["state"] == "revoked" and revoked.json()["reason"] == "Cấp nhầm"
    unknown = client.post(url, {"code": "AAAAAAAAAAAAAAAAAAAAAA"}, content_type="application/json")
    assert unknown.status_code == 404
