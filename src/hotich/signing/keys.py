"""Where private keys live, behind one small protocol: :func:`open_signer` yields a pyHanko
signer for a :class:`SigningIdentity`, whatever holds its key.

- ``software``: a PEM file under ``$HOTICH_DATA_DIR/pki/keys/`` (demo and development only;
  refused unless ``HOTICH_SIGNING_SOFTWARE_KEYS`` allows it).
- ``pkcs11``: a key on a token (SoftHSM2 in tests and CI, a USB token or an HSM in
  production), found by its label; the PIN is read from ``HOTICH_PKCS11_PIN``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from hotich.core.errors import Conflict
from hotich.signing.models import Backend, SigningIdentity


def pki_dir() -> Path:
    return Path(settings.DATA_DIR) / "pki"


def keys_dir() -> Path:
    return pki_dir() / "keys"


def asn1_certs(pem: str | bytes) -> list[asn1_x509.Certificate]:
    data = pem.encode() if isinstance(pem, str) else pem
    return list(load_certs_from_pemder_data(data)) if data.strip() else []


def _chain(identity: SigningIdentity) -> list[asn1_x509.Certificate]:
    """The certificates between the signer's and its root, which a signature carries. Not the
    root: a verifier must have it already (it is what the verifier trusts), and each copy in a
    signature is one more certificate for every verification to read."""
    return [c for c in asn1_certs(identity.chain_pem) if not c.self_signed]


def _registry(identity: SigningIdentity) -> SimpleCertificateStore:
    return cast(SimpleCertificateStore, SimpleCertificateStore.from_certs(_chain(identity)))


@contextmanager
def _software(identity: SigningIdentity) -> Iterator[signers.Signer]:
    if not getattr(settings, "HOTICH_SIGNING_SOFTWARE_KEYS", True):
        raise Conflict(
            _("Khóa phần mềm bị tắt trong môi trường này; hãy dùng thiết bị ký số (PKCS#11)."),
            code="software_keys_disabled",
        )
    path = keys_dir() / Path(identity.key_ref).name
    if not path.is_file():
        raise Conflict(
            format_lazy(
                _("Không tìm thấy khóa bí mật của chứng thư số {subject}."),
                subject=identity.subject,
            ),
            code="key_missing",
        )
    key = load_private_key_from_pemder_data(path.read_bytes(), passphrase=None)
    yield signers.SimpleSigner(
        signing_cert=asn1_certs(identity.cert_pem)[0],
        signing_key=key,
        cert_registry=_registry(identity),
    )


@contextmanager
def _pkcs11(identity: SigningIdentity) -> Iterator[signers.Signer]:
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    pin = os.environ.get("HOTICH_PKCS11_PIN", "")
    module = identity.pkcs11_module or getattr(settings, "HOTICH_PKCS11_MODULE", "")
    try:
        session: Any = pkcs11.open_pkcs11_session(
            module,
            token_criteria=TokenCriteria(label=identity.pkcs11_token),
            user_pin=pin or None,
        )
    except Exception as exc:
        raise Conflict(
            format_lazy(
                _("Không mở được thiết bị ký số {token}: {error}"),
                token=identity.pkcs11_token,
                error=type(exc).__name__,
            ),
            code="token_unavailable",
        ) from exc
    try:
        yield pkcs11.PKCS11Signer(
            session,
            key_label=identity.key_ref,
            signing_cert=asn1_certs(identity.cert_pem)[0],
            ca_chain=_chain(identity),
            # Hash here, sign the digest on the token: every token has the raw mechanisms
            # (SoftHSM2 has no combined ECDSA-with-SHA-256).
            use_raw_mechanism=True,
        )
    finally:
        session.close()


@contextmanager
def open_signer(identity: SigningIdentity) -> Iterator[signers.Signer]:
    opener = _pkcs11 if identity.backend == Backend.PKCS11 else _software
    with opener(identity) as signer:
        yield signer
