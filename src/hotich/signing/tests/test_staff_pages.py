from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.accounts.vocabulary import Role
from hotich.signing import pki
from hotich.signing.models import SigningIdentity, Usage
from hotich.signing.selectors import signature_use
from hotich.signing.services import document_sign, new_verify_code
from hotich.signing.standin import demo_pki_ensure

pytestmark = pytest.mark.django_db


def test_signature_use_per_unit_and_quarter(units: Any, make_user: Any, rendered: Any) -> None:
    from django.utils import timezone

    signer = make_user(Role.SIGNER, units["a"])
    pdf = rendered[1]
    for kind in ("extract", "extract", "result"):
        document_sign(
            pdf=pdf,
            actor=signer,
            unit=units["a"],
            kind=kind,
            title="T",
            source_type="test",
            source_id=1,
            verify_code=new_verify_code(),
        )
    document_sign(
        pdf=rendered[1],
        actor=None,
        unit=units["b"],
        kind="extract",
        title="T",
        source_type="test",
        source_id=2,
        verify_code=new_verify_code(),
    )
    today = timezone.localdate()
    use = signature_use(today.year, (today.month - 1) // 3 + 1)
    assert [(u.unit_id, u.total, u.signers) for u in use] == [
        (units["a"].pk, 3, 1),
        (units["b"].pk, 1, 0),
    ]
    assert use[0].by_kind == {"extract": 2, "result": 1}
    assert signature_use(today.year - 1, 1) == []


def test_admin_imports_and_revokes_a_certificate(
    units: Any, make_user: Any, staff_client: Any
) -> None:
    admin = make_user(Role.ADMIN, units["province"])
    client = staff_client(admin)
    assert client.get("/ky-so/").status_code == 200
    demo = demo_pki_ensure()
    issued = pki.leaf_issue(demo.root, common_name="Con dấu UBND xã", usage=pki.Usage.SEAL)
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

    p12 = pkcs12.serialize_key_and_certificates(b"s", issued.key, issued.cert, None, NoEncryption())
    response = client.post(
        "/ky-so/nhap/",
        {"file": SimpleUploadedFile("seal.p12", p12), "unit": units["a"].pk, "usage": Usage.SEAL},
    )
    assert response.status_code == 302
    identity = SigningIdentity.objects.get(subject__contains="Con dấu UBND xã")
    assert identity.unit == units["a"]
    bad = client.post(
        "/ky-so/nhap/",
        {"file": SimpleUploadedFile("x.p12", b"junk"), "unit": units["a"].pk, "usage": Usage.SEAL},
        follow=True,
    )
    assert "không đọc được" in bad.content.decode()
    client.post(f"/ky-so/{identity.pk}/thu-hoi/", {"reason": "Mất thiết bị"})
    identity.refresh_from_db()
    assert identity.revoked_at is not None and not identity.is_active


def test_officers_cannot_manage_certificates(units: Any, make_user: Any, staff_client: Any) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    assert client.get("/ky-so/").status_code == 404
    assert client.post("/ky-so/nhap/").status_code == 404
