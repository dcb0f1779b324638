"""Restoring a backup into an empty instance: the database, then the stored files; files
without a manifest row are quarantined."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from hotich.archive.services import archive_quarantine_unrecorded
from hotich.audit.services import audit_record
from hotich.backup.services.common import (
    CHUNK,
    DB_ALIAS,
    FILES_DIR,
    MIGRATE_SEEDED_TABLES,
    Manifest,
    _copy_stream,
    _count_rows,
    _iter_storage,
    _pg_env_and_args,
    _quote,
    _run_pg_tool,
    _vendor,
    read_manifest,
)
from hotich.backup.services.verify import backup_verify, problems_summary
from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.storage import fsync_dir


@dataclass
class RestoreResult:
    manifest: Manifest
    tables_checked: int = 0
    files_restored: int = 0
    notes: list[str] = field(default_factory=list)
    #: files without a manifest row, moved under ``quarantine/`` (their new paths)
    quarantined: list[str] = field(default_factory=list)


def _nonempty_tables() -> dict[str, int]:
    """The models' tables holding rows that ``migrate`` did not put there. Only models count:
    tables a database engine keeps for itself (such as SQLite FTS5 shadow tables, which hold
    rows as soon as they are created) do not make an instance non-empty."""
    conn = connections[DB_ALIAS]
    if conn.vendor == "sqlite":
        name = conn.settings_dict["NAME"]
        if not conn.creation.is_in_memory_db(name) and not Path(name).exists():  # type: ignore[attr-defined]
            return {}
    model_tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }
    with conn.cursor() as cursor:
        present = set(conn.introspection.table_names(cursor))
        tables = sorted((model_tables & present) - MIGRATE_SEEDED_TABLES)
        counts = _count_rows(cursor, tables)
    return {t: n for t, n in counts.items() if n}


def _existing_files() -> int:
    return sum(1 for _ in _iter_storage(default_storage))


def _restore_sqlite(dump: Path) -> None:
    conn = connections[DB_ALIAS]
    name = conn.settings_dict["NAME"]
    if conn.creation.is_in_memory_db(name):  # type: ignore[attr-defined]
        # Only in tests: there is no file to put in place, so copy pages into the live database.
        conn.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(conn.connection)
        finally:
            source.close()
        return
    conn.close()
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.restore-tmp")
    with dump.open("rb") as src:
        tmp.unlink(missing_ok=True)
        _copy_stream(src, tmp)
    # A -wal file left from the old database would be replayed into the new one: remove it.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _restore_postgresql(dump: Path, *, drop_existing: bool) -> None:
    conn = connections[DB_ALIAS]
    if drop_existing:
        # The target holds no data (checked): drop its tables so that tables created by a newer
        # version's migrations do not linger next to the restored migration state.
        with conn.cursor() as cursor:
            tables = conn.introspection.table_names(cursor)
            if tables:
                cursor.execute(
                    "DROP TABLE IF EXISTS " + ", ".join(_quote(t) for t in tables) + " CASCADE"
                )
    conn.close()
    env, args = _pg_env_and_args(conn.settings_dict)
    _run_pg_tool(
        "pg_restore",
        [
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(conn.settings_dict["NAME"]),
            str(dump),
        ],
        env,
    )


def _restore_files(source: Path, manifest: Manifest) -> int:
    storage = default_storage
    restored = 0
    for entry in manifest.stored_files:
        name = entry.path[len(FILES_DIR) + 1 :]
        if storage.exists(name):
            storage.delete(name)
        with (source / entry.path).open("rb") as fh:
            saved = storage.save(name, File(fh, name=name))
        if saved != name:
            raise DomainError(f"Tệp {name} được lưu thành {saved} / {name} was stored as {saved}")
        digest = hashlib.sha256()
        with storage.open(name, "rb") as check:
            while chunk := check.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != entry.sha256:
            raise DomainError(
                f"Tệp {name} khôi phục không khớp checksum / restored {name} fails its checksum"
            )
        restored += 1
    return restored


def _check_migrations(manifest: Manifest, result: RestoreResult) -> None:
    conn = connections[DB_ALIAS]
    loader = MigrationLoader(conn, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, name in manifest.migrations.items()
        if (app, name) not in loader.graph.nodes
    ]
    if unknown:
        result.notes.append(
            "Bản sao lưu có migration mà mã nguồn này không biết (phiên bản mới hơn?) / the "
            "backup has migrations this code does not know (newer version?): " + ", ".join(unknown)
        )
        return
    plan = MigrationExecutor(conn).migration_plan(loader.graph.leaf_nodes())
    if plan:
        result.notes.append(
            f"Còn {len(plan)} migration chưa áp dụng: chạy `hotich migrate` / "
            f"{len(plan)} migrations pending: run `hotich migrate`"
        )


def _quarantine_unrecorded(result: RestoreResult) -> None:
    """Files are copied after the database: a file stored in between has no manifest row in the
    restored database, and the fixity check would fail on it. Move such files aside."""
    try:
        moved = archive_quarantine_unrecorded(reason="restore")
    except DatabaseError:  # the restored database predates the archive's tables
        result.notes.append(
            "Chưa kiểm được tệp không có dòng trong CSDL: chạy `hotich migrate` rồi `hotich "
            "archive fixity` / files without a database row not checked: run `hotich migrate`, "
            "then `hotich archive fixity`"
        )
        return
    result.quarantined = [new for _old, new in moved]
    if moved:
        folder = moved[0][1][: -len(moved[0][0]) - 1]
        shown = ", ".join(old for old, _new in moved[:5]) + (", …" if len(moved) > 5 else "")
        result.notes.append(
            f"{len(moved)} tệp không có dòng trong CSDL (lưu sau lúc chép CSDL) đã chuyển vào "
            f"{folder}/ / {len(moved)} files without a database row (stored after the database "
            f"was copied) moved to {folder}/: {shown}"
        )


def backup_restore(*, source: Path, force: bool = False) -> RestoreResult:
    """Restore the backup at ``source`` into the configured database and storage.

    Refuses unless the backup verifies and the instance is empty (only what ``migrate`` creates),
    or ``force`` is given. Checks the restored row counts against the manifest."""
    source = Path(source).expanduser().resolve()
    problems = backup_verify(source=source)
    if problems:
        raise ValidationFailed(
            f"Bản sao lưu hỏng, không khôi phục / the backup is damaged, not restoring: "
            f"{problems_summary(problems)}",
            field="source",
        )
    manifest = read_manifest(source)
    vendor = _vendor()
    if manifest.vendor != vendor:
        raise ValidationFailed(
            f"Bản sao lưu là CSDL {manifest.vendor}, hệ thống đang dùng {vendor} / the backup "
            f"is a {manifest.vendor} database but this instance uses {vendor}",
            field="source",
        )
    occupied = _nonempty_tables()
    files_present = _existing_files()
    if (occupied or files_present) and not force:
        what = ", ".join(f"{t}: {n}" for t, n in sorted(occupied.items())[:5])
        if files_present:
            what = ", ".join(filter(None, [what, f"{files_present} tệp / files"]))
        raise ValidationFailed(
            f"Hệ thống đích đã có dữ liệu ({what}); chỉ khôi phục vào hệ thống mới, hoặc dùng "
            f"--force để ghi đè / the target instance already holds data ({what}); restore into "
            f"a fresh instance or pass --force to overwrite",
            field="force",
            code="not_empty",
        )
    result = RestoreResult(manifest=manifest)
    dump = source / manifest.database_file
    if vendor == "sqlite":
        _restore_sqlite(dump)
    else:
        _restore_postgresql(dump, drop_existing=not occupied)
    result.files_restored = _restore_files(source, manifest)
    if files_present:
        listed = {e.path[len(FILES_DIR) + 1 :] for e in manifest.stored_files}
        extra = sum(1 for name in _iter_storage(default_storage) if name not in listed)
        if extra:
            result.notes.append(
                f"{extra} tệp không có trong bản sao lưu được giữ nguyên / "
                f"{extra} files not in the backup were left in place"
            )

    conn = connections[DB_ALIAS]
    with conn.cursor() as cursor:
        present = set(conn.introspection.table_names(cursor))
        missing = sorted(set(manifest.row_counts) - present)
        counts = _count_rows(cursor, [t for t in manifest.row_counts if t in present])
    wrong = [
        f"{t}: {counts[t]} ≠ {n}"
        for t, n in manifest.row_counts.items()
        if t in counts and counts[t] != n
    ]
    if missing or wrong:
        details = [*(f"{t}: thiếu bảng / missing" for t in missing), *wrong]
        raise DomainError(
            "Số dòng sau khi khôi phục không khớp manifest / restored row counts do not match "
            "the manifest: " + "; ".join(details[:10])
        )
    result.tables_checked = len(counts)
    extra_tables = sorted(present - set(manifest.row_counts) - {"sqlite_sequence"})
    if extra_tables:
        result.notes.append(
            "Bảng không có trong bản sao lưu được giữ nguyên / tables not in the backup were "
            "left in place: " + ", ".join(extra_tables[:10])
        )
    _check_migrations(manifest, result)
    _quarantine_unrecorded(result)
    audit_record(
        actor=None,
        action="bulk",
        object_type="backup",
        object_id=source.name,
        detail={
            "restore": True,
            "vendor": vendor,
            "created_at": manifest.created_at,
            "tables": result.tables_checked,
            "files": result.files_restored,
            "forced": bool(force and (occupied or files_present)),
        },
    )
    return result
