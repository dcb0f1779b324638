"""Reads of the archive (for dashboards of higher contexts and the API)."""

from __future__ import annotations

from django.db.models import QuerySet

from hotich.archive.models import FixityRun, StoredFile


def fixity_latest() -> FixityRun | None:
    return FixityRun.objects.order_by("-started_at").first()


def fixity_runs(limit: int = 30) -> list[FixityRun]:
    return list(FixityRun.objects.order_by("-started_at")[:limit])


def stored_file_get(path: str) -> StoredFile | None:
    return StoredFile.objects.filter(path=path).first()


def stored_files(source: str | None = None) -> QuerySet[StoredFile]:
    qs = StoredFile.objects.all()
    return qs.filter(source=source) if source else qs
