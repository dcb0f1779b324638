"""Legacy spreadsheet imports: one :class:`ImportBatch` per uploaded file.

A batch keeps the decoded cells (Unicode NFC, one encoding detected per column), the column
mapping the officer chose, and the per-row errors of the last preview. Nothing reaches the
register until the preview is accepted; then every row is imported, or none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotich.registry.vocabulary import EventType


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Đã tải lên")
    PREVIEWED = "previewed", _("Đã xem trước")
    IMPORTED = "imported", _("Đã nhập vào sổ")
    DISCARDED = "discarded", _("Đã hủy")


class ImportBatch(models.Model):
    #: today's unit importing the file (access scope; the books' ``scope_unit``)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    #: the registering unit as it was, when the books were kept by an old (legacy) unit
    registering_unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=12, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    headers = models.JSONField(default=list)
    #: the detected encoding of each column (``unicode``, ``tcvn3``, ``vni``, ``viqr``)
    encodings = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    #: the row number in the file of each row (title and blank rows are skipped)
    row_numbers = models.JSONField(default=list)
    #: column index (as text) → target field (``registration_date``, ``child.full_name``…)
    mapping = models.JSONField(default=dict)
    #: ``[{"row": n, "field": "...", "column": "...", "message": "..."}]`` of the last preview
    errors = models.JSONField(default=list)
    record_ids = models.JSONField(default=list)
    #: a preview or an import of a large file running in the background ("preview", "accept")
    pending = models.CharField(max_length=10, blank=True)
    #: why the last background run refused (bilingual)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def numbered_rows(self) -> list[tuple[int, list[str]]]:
        """``(row number in the file, cells)`` for each data row."""
        numbers = self.row_numbers or list(range(2, len(self.rows) + 2))
        return list(zip(numbers, self.rows, strict=False))

    def state(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "unit": self.unit_id,
            "event_type": self.event_type,
            "sha256": self.sha256,
            "status": self.status,
            "rows": len(self.rows),
            "mapping": self.mapping,
            "errors": len(self.errors),
            "records": len(self.record_ids),
        }
