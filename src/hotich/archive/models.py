"""The archive's manifest of stored files and the results of fixity checks."""

from __future__ import annotations

from django.db import models


class StoredFile(models.Model):
    """One file kept for good under the default storage, with the SHA-256 it had when stored."""

    path = models.CharField(max_length=500, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    #: who stored it, e.g. ``digitization.page_master``, ``registry.extract``
    source = models.CharField(max_length=80)
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path

    def state(self) -> dict[str, object]:
        return {"path": self.path, "sha256": self.sha256, "size": self.size, "source": self.source}


class FixityRun(models.Model):
    """One pass of ``archive_fixity`` over the storage root."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    checked = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=True)
    changed = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    unexpected = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"fixity {self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"
