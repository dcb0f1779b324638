"""Writes of the archive: storing files with their hash, fixity checks, the book exporter.

Files go through Django's default storage (a local folder or S3-compatible storage).
``archive_store`` records each file's SHA-256 and size in :class:`StoredFile`;
``archive_fixity`` reads every file under the storage root again and reports those whose hash
or size changed, those missing, and those present without a manifest row. Paths that hold
regenerable files (web derivatives, temporary uploads) are left out by the setting
``HOTICH_ARCHIVE_FIXITY_IGNORE`` (comma-separated path prefixes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.archive.models import FixityRun, StoredFile
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, ValidationFailed
from hotich.core.storage import PARTIAL_DIR, LocalStorage, fsync_dir

logger = logging.getLogger(__name__)

OBJECT_TYPE = "archive.stored_file"
#: where :func:`archive_quarantine_unrecorded` moves files that have no manifest row
QUARANTINE_DIR = "quarantine"
CHUNK = 1024 * 1024
DEFAULT_IGNORE = (
    "digitization/web/",
    "digitization/thumbs/",
    "digitization/iiif/",
    "linkage/",
    "tmp/",
)


def _clean_path(path: str) -> str:
    clean = path.replace("\\", "/").lstrip("/")
    parts = clean.split("/")
    if not clean or any(p in ("", ".", "..") for p in parts):
        raise ValidationFailed(
            format_lazy(_("Đường dẫn lưu trữ không hợp lệ: {path}"), path=path[:120]), field="path"
        )
    return clean


def sha256_of(storage: Storage, path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _refuse_overwrite(path: str) -> Conflict:
    return Conflict(
        format_lazy(_("Đã có tệp khác được lưu tại {path}, không ghi đè."), path=path),
        field="path",
    )


@transaction.atomic
def archive_store(
    *, path: str, content: bytes, source: str, actor: Any = None, storage: Storage | None = None
) -> StoredFile:
    """Store ``content`` at ``path`` for good and record its SHA-256.

    Storing the same content at the same path again returns the existing row (idempotent);
    different content at a path already recorded is refused: stored files are never
    overwritten. A file at ``path`` without a manifest row was never stored for good (a write
    interrupted by a crash, or one whose transaction rolled back): the same content is kept,
    other content (a partial write) is replaced.
    """
    storage = storage or default_storage
    path = _clean_path(path)
    digest = hashlib.sha256(content).hexdigest()
    existing = StoredFile.objects.select_for_update().filter(path=path).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing
        raise _refuse_overwrite(path)
    # The row first: its unique path makes a concurrent writer of the same path wait here and
    # then fail, before it can touch the file.
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                path=path, sha256=digest, size=len(content), source=source[:80]
            )
    except IntegrityError:
        existing = StoredFile.objects.filter(path=path).first()
        if existing is not None and existing.sha256 == digest:
            return existing
        raise _refuse_overwrite(path) from None
    wrote = False
    try:
        if storage.exists(path):
            on_disk, size = sha256_of(storage, path)
            if on_disk != digest:
                logger.warning(
                    "archive: replacing %s: an unrecorded file of %d bytes (an interrupted "
                    "write), expected %d bytes",
                    path,
                    size,
                    len(content),
                )
                storage.delete(path)
        if not storage.exists(path):
            saved = storage.save(path, ContentFile(content))
            wrote = True
            if saved != path:  # pragma: no cover - the name was taken between the two calls
                storage.delete(saved)
                wrote = False
                raise _refuse_overwrite(path)
        audit_record(
            actor=actor,
            action="create",
            object_type=OBJECT_TYPE,
            object_id=stored.pk,
            after=stored.state(),
            detail={"source": stored.source, "size": stored.size},
        )
    except Exception:
        if wrote:
            storage.delete(path)  # no manifest row: leave no file behind either
        raise
    return stored


def archive_put_derived(*, path: str, content: bytes, storage: Storage | None = None) -> str:
    """Write a file that is made again from a stored one (an image tile, a web derivative):
    whole or not at all (the local store writes under ``.partial/`` and links it into place; an
    S3 PUT is atomic), replacing what is at ``path``; no manifest row, so its path belongs under
    a prefix of ``HOTICH_ARCHIVE_FIXITY_IGNORE``. Returns the path."""
    storage = storage or default_storage
    path = _clean_path(path)
    if storage.exists(path):
        storage.delete(path)
    saved = storage.save(path, ContentFile(content))
    if saved != path:  # pragma: no cover - another writer took the name in between
        storage.delete(saved)
        raise _refuse_overwrite(path)
    return path


def archive_delete_derived(*, prefix: str, storage: Storage | None = None) -> int:
    """Remove the derived files under ``prefix`` (a folder); returns how many."""
    storage = storage or default_storage
    prefix = _clean_path(prefix).rstrip("/")
    count = 0
    for name in list(walk_storage(storage, prefix)):
        storage.delete(name)
        count += 1
    return count


@transaction.atomic
def archive_register(
    *, path: str, source: str, actor: Any = None, storage: Storage | None = None
) -> StoredFile:
    """Record a file another context already wrote to the storage (its hash is read now)."""
    storage = storage or default_storage
    path = _clean_path(path)
    if not storage.exists(path):
        raise ValidationFailed(
            format_lazy(_("Không có tệp tại {path}."), path=path[:120]), field="path"
        )
    digest, size = sha256_of(storage, path)
    existing = StoredFile.objects.filter(path=path).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise Conflict(
                format_lazy(_("Tệp {path} đã đổi so với lúc lưu."), path=path), field="path"
            )
        return existing
    stored = StoredFile.objects.create(path=path, sha256=digest, size=size, source=source[:80])
    audit_record(
        actor=actor,
        action="create",
        object_type=OBJECT_TYPE,
        object_id=stored.pk,
        after=stored.state(),
        detail={"source": stored.source, "size": size},
    )
    return stored


# --- fixity ---------------------------------------------------------------------------------


@dataclass
class FixityReport:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    #: temporary files of interrupted writes removed from ``.partial/`` (not a failure)
    partial_removed: int = 0

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.unexpected)

    def lines(self) -> list[str]:
        """One line per problem: ``changed: PATH``, ``missing: PATH``, ``unexpected: PATH``."""
        return [
            *(f"changed: {p}" for p in self.changed),
            *(f"missing: {p}" for p in self.missing),
            *(f"unexpected: {p}" for p in self.unexpected),
        ]


def ignored_prefixes() -> tuple[str, ...]:
    value = getattr(settings, "HOTICH_ARCHIVE_FIXITY_IGNORE", None)
    if value is None:
        raw = os.environ.get("HOTICH_ARCHIVE_FIXITY_IGNORE")
        if raw is None:
            return DEFAULT_IGNORE
        value = raw
    if isinstance(value, str):
        return tuple(p.strip().lstrip("/") for p in value.split(",") if p.strip())
    return tuple(value)


def walk_storage(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file path under ``folder`` of the storage (local folder or S3 alike)."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(dirs):
        yield from walk_storage(storage, f"{folder}/{name}" if folder else name)


def archive_fixity(*, storage: Storage | None = None, record: bool = True) -> FixityReport:
    """Recompute the SHA-256 of every stored file under the storage root and compare it with
    the manifest. ``record`` keeps the result as a :class:`FixityRun`."""
    storage = storage or default_storage
    started = timezone.now()
    ignore = (*ignored_prefixes(), f"{PARTIAL_DIR}/", f"{QUARANTINE_DIR}/")
    manifest = {row.path: row for row in StoredFile.objects.all()}
    report = FixityReport()
    if isinstance(storage, LocalStorage):
        report.partial_removed = storage.clean_partial()
    seen: set[str] = set()
    for path in walk_storage(storage):
        if path.startswith(ignore):
            continue
        seen.add(path)
        row = manifest.get(path)
        if row is None:
            report.unexpected.append(path)
            continue
        digest, size = sha256_of(storage, path)
        report.checked += 1
        if digest != row.sha256 or size != row.size:
            report.changed.append(path)
    report.missing = sorted(p for p in manifest if p not in seen and not p.startswith(ignore))
    if record:
        run = FixityRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            checked=report.checked,
            ok=report.ok,
            changed=report.changed,
            missing=report.missing,
            unexpected=report.unexpected,
        )
        audit_record(
            actor=None,
            action="create",
            object_type="archive.fixity_run",
            object_id=run.pk,
            detail={
                "checked": report.checked,
                "changed": len(report.changed),
                "missing": len(report.missing),
                "unexpected": len(report.unexpected),
            },
        )
    return report


def archive_quarantine_unrecorded(
    *, reason: str, actor: Any = None, storage: Storage | None = None
) -> list[tuple[str, str]]:
    """Move every file the fixity check would call unexpected (under the storage root, not
    ignored, without a manifest row) to ``quarantine/<UTC time>-<reason>/<its path>``, which
    the check skips. For a restored backup: its files were copied after its database, so a file
    stored in between is there without its row. Returns (old path, new path) pairs; nothing is
    deleted. One audit entry (counts only)."""
    storage = storage or default_storage
    folder = f"{QUARANTINE_DIR}/{timezone.now():%Y%m%dT%H%M%SZ}-{reason}"
    ignore = (*ignored_prefixes(), f"{PARTIAL_DIR}/", f"{QUARANTINE_DIR}/")
    recorded = set(StoredFile.objects.values_list("path", flat=True))
    stray = [p for p in walk_storage(storage) if not p.startswith(ignore) and p not in recorded]
    moved: list[tuple[str, str]] = []
    for path in stray:
        target = f"{folder}/{path}"
        if isinstance(storage, FileSystemStorage):
            destination = Path(storage.path(target))
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.rename(storage.path(path), destination)
            fsync_dir(destination.parent)
        else:
            with storage.open(path, "rb") as handle:
                storage.save(target, File(handle, name=path))
            storage.delete(path)
        moved.append((path, target))
    if moved:
        audit_record(
            actor=actor,
            action="update",
            object_type="archive.quarantine",
            object_id=folder[:64],
            detail={"files": len(moved), "reason": reason},
        )
    return moved


def fixity_interval() -> dt.timedelta:
    """``HOTICH_ARCHIVE_FIXITY_HOURS`` (setting or environment variable), 24 by default."""
    value = getattr(settings, "HOTICH_ARCHIVE_FIXITY_HOURS", None)
    if value is None:
        value = os.environ.get("HOTICH_ARCHIVE_FIXITY_HOURS", "24")
    try:
        hours = float(value)
    except ValueError:
        hours = 24.0
    return dt.timedelta(hours=max(hours, 0.1))


# --- the national book export ---------------------------------------------------------------

BookExporter = Callable[[int, Path], Any]
_exporters: list[BookExporter] = []


def register_book_exporter(fn: BookExporter) -> BookExporter:
    """Let a higher context (digitization) provide ``hotich archive export-book``:
    ``fn(book_id, directory)`` writes the book's bag into ``directory`` and raises
    ``core.errors.NotFound`` when the book does not exist. Usable as a decorator."""
    if fn not in _exporters:
        _exporters.append(fn)
    return fn


def book_exporter() -> BookExporter | None:
    return _exporters[-1] if _exporters else None


def archive_export_book(*, book_id: int, directory: Path) -> Any:
    exporter = book_exporter()
    if exporter is None:
        raise ValidationFailed(
            _(
                "Chưa có bộ xuất sổ theo định dạng số hóa quốc gia (phân hệ số hóa chưa đăng ký "
                "register_book_exporter)."
            ),
            code="no_exporter",
        )
    return exporter(book_id, directory)
