"""Creating a backup: a consistent copy of the database and every stored file, written to a
hidden sibling directory and renamed into place at the very end."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from hotich.audit.services import audit_record
from hotich.backup.services.common import (
    DB_ALIAS,
    DB_FILES,
    FILES_DIR,
    MANIFEST,
    MANIFEST_SUM,
    FileEntry,
    Manifest,
    _app_version,
    _copy_stream,
    _count_rows,
    _iter_storage,
    _latest_migrations,
    _pg_env_and_args,
    _run_pg_tool,
    _safe_relative,
    _sha256_file,
    _storage_name,
    _vendor,
)
from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.storage import PARTIAL_DIR, fsync_dir

logger = logging.getLogger(__name__)


def _snapshot_sqlite(dst_path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Copy the database with SQLite's online backup API (consistent even while other processes
    write to the WAL database), then read migrations and row counts from the copy itself."""
    conn = connections[DB_ALIAS]
    name = conn.settings_dict["NAME"]
    if conn.creation.is_in_memory_db(name):  # type: ignore[attr-defined]
        conn.ensure_connection()
        source: sqlite3.Connection = conn.connection
        owned = False
    else:
        if not Path(name).is_file():
            raise DomainError(
                f"Không thấy tệp CSDL {name} / the database file {name} does not exist"
            )
        source = sqlite3.connect(name)
        owned = True
    target = sqlite3.connect(dst_path)
    try:
        source.backup(target)
        # The copy must not look like a WAL database: opening it would create -wal/-shm files.
        target.execute("PRAGMA journal_mode=DELETE").fetchall()
        cursor = target.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        migrations: dict[str, str] = {}
        if "django_migrations" in tables:
            migrations = _latest_migrations(
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
            )
        counts = _count_rows(cursor, tables)
        cursor.close()
    finally:
        target.close()
        if owned:
            source.close()
    return migrations, counts


def _snapshot_postgresql(dst_path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """``pg_dump --format=custom`` of an exported snapshot, so the dump, the migration state and
    the row counts all describe the same instant."""
    base = connections[DB_ALIAS]
    wrapper: BaseDatabaseWrapper = type(base)(dict(base.settings_dict), DB_ALIAS)
    try:
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
            env, args = _pg_env_and_args(wrapper.settings_dict)
            _run_pg_tool(
                "pg_dump",
                [
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dst_path),
                    "--dbname",
                    str(wrapper.settings_dict["NAME"]),
                ],
                env,
            )
            tables = wrapper.introspection.table_names(cursor)
            migrations: dict[str, str] = {}
            if "django_migrations" in tables:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
                migrations = _latest_migrations([(r[0], r[1]) for r in cursor.fetchall()])
            counts = _count_rows(cursor, tables)
            cursor.execute("COMMIT")
    finally:
        wrapper.close()
    return migrations, counts


# --- Create ------------------------------------------------------------------------------------


def _check_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ValidationFailed(
            f"Thư mục {target} đã tồn tại và không rỗng / {target} exists and is not empty",
            field="target",
        )
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        media = Path(storage.location).resolve()
        if target == media or media in target.parents:
            raise ValidationFailed(
                "Không được đặt bản sao lưu trong thư mục tệp lưu trữ / "
                "the backup must not be inside the stored files directory",
                field="target",
            )


def backup_create(*, target: Path) -> Manifest:
    """Write a complete, checksummed backup of the instance into the new directory ``target``."""
    target = Path(target).expanduser().resolve()
    _check_target(target)
    vendor = _vendor()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        db_name = DB_FILES[vendor]
        # Database first: a file uploaded while we copy is harmless extra; the other order could
        # leave the database pointing at files the backup does not have.
        if vendor == "sqlite":
            migrations, counts = _snapshot_sqlite(work / db_name)
        else:
            migrations, counts = _snapshot_postgresql(work / db_name)
        size, digest = _sha256_file(work / db_name)
        entries = [FileEntry(db_name, size, digest)]

        storage = default_storage
        for name in _iter_storage(storage):
            if name.startswith(f"{PARTIAL_DIR}/"):  # a write under way or interrupted
                continue
            if not _safe_relative(name):
                logger.warning("backup: skipping unsafe storage name %r", name)
                continue
            try:
                with storage.open(name, "rb") as src:
                    size, digest = _copy_stream(src, work / FILES_DIR / name)
            except FileNotFoundError:  # deleted while we were copying
                logger.warning("backup: %s vanished during the backup", name)
                continue
            entries.append(FileEntry(f"{FILES_DIR}/{name}", size, digest))

        manifest = Manifest(
            created_at=created_at,
            vendor=vendor,
            database_file=db_name,
            migrations=migrations,
            row_counts=counts,
            files=sorted(entries, key=lambda e: e.path),
            storage_backend=_storage_name(storage),
            app_version=_app_version(),
        )
        text = manifest.to_json().encode()
        (work / MANIFEST).write_bytes(text)
        (work / MANIFEST_SUM).write_text(f"{hashlib.sha256(text).hexdigest()}  {MANIFEST}\n")
        for dirpath, _dirs, _files in os.walk(work):
            fsync_dir(Path(dirpath))
        if target.exists():
            target.rmdir()  # empty (checked above); rename cannot replace it on every platform
        os.rename(work, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    audit_record(
        actor=None,
        action="export",
        object_type="backup",
        object_id=target.name,
        detail={
            "vendor": vendor,
            "files": len(manifest.stored_files),
            "bytes": manifest.total_bytes,
            "manifest_sha256": hashlib.sha256(text).hexdigest(),
        },
    )
    return manifest


# --- Verify ------------------------------------------------------------------------------------
