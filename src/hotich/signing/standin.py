"""The demo PKI and its local time-stamping authority: stand-ins for a real CA and an RFC 3161
service, for the demo, development and tests.

Under ``$HOTICH_DATA_DIR/pki/``: the root CA (``root-ca.pem``, the file verifiers trust), the TSA
certificate and the CRL. With ``HOTICH_SIGNING_DEMO`` on, the signing app registers
:class:`DemoSigning` with :func:`hotich.signing.services.demo_signing_register`: a unit or an
official without a certificate is enrolled from the demo CA on first use, signatures are
time-stamped here when ``HOTICH_TSA_URL`` is empty, and verification trusts the demo root. The
production settings refuse ``HOTICH_SIGNING_DEMO`` and this module refuses to load with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asn1crypto import cms, core
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.db import transaction
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign import timestamps
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from hotich.core.standins import require_standins
from hotich.signing import pki
from hotich.signing.encoding import frozen, signing_certificate_attribute
from hotich.signing.keys import asn1_certs, keys_dir, pki_dir
from hotich.signing.models import Backend, SigningIdentity, Usage
from hotich.signing.services import (
    CRL_FILE,
    ROOT_FILE,
    cert_fields,
    parsed_file,
    unit_label,
    write_private,
)

if TYPE_CHECKING:
    from hotich.accounts.models import User

require_standins(__name__)

ROOT_KEY_FILE = "root-ca.key"
TSA_FILE = "tsa.pem"
TSA_KEY_FILE = "tsa.key"


@dataclass(frozen=True)
class DemoPki:
    root: pki.Issued
    tsa: pki.Issued


_cache: dict[Any, Any] = {}


def demo_pki_ensure() -> DemoPki:
    """The demo PKI under ``$HOTICH_DATA_DIR/pki/``, created on first use: the root CA
    (``root-ca.pem``, the file verifiers trust), the TSA certificate and an empty CRL."""
    base = pki_dir()
    root_path, root_key = base / ROOT_FILE, base / ROOT_KEY_FILE
    key = str(base)
    cached = _cache.get(key)
    if cached is not None and root_path.is_file():
        return cached  # type: ignore[no-any-return]
    if not (root_path.is_file() and root_key.is_file()):
        root = pki.root_create()
        base.mkdir(parents=True, exist_ok=True)
        write_private(root_key, root.key_pem)
        root_path.write_bytes(root.cert_pem)
        tsa = pki.leaf_issue(root, common_name="Hộ tịch số TSA (thử nghiệm)", usage=pki.Usage.TSA)
        write_private(base / TSA_KEY_FILE, tsa.key_pem)
        (base / TSA_FILE).write_bytes(tsa.cert_pem)
        (base / CRL_FILE).write_bytes(pki.crl_build(root, []))
    demo = DemoPki(
        root=pki.Issued(root_path.read_bytes(), root_key.read_bytes()),
        tsa=pki.Issued((base / TSA_FILE).read_bytes(), (base / TSA_KEY_FILE).read_bytes()),
    )
    _cache.clear()
    _cache[key] = demo
    return demo


@transaction.atomic
def identity_enroll_demo(
    *,
    unit: Any,
    usage: str,
    user: User | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> SigningIdentity:
    """Issue a certificate from the demo CA with a software key (demo, development, tests)."""
    demo = demo_pki_ensure()
    if usage == Usage.OFFICIAL and user is not None:
        name = user.full_name or user.get_full_name() or user.get_username()
    else:
        name = f"Con dấu {unit_label(unit)}"
    issued = pki.leaf_issue(
        demo.root,
        common_name=name,
        usage=usage,
        unit=unit_label(unit),
        not_before=not_before,
        not_after=not_after,
    )
    key_ref = f"{uuid.uuid4().hex}.pem"
    write_private(keys_dir() / key_ref, issued.key_pem)
    return SigningIdentity.objects.create(
        usage=usage,
        unit=unit,
        user=user,
        cert_pem=issued.cert_pem.decode(),
        chain_pem=demo.root.cert_pem.decode(),
        backend=Backend.SOFTWARE,
        key_ref=key_ref,
        **cert_fields(issued.cert),
    )


def demo_crl_refresh() -> None:
    """Publish the demo CA's CRL with every certificate of it revoked here."""
    demo = demo_pki_ensure()
    demo_subject = demo.root.cert.subject.rfc4514_string()[:255]
    revoked = [
        (int(i.serial, 16), i.revoked_at)
        for i in SigningIdentity.objects.filter(issuer=demo_subject, revoked_at__isnull=False)
        if i.revoked_at is not None
    ]
    (pki_dir() / CRL_FILE).write_bytes(pki.crl_build(demo.root, revoked))


class LocalTimeStamper(DummyTimeStamper):
    """The local RFC 3161 time-stamping authority of the demo PKI: pyHanko's in-process TSA,
    with its key loaded once instead of once per token. Its tokens carry the TSA's
    certificate, not the root (which verifiers have: see ``keys._chain``)."""

    def __init__(self, cert_pem: bytes, key_pem: bytes) -> None:
        key = load_private_key_from_pemder_data(key_pem, passphrase=None)
        super().__init__(
            tsa_cert=asn1_certs(cert_pem)[0],
            tsa_key=key,
            certs_to_embed=SimpleCertificateStore.from_certs([]),
        )
        loaded = serialization.load_pem_private_key(
            key_pem, password=None, unsafe_skip_rsa_key_validation=True
        )
        assert isinstance(loaded, rsa.RSAPrivateKey)
        self._key = loaded

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: dt.datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashlib.new(md_algorithm, tst_info_data).digest()
        signed_attrs = frozen(
            cms.CMSAttributes(
                [
                    simple_cms_attribute("content_type", "tst_info"),
                    simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                    signing_certificate_attribute(self.tsa_cert),
                    simple_cms_attribute("message_digest", digest),
                ]
            )
        )
        signature = self._key.sign(
            signed_attrs.dump(), padding.PKCS1v15(), getattr(hashes, md_algorithm.upper())()
        )
        return signature, signed_attrs


class DemoSigning:
    """What signing asks of the demo PKI in demo mode (``services.DemoSigningProvider``)."""

    def enroll(self, *, unit: Any, usage: str, user: User | None = None) -> SigningIdentity:
        return identity_enroll_demo(unit=unit, usage=usage, user=user)

    def timestamper(self) -> timestamps.TimeStamper:
        """The local TSA, one per process: it caches its key and the size of its tokens."""
        demo = demo_pki_ensure()
        key = ("tsa", str(pki_dir()), demo.tsa.cert_pem)
        stamper = _cache.get(key)
        if stamper is None:
            stamper = _cache[key] = LocalTimeStamper(demo.tsa.cert_pem, demo.tsa.key_pem)
        return stamper

    def roots(self) -> list[Any]:
        return parsed_file(pki_dir() / ROOT_FILE, asn1_certs) or []

    def revoked(self, identity: SigningIdentity) -> None:
        if identity.backend == Backend.SOFTWARE and (pki_dir() / ROOT_KEY_FILE).is_file():
            demo_crl_refresh()
