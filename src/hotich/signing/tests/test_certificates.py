"""Certificates that may not sign are refused with a clear message; imports are checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

from hotich.core.errors import Conflict, ValidationFailed
from hotich.signing import pki
from hotich.signing.models import SigningIdentity, Usage
from hotich.signing.services import crls, identity_import, identity_revoke, pdf_sign
from hotich.signing.standin import demo_pki_ensure, identity_enroll_demo

pytestmark = pytest.mark.django_db


def _refused(identity: SigningIdentity, pdf: bytes, code: str) -> str:
    with pytest.raises(Conflict) as caught:
        pdf_sign(pdf, [identity], reason="thử", location="Nghệ An")
    assert caught.value.code == code
    return caught.value.bilingual()


def test_expired_certificate_refuses_to_sign(unit: Any, rendered: Any) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    identity = identity_enroll_demo(
        unit=unit, usage=Usage.SEAL, not_before=past, not_after=past + dt.timedelta(days=30)
    )
    message = _refused(identity, rendered[1], "certificate_expired")
    assert "hết hạn" in message and "expired" in message


def test_revoked_certificate_refuses_to_sign_and_is_on_the_crl(unit: Any, rendered: Any) -> None:
    identity = identity_enroll_demo(unit=unit, usage=Usage.SEAL)
    identity_revoke(actor=None, identity=identity, reason="Mất thiết bị")
    from cryptography import x509

    listed = {e.serial_number for c in crls() for e in x509.load_der_x509_crl(c)}
    assert int(identity.serial, 16) in listed
    assert "thu hồi" in _refused(identity, rendered[1], "certificate_revoked")


def test_wrong_usage_certificate_refuses_to_sign(unit: Any, rendered: Any) -> None:
    demo = demo_pki_ensure()
    identity = identity_enroll_demo(unit=unit, usage=Usage.SEAL)
    SigningIdentity.objects.filter(pk=identity.pk).update(cert_pem=demo.tsa.cert_pem.decode())
    identity.refresh_from_db()
    assert "mục đích" in _refused(identity, rendered[1], "certificate_wrong_usage")


def test_import_pkcs12_then_sign(unit: Any, rendered: Any) -> None:
    demo = demo_pki_ensure()
    issued = pki.leaf_issue(demo.root, common_name="Con dấu nhập", usage=pki.Usage.SEAL)
    p12 = pkcs12.serialize_key_and_certificates(
        b"seal", issued.key, issued.cert, [demo.root.cert], NoEncryption()
    )
    identity = identity_import(actor=None, unit=unit, usage=Usage.SEAL, data=p12)
    assert identity.subject.startswith("CN=Con dấu nhập")
    assert pdf_sign(rendered[1], [identity], reason="thử", location="Nghệ An").startswith(b"%PDF")
    with pytest.raises(Conflict):
        identity_import(actor=None, unit=unit, usage=Usage.SEAL, data=p12)


@pytest.mark.parametrize("data", [b"not a certificate", b"-----BEGIN CERTIFICATE-----\nxx\n"])
def test_import_refuses_garbage(unit: Any, data: bytes) -> None:
    with pytest.raises(ValidationFailed):
        identity_import(actor=None, unit=unit, usage=Usage.SEAL, data=data)


def test_import_pem_without_key_needs_a_token(unit: Any) -> None:
    demo = demo_pki_ensure()
    issued = pki.leaf_issue(demo.root, common_name="Token", usage=pki.Usage.OFFICIAL)
    with pytest.raises(ValidationFailed):
        identity_import(actor=None, unit=unit, usage=Usage.OFFICIAL, data=issued.cert_pem)


def test_outside_demo_mode_the_demo_pki_is_neither_trusted_nor_used(units, settings) -> None:
    from hotich.signing.services import signers_for, timestamper, trust_roots

    demo_pki_ensure()
    assert len(trust_roots()) == 1 and timestamper() is not None
    settings.HOTICH_SIGNING_DEMO = False
    assert trust_roots() == [] and timestamper() is None
    with pytest.raises(Conflict) as refused:
        signers_for(units["a"], None)
    assert refused.value.code == "no_seal"
    assert not SigningIdentity.objects.exists()
