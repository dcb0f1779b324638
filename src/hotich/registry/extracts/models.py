"""Issued extracts and certificates, and their per-unit, per-year numbering.

These models belong to the ``registry`` app: ``hotich.registry.models`` imports them so that
Django (which looks for models in an app's ``models`` module) and the registry's migrations see
them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtractKind(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", _("Giấy khai sinh")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("Giấy chứng nhận kết hôn")
    EXTRACT = "extract", _("Trích lục")


class IssuedExtract(models.Model):
    """One paper issued from a record: an extract (original or copy) or a certificate.

    ``number`` is ``<sequence>/<suffix>``, the sequence counted per issuing unit and year.
    ``verify_code`` is what the QR code on the paper points to (``/verify/<code>``); ``sha256``
    is the digest of the PDF as rendered (before any signature is added).
    """

    pdf: bytes  # the rendered document, set by ``extract_issue``; the file is in storage

    record = models.ForeignKey(
        "registry.Record", on_delete=models.PROTECT, related_name="issued_extracts"
    )
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=60)
    kind = models.CharField(max_length=30, choices=ExtractKind.choices)
    is_copy = models.BooleanField(default=False)
    verify_code = models.CharField(max_length=43, unique=True)
    sha256 = models.CharField(max_length=64)
    file_path = models.CharField(max_length=255, blank=True)
    requested_by = models.CharField(max_length=150, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        app_label = "registry"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="registry_extract_number_unique"
            )
        ]
        indexes = [models.Index(fields=["record", "issued_at"])]
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"extract {self.number}"


class ExtractCounter(models.Model):
    """The last sequence number used by one issuing unit in one year (locked while numbering)."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "registry"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="registry_extract_counter_unique")
        ]

    def __str__(self) -> str:
        return f"extract counter {self.unit_id}/{self.year}: {self.last}"
