"""What creating, verifying and restoring a backup share: the bag's layout and manifest,
hashing and copying files, the database vendor and the PostgreSQL tools."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files.storage import FileSystemStorage, Storage
from django.db import connections

from hotich.core.errors import DomainError, ValidationFailed

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
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "portal_procedure",
        "party_feerate",
        # the civil-status form (HT-01-BTP), defined after every migrate (reporting.apps)
        "reporting_category",
        "reporting_categoryoption",
        "reporting_dataform",
        "reporting_formrow",
        "reporting_indicator",
        "reporting_indicator_categories",
    }
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
