"""The register of official documents of each agency (unit): outgoing and incoming documents,
their history, and the counters their numbers come from."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotich.core.text import fold
from hotich.documents.vocabulary import (
    DEFAULT_SECTION_ABBREV,
    EVENT_LABELS,
    OPEN_INCOMING,
    Direction,
    DocType,
    Status,
)


def search_key_for(document: Document) -> str:
    parts = (document.number, document.sender_number, document.title, document.sender_name)
    return fold(" ".join(p for p in parts if p))[:700]


class Document(models.Model):
    """One official document in one unit's register.

    Outgoing: drafted, approved, numbered and signed (``number`` ``12/QĐ-UBND``; a công văn
    ``123/UBND-TP``), then issued; issuing it to another unit creates an incoming document
    there (``source_document``) holding the signed PDF, verified on receipt. Incoming: an
    arrival number per unit and year, a handler and a deadline.
    """

    direction = models.CharField(_("loại sổ"), max_length=3, choices=Direction.choices)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices)
    title = models.CharField(_("trích yếu"), max_length=300)
    summary = models.TextField(_("tóm tắt"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    section_abbrev = models.CharField(
        _("đơn vị soạn thảo (viết tắt)"), max_length=20, default=DEFAULT_SECTION_ABBREV
    )
    # numbering (outgoing: when signed; incoming: the arrival number)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    dated = models.DateField(_("ngày văn bản"), null=True, blank=True)
    # outgoing: where it goes
    recipient_unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(_("nơi nhận"), max_length=200, blank=True)
    # incoming: where it came from and under which number
    sender_unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_name = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    sender_number = models.CharField(_("số, ký hiệu gốc"), max_length=60, blank=True)
    source_document = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    # the file: the signed PDF (outgoing, or received electronically) or the scan of a paper
    signed = models.ForeignKey(
        "signing.SignedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_path = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    signed_digitally = models.BooleanField(default=False)
    signature_valid = models.BooleanField(null=True)
    signature_report = models.JSONField(default=dict, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    # number, original number, subject and sender without diacritics, lower case (search)
    search_key = models.CharField(max_length=700, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "direction", "year", "doc_type", "sequence"],
                name="documents_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "direction", "status"]),
            models.Index(fields=["unit", "signed_at"]),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = search_key_for(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def is_overdue(self, today: object) -> bool:
        return (
            self.direction == Direction.INCOMING
            and self.status in OPEN_INCOMING
            and self.deadline is not None
            and self.deadline < today  # type: ignore[operator]
        )

    def state(self) -> dict[str, object]:
        """What the audit log hashes (no personal data leaves the database)."""
        return {
            "status": self.status,
            "number": self.number,
            "doc_type": self.doc_type,
            "title": self.title,
            "handler": self.handler_id,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "file_sha256": self.file_sha256,
        }


class Event(models.Model):
    """One step of a document's life (its history, shown on the document page)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else ""


class Counter(models.Model):
    """The last number used in one unit's register for one year and one series (a document type
    for outgoing documents, ``đến`` for arrival numbers); locked while numbering."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "series"], name="documents_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.series}: {self.last}"
