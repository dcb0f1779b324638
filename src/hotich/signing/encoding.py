"""The parts of a signature that stay the same from one signature to the next, encoded once.

asn1crypto re-encodes a value it built (rather than parsed) every time the structure holding it
is encoded, and one signature encodes its attributes several times: to digest them, to copy them
into the ``SignerInfo``, to write the container; the time-stamp token does the same inside.
The certificate references (``signing-certificate`` attributes) made that most of a signature's
cost. Here they are built once per certificate, encoded, and parsed back:
a parsed value encodes as the bytes it came from, without walking its parts.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from asn1crypto import cms, core, tsp, x509
from pyhanko.sign import attributes, general
from pyhanko.sign.attributes import SignedAttributeProviderSpec

T = TypeVar("T", bound=core.Asn1Value)


def frozen(value: T) -> T:
    """``value`` encoded and parsed back: encoding it again costs nothing."""
    return cast(T, type(value).load(value.dump()))


# The certificate is named by its hash alone: the ``issuerSerial`` field is optional (RFC 2634,
# RFC 5035), and CAdES baseline signatures should not carry it (ETSI EN 319 122-1, 5.2.2.3); a
# verifier that finds it compares the issuer's names attribute by attribute, which took a
# quarter of a verification.


@functools.lru_cache(maxsize=256)
def _signing_certificate_v2(cert_der: bytes) -> bytes:
    digest = hashlib.sha256(cert_der).digest()
    value = tsp.SigningCertificateV2({"certs": [tsp.ESSCertIDv2({"cert_hash": digest})]})
    return cast(bytes, value.dump())


@functools.lru_cache(maxsize=256)
def _signing_certificate_attribute(cert_der: bytes) -> bytes:
    value = tsp.SigningCertificate(
        {"certs": [tsp.ESSCertID({"cert_hash": hashlib.sha1(cert_der).digest()})]}  # noqa: S324
    )
    return cast(bytes, general.simple_cms_attribute("signing_certificate", value).dump())


def signing_certificate_v2(cert: x509.Certificate) -> tsp.SigningCertificateV2:
    """The ``signing-certificate-v2`` value (RFC 5035) naming ``cert``."""
    return tsp.SigningCertificateV2.load(_signing_certificate_v2(cert.dump()))


def signing_certificate_attribute(cert: x509.Certificate) -> cms.CMSAttribute:
    """The ``signing-certificate`` attribute (RFC 2634, SHA-1) that time-stamp tokens carry."""
    return cms.CMSAttribute.load(_signing_certificate_attribute(cert.dump()))


class _SigningCertificateV2(attributes.SigningCertificateV2Provider):
    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return signing_certificate_v2(self.signing_cert)


class PadesSignedAttributes(SignedAttributeProviderSpec):
    """The signed attributes of a PAdES signature as pyHanko makes them (content type and
    message digest, which pyHanko always adds, and signing-certificate-v2; PAdES forbids the
    signing-time attribute), with the certificate reference encoded once."""

    def __init__(self, signing_cert: x509.Certificate) -> None:
        self.signing_cert = signing_cert

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Iterable[Any]:
        yield _SigningCertificateV2(signing_cert=self.signing_cert)
