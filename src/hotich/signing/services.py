"""Signing: identities (enrol, import, revoke), PAdES signatures and signed documents.

:func:`document_sign` is what other contexts call: it signs a rendered PDF as the official
(when the actor holds a certificate) and with the unit's seal, adds an RFC 3161 timestamp and
the validation data, stores the file and records a :class:`SignedDocument` under the code its
QR code already carries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko_certvalidator import ValidationContext

from hotich.accounts.actors import Actor, acting_user
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, NotFound, ValidationFailed
from hotich.core.middleware import public_base_url
from hotich.signing.encoding import PadesSignedAttributes
from hotich.signing.keys import asn1_certs, keys_dir, open_signer, pki_dir
from hotich.signing.models import Backend, SignedDocument, SigningIdentity, Usage

if TYPE_CHECKING:
    from hotich.accounts.models import User

VERIFY_CODE_BYTES = 16  # 22 url-safe characters: not guessable
ROOT_FILE = "root-ca.pem"  # the demo root (hotich.signing.standin)
CRL_FILE = "crl.pem"

# What a context answers when asked whether a document issued from one of its objects is
# still current: ``None`` when it is, otherwise the reason shown on the verify page.
StatusProvider = Callable[[str, dt.datetime], str | None]
_status_providers: dict[str, StatusProvider] = {}


def new_verify_code() -> str:
    return secrets.token_urlsafe(VERIFY_CODE_BYTES)


def verify_url(code: str) -> str:
    """The public page of a document's code, as printed under its QR code."""
    return f"{public_base_url()}/verify/{code}"


def status_provider_register(source_type: str, provider: StatusProvider) -> None:
    """Called by a context's module that the context's ``AppConfig.ready`` imports:
    ``provider(source_id, signed_at)``."""
    _status_providers[source_type] = provider


def status_provider(source_type: str) -> StatusProvider | None:
    return _status_providers.get(source_type)


T = TypeVar("T")

_cache: dict[Any, Any] = {}
_parsed_files: dict[tuple[str, Callable[[bytes], Any]], tuple[bytes, Any]] = {}


def parsed_file(path: Path, parse: Callable[[bytes], T]) -> T | None:
    """``parse(content of path)``, parsed again only when the content changes (certificates
    and CRLs are read for every signature and verification; parsing them was a tenth of a
    verification). None when the file does not exist."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    digest = hashlib.sha256(content).digest()
    cached = _parsed_files.get((str(path), parse))
    if cached is None or cached[0] != digest:
        cached = _parsed_files[(str(path), parse)] = (digest, parse(content))
    return cached[1]


def write_private(path: Any, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


# --- the demo PKI -------------------------------------------------------------------------


class DemoSigningProvider(Protocol):
    """The demo PKI and its local time-stamping authority (``hotich.signing.standin``)."""

    def enroll(self, *, unit: Any, usage: str, user: User | None = None) -> SigningIdentity: ...

    def timestamper(self) -> timestamps.TimeStamper: ...

    def roots(self) -> list[Any]: ...

    def revoked(self, identity: SigningIdentity) -> None: ...


_demo_signing: list[DemoSigningProvider] = []


def demo_signing_register(provider: DemoSigningProvider) -> None:
    """Called from the app's ``ready`` when ``HOTICH_SIGNING_DEMO`` is on."""
    _demo_signing[:] = [provider]


def _demo() -> DemoSigningProvider | None:
    """The demo PKI while demo mode is on, else None."""
    if not getattr(settings, "HOTICH_SIGNING_DEMO", False) or not _demo_signing:
        return None
    return _demo_signing[0]


def cert_fields(cert: x509.Certificate) -> dict[str, Any]:
    return {
        "subject": cert.subject.rfc4514_string()[:255],
        "issuer": cert.issuer.rfc4514_string()[:255],
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def common_name(identity: SigningIdentity) -> str:
    cert = x509.load_pem_x509_certificate(identity.cert_pem.encode())
    names = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return str(names[0].value) if names else identity.subject


def unit_label(unit: Any) -> str:
    return str(getattr(unit, "name", "") or unit)


@transaction.atomic
def identity_import(
    *,
    actor: Actor,
    unit: Any,
    usage: str,
    data: bytes,
    password: bytes | None = None,
    user: User | None = None,
    backend: str = Backend.SOFTWARE,
    key_ref: str = "",
    pkcs11_token: str = "",
    pkcs11_module: str = "",
) -> SigningIdentity:
    """Import a certificate issued by a real CA: a PKCS#12 file (certificate, chain and, for a
    software key, the key) or PEM (certificate first, then the chain). For a PKCS#11 key,
    ``key_ref`` is the key's label on the token named ``pkcs11_token``."""
    key_pem = b""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            certs = x509.load_pem_x509_certificates(data)
        else:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password)
            if cert is None:
                raise ValueError("no certificate")
            certs = [cert, *extra]
            if key is not None:
                key_pem = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
    except ValueError as exc:
        raise ValidationFailed(
            _("Tệp chứng thư số không đọc được (cần PEM hoặc PKCS#12 và đúng mật khẩu)."),
            field="certificate",
        ) from exc
    cert = certs[0]
    if backend == Backend.SOFTWARE:
        if not key_pem:
            raise ValidationFailed(
                _("Tệp không chứa khóa bí mật; với thiết bị ký số hãy chọn PKCS#11."),
                field="certificate",
            )
        key_ref = f"{uuid.uuid4().hex}.pem"
        write_private(keys_dir() / key_ref, key_pem)
    elif not (key_ref and pkcs11_token):
        raise ValidationFailed(
            _("Cần nhãn thiết bị và nhãn khóa trên thiết bị PKCS#11."), field="key_ref"
        )
    fields_ = cert_fields(cert)
    if SigningIdentity.objects.filter(issuer=fields_["issuer"], serial=fields_["serial"]).exists():
        raise Conflict(_("Chứng thư số này đã được nhập."), field="certificate", code="duplicate")
    identity = SigningIdentity.objects.create(
        usage=usage,
        unit=unit,
        user=user,
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        chain_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs[1:]),
        backend=backend,
        key_ref=key_ref,
        pkcs11_token=pkcs11_token,
        pkcs11_module=pkcs11_module,
        **fields_,
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="signing.identity",
        object_id=identity.pk,
        detail={"usage": usage, "serial": identity.serial, "backend": backend},
    )
    return identity


@transaction.atomic
def identity_revoke(*, actor: Actor, identity: SigningIdentity, reason: str) -> SigningIdentity:
    """Mark a certificate revoked (and, in demo mode, publish it on the demo CA's CRL)."""
    if identity.revoked_at is None:
        identity.revoked_at = timezone.now()
        identity.revocation_reason = reason[:200]
        identity.is_active = False
        identity.save(update_fields=["revoked_at", "revocation_reason", "is_active"])
        demo = _demo()
        if demo is not None:
            demo.revoked(identity)
        audit_record(
            actor=actor,
            action="update",
            object_type="signing.identity",
            object_id=identity.pk,
            detail={"revoked": True},
        )
    return identity


def _load_crl(pem: bytes) -> list[x509.CertificateRevocationList]:
    return [x509.load_pem_x509_crl(pem)]


def _crl_objects() -> list[x509.CertificateRevocationList]:
    return parsed_file(pki_dir() / CRL_FILE, _load_crl) or []


def crls() -> list[bytes]:
    """The CRLs known here (DER), given to validation and embedded in signatures."""
    return [crl.public_bytes(serialization.Encoding.DER) for crl in _crl_objects()]


def _revoked_serials() -> set[int]:
    return {entry.serial_number for crl in _crl_objects() for entry in crl}


def identity_check(identity: SigningIdentity, *, at: dt.datetime | None = None) -> None:
    """Refuse, with a clear message, a certificate that may not sign now."""
    at = at or timezone.now()
    cert = x509.load_pem_x509_certificate(identity.cert_pem.encode())
    label = {"subject": common_name(identity)}
    if identity.revoked_at is not None or cert.serial_number in _revoked_serials():
        raise Conflict(
            format_lazy(_("Chứng thư số {subject} đã bị thu hồi; không thể ký."), **label),
            code="certificate_revoked",
        )
    if at < cert.not_valid_before_utc:
        raise Conflict(
            format_lazy(_("Chứng thư số {subject} chưa đến ngày có hiệu lực."), **label),
            code="certificate_not_yet_valid",
        )
    if at > cert.not_valid_after_utc:
        raise Conflict(
            format_lazy(_("Chứng thư số {subject} đã hết hạn; không thể ký."), **label),
            code="certificate_expired",
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        may_sign = usage.digital_signature or usage.content_commitment
    except x509.ExtensionNotFound:
        may_sign = True
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if x509.oid.ExtendedKeyUsageOID.TIME_STAMPING in eku:
            may_sign = False
    except x509.ExtensionNotFound:
        pass
    if not may_sign:
        raise Conflict(
            format_lazy(
                _("Chứng thư số {subject} không được cấp cho mục đích ký văn bản."), **label
            ),
            code="certificate_wrong_usage",
        )


def _active(unit: Any, usage: str, user: User | None = None) -> SigningIdentity | None:
    query = SigningIdentity.objects.filter(unit=unit, usage=usage, is_active=True)
    if user is not None:
        query = query.filter(user=user)
    return query.order_by("-not_after").first()


def signers_for(unit: Any, actor: Actor) -> list[SigningIdentity]:
    """Who signs a document of ``unit`` issued by ``actor``: the official (when the actor holds
    a certificate) then the unit's seal. In demo mode, missing certificates are enrolled from
    the demo CA; otherwise a unit without a seal certificate cannot issue."""
    chosen: list[SigningIdentity] = []
    demo = _demo()
    user = acting_user(actor)
    if user is not None:
        official = (
            _active(unit, Usage.OFFICIAL, user)
            or SigningIdentity.objects.filter(user=user, usage=Usage.OFFICIAL, is_active=True)
            .order_by("-not_after")
            .first()
        )
        if official is None and demo is not None:
            official = demo.enroll(unit=user.unit or unit, usage=Usage.OFFICIAL, user=user)
        if official is not None:
            chosen.append(official)
    seal = _active(unit, Usage.SEAL)
    if seal is None and demo is not None:
        seal = demo.enroll(unit=unit, usage=Usage.SEAL)
    if seal is None:
        raise Conflict(
            format_lazy(
                _("Đơn vị {unit} chưa có chứng thư số con dấu; không thể ký."),
                unit=unit_label(unit),
            ),
            code="no_seal",
        )
    chosen.append(seal)
    return chosen


# --- signing ------------------------------------------------------------------------------


def trust_roots() -> list[Any]:
    """The roots verifiers trust: ``HOTICH_TRUST_ROOTS`` (PEM files) and, in demo mode, the
    demo root."""
    roots: list[Any] = []
    for path in getattr(settings, "HOTICH_TRUST_ROOTS", []):
        configured = parsed_file(Path(path), asn1_certs)
        if configured is None:
            raise FileNotFoundError(path)
        roots.extend(configured)
    demo = _demo()
    if demo is not None:
        roots.extend(demo.roots())
    return roots


def validation_context(
    roots: Sequence[Any] | None = None, *, at: dt.datetime | None = None
) -> ValidationContext:
    return ValidationContext(
        trust_roots=list(roots) if roots is not None else trust_roots(),
        crls=crls(),
        allow_fetching=False,
        moment=at,
    )


CONTEXT_REUSE_SECONDS = 60
# Room kept for each signature container (CMS with certificates and the timestamp token, about
# 5 kB): a fixed size spares pyHanko a trial signature to measure it.
SIGNATURE_BYTES = 16384


def _signing_context() -> ValidationContext:
    """The context that collects the validation data embedded at signing: shared for a minute
    (it caches the certificate paths it has built; its validation time is fixed when made)."""
    key = ("context", str(pki_dir()), tuple(crls()), int(time.time() // CONTEXT_REUSE_SECONDS))
    context = _cache.get(key)
    if context is None:
        for old in [k for k in _cache if isinstance(k, tuple) and k[0] == "context"]:
            del _cache[old]
        context = _cache[key] = validation_context()
    return context


def timestamper() -> timestamps.TimeStamper | None:
    """``HOTICH_TSA_URL`` (any RFC 3161 service); otherwise, in demo mode, the local TSA."""
    url = getattr(settings, "HOTICH_TSA_URL", "")
    if url:
        return timestamps.HTTPTimeStamper(url, timeout=10)
    demo = _demo()
    return demo.timestamper() if demo is not None else None


FIELD_NAMES: dict[str, str] = {Usage.OFFICIAL: "ChuKyCaNhan", Usage.SEAL: "ChuKyCoQuan"}


def pdf_sign(
    pdf: bytes,
    identities: Sequence[SigningIdentity],
    *,
    reason: str,
    location: str,
    embed_validation_info: bool = True,
    first_field: int = 1,
) -> bytes:
    """Sign ``pdf`` once per identity, in order, each as an incremental update (PAdES B-T, with
    the certificates and CRLs embedded as validation data when ``embed_validation_info``).
    ``first_field`` numbers the signature fields, so that a file already signed by others (the
    minutes of a meeting: the secretary, then the chair) gets fields of its own."""
    for identity in identities:
        identity_check(identity)
    stamper = timestamper()
    context = _signing_context() if embed_validation_info else None
    data = pdf
    for index, identity in enumerate(identities):
        field = FIELD_NAMES.get(identity.usage, "ChuKy")
        meta = signers.PdfSignatureMetadata(
            field_name=f"{field}{index + first_field}",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            embed_validation_info=context is not None,
            validation_context=context,
            signer_key_usage={"non_repudiation"},
            # The validation data goes into the signature's own revision, so that the last
            # signature still covers the whole file (PAdES B-LT in one revision).
            dss_settings=DSSContentSettings(
                placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
                include_vri=False,
            ),
        )
        output = io.BytesIO()
        with open_signer(identity) as signer:
            signer.signed_attr_prov_spec = PadesSignedAttributes(signer.signing_cert)
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            signers.PdfSigner(meta, signer=signer, timestamper=stamper).sign_pdf(
                writer, output=output, bytes_reserved=SIGNATURE_BYTES
            )
        data = output.getvalue()
    return data


@transaction.atomic
def document_sign(
    *,
    pdf: bytes,
    actor: Actor,
    unit: Any,
    kind: str,
    title: str,
    source_type: str,
    source_id: str | int,
    verify_code: str,
    number: str = "",
    public: dict[str, Any] | None = None,
    store: bool = True,
    first_field: int = 1,
) -> SignedDocument:
    """Sign a rendered PDF as the actor (official) and the unit's seal, store it, and record it
    under ``verify_code``. The signed bytes are on the result as ``.pdf``."""
    identities = signers_for(unit, actor)
    signed = pdf_sign(
        pdf,
        identities,
        reason=title,
        location=unit_label(unit),
        first_field=first_field,
    )
    now = timezone.now()
    path = ""
    if store:  # kept for good: the archive records its hash for the fixity checks
        path = archive_store(
            path=f"signed/{now.year}/{uuid.uuid4().hex}.pdf",
            content=signed,
            source="signing",
            actor=actor,
        ).path
    try:
        document = SignedDocument.objects.create(
            verify_code=verify_code,
            kind=kind,
            title=title[:200],
            number=number[:60],
            unit=unit,
            source_type=source_type,
            source_id=str(source_id),
            public=public or {},
            sha256=hashlib.sha256(signed).hexdigest(),
            size=len(signed),
            file_path=path,
            signers=[
                {"usage": i.usage, "name": common_name(i), "serial": i.serial} for i in identities
            ],
            signed_at=now,
            signed_by=acting_user(actor),
        )
        audit_record(
            actor=actor,
            action="sign",
            object_type="signing.document",
            object_id=document.pk,
            detail={
                "kind": kind,
                "source": f"{source_type}:{source_id}",
                "sha256": document.sha256,
                "signers": [i.serial for i in identities],
            },
        )
    except Exception:
        if path:
            default_storage.delete(path)
        raise
    document.pdf = signed
    return document


@transaction.atomic
def document_revoke(*, actor: Actor, verify_code: str, reason: str) -> SignedDocument:
    """Withdraw an issued document (its verify page then says it is no longer valid)."""
    document = SignedDocument.objects.select_for_update().filter(verify_code=verify_code).first()
    if document is None:
        raise NotFound(_("Không tìm thấy giấy tờ."))
    if document.revoked_at is None:
        document.revoked_at = timezone.now()
        document.revocation_reason = reason[:200]
        document.save(update_fields=["revoked_at", "revocation_reason"])
        audit_record(
            actor=actor,
            action="update",
            object_type="signing.document",
            object_id=document.pk,
            detail={"revoked": True},
        )
    return document
