"""Backing up and restoring a whole instance: the database and the stored files.

A backup is a directory ("bag") holding::

    db.sqlite3 | db.pgdump   the database: a consistent SQLite copy, or ``pg_dump --format=custom``
    files/...                every stored file, under its storage name
    manifest.json            what is in the bag: versions, row counts, size and SHA-256 of each file
    manifest.sha256          the SHA-256 of manifest.json (``sha256sum -c manifest.sha256``)

It is written to a hidden sibling directory and renamed into place at the very end, so a
directory named like the target only ever holds a complete backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from hotich.archive.services import archive_quarantine_unrecorded
from hotich.audit.services import audit_record
from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.storage import PARTIAL_DIR

logger = logging.getLogger(__name__)

FORMAT = "hotich-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
FILES_DIR = "files"
DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
CHUNK = 1024 * 1024
DB_ALIAS = "default"

# Model tables that ``migrate`` itself fills: rows there do not make an instance "non-empty".
# Tables that ``migrate`` itself fills (Django's bookkeeping and the data migrations' reference
# data, such as the portal's civil-status procedures): a freshly migrated instance is empty.
MIGRATE_SEEDED_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "portal_procedure"}
)


# --- Data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileEntry:
    """One file of the bag: its path relative to the bag (``/`` separated), size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database_file: str
    migrations: dict[str, str]
    row_counts: dict[str, int]
    files: list[FileEntry]
    storage_backend: str = ""
    app_version: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def stored_files(self) -> list[FileEntry]:
        return [f for f in self.files if f.path.startswith(FILES_DIR + "/")]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> str:
        data = asdict(self)
        data["files"] = [asdict(f) for f in self.files]
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        try:
            return cls(
                created_at=str(data["created_at"]),
                vendor=str(data["vendor"]),
                database_file=str(data["database_file"]),
                migrations={str(k): str(v) for k, v in dict(data["migrations"]).items()},
                row_counts={str(k): int(v) for k, v in dict(data["row_counts"]).items()},
                files=[
                    FileEntry(path=str(f["path"]), size=int(f["size"]), sha256=str(f["sha256"]))
                    for f in data["files"]
                ],
                storage_backend=str(data.get("storage_backend", "")),
                app_version=str(data.get("app_version", "")),
                format=str(data["format"]),
                format_version=int(data["format_version"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValidationFailed(
                f"manifest.json thiếu hoặc sai trường ({exc!r}) / "
                f"manifest.json is missing or has a malformed field",
                field="manifest",
            ) from None


@dataclass(frozen=True)
class Problem:
    """Something wrong with a backup: ``kind`` is missing, changed, unexpected or invalid."""

    path: str
    kind: str
    detail: str = ""

    LABELS = {
        "missing": "thiếu tệp / file missing",
        "changed": "tệp đã bị thay đổi / file changed",
        "unexpected": "tệp lạ không có trong manifest / unexpected file, not in the manifest",
        "invalid": "không hợp lệ / invalid",
    }

    def __str__(self) -> str:
        label = self.LABELS.get(self.kind, self.kind)
        return f"{self.path}: {label}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class RestoreResult:
    manifest: Manifest
    tables_checked: int = 0
    files_restored: int = 0
    notes: list[str] = field(default_factory=list)
    #: files without a manifest row, moved under ``quarantine/`` (their new paths)
    quarantined: list[str] = field(default_factory=list)


# --- Helpers -----------------------------------------------------------------------------------


def _sha256_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _copy_stream(src: IO[bytes], dst: Path) -> tuple[int, str]:
    """Copy ``src`` into the new file ``dst`` (fsynced), hashing on the way."""
    digest, size = hashlib.sha256(), 0
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("xb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _vendor() -> str:
    vendor = connections[DB_ALIAS].vendor
    if vendor not in DB_FILES:
        raise DomainError(
            f"Không hỗ trợ sao lưu CSDL loại {vendor} / backups do not support {vendor} databases"
        )
    return vendor


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hotich")
    except PackageNotFoundError:
        return ""


def _storage_name(storage: Storage) -> str:
    cls = type(storage)
    return f"{cls.__module__}.{cls.__qualname__}"


def _iter_storage(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in the storage, ``/`` separated, sorted."""
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        if not root.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                full = Path(dirpath) / name
                if full.is_file() and not full.is_symlink():
                    yield full.relative_to(root).as_posix()
        return
    dirs, files = storage.listdir(directory)
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from _iter_storage(storage, f"{directory}/{sub}" if directory else sub)


def _safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        bool(path)
        and "\\" not in path
        and "\x00" not in path
        and not pure.is_absolute()
        and all(part not in {"", ".", ".."} for part in path.split("/"))
    )


def _latest_migrations(rows: list[tuple[str, str]]) -> dict[str, str]:
    """``rows`` are (app, name) in the order they were applied; the last one per app."""
    latest: dict[str, str] = {}
    for app, name in rows:
        latest[app] = name
    return dict(sorted(latest.items()))


def _count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        # Table names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


# --- Database snapshot -------------------------------------------------------------------------


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


def _pg_env_and_args(settings_dict: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    args: list[str] = ["--no-password"]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "service": "PGSERVICE",
        "passfile": "PGPASSFILE",
    }.items():
        if options.get(option):
            env[variable] = str(options[option])
    return env, args


def _run_pg_tool(tool: str, args: list[str], env: dict[str, str]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise DomainError(
            f"Không tìm thấy chương trình {tool}; cài gói postgresql-client / "
            f"{tool} not found; install the postgresql-client package"
        )
    # A fixed executable and an argument list (no shell); values come from the settings.
    result = subprocess.run(  # noqa: S603
        [executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = " ".join(result.stderr.split())[:500] or f"exit {result.returncode}"
        raise DomainError(f"{tool} thất bại / {tool} failed: {message}")


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
            _fsync_dir(Path(dirpath))
        if target.exists():
            target.rmdir()  # empty (checked above); rename cannot replace it on every platform
        os.rename(work, target)
        _fsync_dir(target.parent)
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


def read_manifest(source: Path) -> Manifest:
    """The manifest of the backup at ``source`` (its checksum is not checked here)."""
    path = Path(source) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationFailed(
            f"{source} không có {MANIFEST} / {source} has no {MANIFEST}", field="source"
        ) from None
    except (OSError, ValueError) as exc:
        raise ValidationFailed(
            f"Không đọc được {MANIFEST} ({exc}) / cannot read {MANIFEST}", field="source"
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed(f"{MANIFEST} sai định dạng / malformed {MANIFEST}")
    return Manifest.from_dict(data)


def backup_verify(*, source: Path) -> list[Problem]:
    """Recompute every checksum of the backup at ``source``; an empty list means it is intact."""
    source = Path(source).expanduser().resolve()
    if not source.is_dir():
        return [Problem(str(source), "missing", "không phải thư mục / not a directory")]
    problems: list[Problem] = []
    for name in (MANIFEST, MANIFEST_SUM):
        if not (source / name).is_file():
            problems.append(Problem(name, "missing"))
    if problems:
        return problems
    expected = (source / MANIFEST_SUM).read_text(encoding="utf-8", errors="replace").split()
    actual = _sha256_file(source / MANIFEST)[1]
    if not expected or expected[0].lower() != actual:
        return [Problem(MANIFEST, "changed", "không khớp manifest.sha256 / does not match")]
    try:
        manifest = read_manifest(source)
    except DomainError as exc:
        return [Problem(MANIFEST, "invalid", str(exc))]
    if manifest.format != FORMAT or manifest.format_version != FORMAT_VERSION:
        return [
            Problem(
                MANIFEST,
                "invalid",
                f"định dạng {manifest.format} v{manifest.format_version} không hỗ trợ / "
                "unsupported format",
            )
        ]
    listed: set[str] = set()
    for entry in manifest.files:
        if not _safe_relative(entry.path) or entry.path in listed:
            problems.append(Problem(entry.path, "invalid", "đường dẫn sai / bad path"))
            continue
        listed.add(entry.path)
        path = source / entry.path
        if not path.is_file():
            problems.append(Problem(entry.path, "missing"))
            continue
        size, digest = _sha256_file(path)
        if size != entry.size or digest != entry.sha256:
            problems.append(Problem(entry.path, "changed", f"{size} B, sha256 {digest[:12]}…"))
    if manifest.database_file not in listed:
        problems.append(
            Problem(manifest.database_file, "invalid", "CSDL không có trong manifest / not listed")
        )
    for dirpath, _dirs, filenames in os.walk(source):
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(source).as_posix()
            if rel not in listed and rel not in (MANIFEST, MANIFEST_SUM):
                problems.append(Problem(rel, "unexpected"))
    return sorted(problems, key=lambda p: (p.path, p.kind))


def problems_summary(problems: list[Problem], limit: int = 5) -> str:
    shown = "; ".join(str(p) for p in problems[:limit])
    more = f"; … +{len(problems) - limit}" if len(problems) > limit else ""
    return f"{shown}{more}"


# --- Restore -----------------------------------------------------------------------------------


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
    _fsync_dir(path.parent)


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
