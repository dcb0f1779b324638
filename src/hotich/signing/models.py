"""Signing identities (a certificate and where its key lives) and the documents signed with
them, each findable by the code its QR code carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Usage(models.TextChoices):
    SEAL = "seal", _("Con dấu cơ quan")
    OFFICIAL = "official", _("Cá nhân có thẩm quyền")
    TSA = "tsa", _("Dịch vụ cấp dấu thời gian")


class Backend(models.TextChoices):
    SOFTWARE = "software", _("Khóa phần mềm (chỉ dùng thử nghiệm)")
    PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (USB token, HSM)")


class SigningIdentity(models.Model):
    """A certificate of a unit's seal or of an official, and where its private key lives.

    Software keys are PEM files under ``$HOTICH_DATA_DIR/pki/keys/`` (demo and development
    only). PKCS#11 keys stay on the token: ``key_ref`` is the key label, ``pkcs11_token`` the
    token label, and the PIN comes from the environment variable ``HOTICH_PKCS11_PIN``.
    """

    usage = models.CharField(max_length=10, choices=Usage.choices)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_identities",
    )
    subject = models.CharField(max_length=255)
    issuer = models.CharField(max_length=255)
    serial = models.CharField(max_length=64)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    cert_pem = models.TextField()
    chain_pem = models.TextField(blank=True)
    backend = models.CharField(max_length=10, choices=Backend.choices)
    key_ref = models.CharField(max_length=255)
    pkcs11_module = models.CharField(max_length=255, blank=True)
    pkcs11_token = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(default=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="signing_identity_cert")
        ]
        indexes = [models.Index(fields=["unit", "usage", "is_active"])]
        ordering = ["unit_id", "usage", "-not_after"]

    def __str__(self) -> str:
        return f"{self.get_usage_display()}: {self.subject}"


class SignedDocument(models.Model):
    """One issued, signed PDF. ``verify_code`` is what its QR code points to (``/verify/<code>``).

    ``source_type``/``source_id`` name what it was issued from (``registry.record``/42), so that
    the verify page can ask that context whether the document is still current. ``public`` holds
    the few facts printed on the paper that the verify page may repeat.
    """

    pdf: bytes  # the signed document, set by ``document_sign``; the file is in storage (if kept)

    verify_code = models.CharField(max_length=43, unique=True)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    number = models.CharField(max_length=60, blank=True)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=40)
    public = models.JSONField(default=dict, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    file_path = models.CharField(max_length=255, blank=True)
    signers = models.JSONField(default=list)
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["unit", "signed_at"]),
        ]
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}".strip()
