"""Backups: create, verify, and restore into a fresh instance in a separate process.

Runs against whichever database the test settings use (SQLite in memory, or PostgreSQL when
``DATABASE_URL`` is set); the restore always goes to a fresh database and data directory."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from hotich.archive.services import archive_store
from hotich.audit.models import Entry
from hotich.audit.services import audit_record
from hotich.backup import services
from hotich.backup.services import Manifest, backup_create, backup_restore, backup_verify
from hotich.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
STORED_NAME = "giay-to/2025/khai-sinh-0001.pdf"
STORED_BYTES = b"%PDF-1.4\n% giay khai sinh \xe2\x80\x94 test\n" * 50
SCRATCH_DB = "hotich_restore_test"
IS_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hotich.core.storage.LocalStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def populated(media: Path) -> str:
    admin = User.objects.create_user("quantri", password="x-Test-123", full_name="Quản Trị")
    User.objects.create_user("canbo1", password="x-Test-123", full_name="Nguyễn Văn A")
    audit_record(actor=admin, action="create", object_type="test", object_id="1")
    return archive_store(path=STORED_NAME, content=STORED_BYTES, source="test").path


@pytest.fixture
def backup(tmp_path: Path, populated: str) -> tuple[Path, Manifest]:
    target = tmp_path / "backups" / "2025-01-01"
    return target, backup_create(target=target)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- Create and verify ---------------------------------------------------------------------


def test_create_writes_a_complete_checksummed_bag(backup: tuple[Path, Manifest]) -> None:
    target, manifest = backup
    db_file = "db.pgdump" if IS_POSTGRES else "db.sqlite3"
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [db_file, "files", "manifest.json", "manifest.sha256"]
    )
    assert manifest.vendor == connection.vendor
    assert manifest.database_file == db_file
    assert manifest.row_counts["accounts_user"] == 2
    assert manifest.row_counts["audit_entry"] == 2  # the test's entry and the stored file's
    latest = MigrationLoader(connection).graph.leaf_nodes("accounts")[0][1]
    assert manifest.migrations["accounts"] == latest
    assert manifest.created_at.endswith("Z")
    by_path = {f.path: f for f in manifest.files}
    stored = by_path[f"files/{STORED_NAME}"]
    assert stored.size == len(STORED_BYTES)
    assert stored.sha256 == hashlib.sha256(STORED_BYTES).hexdigest()
    assert (target / "files" / STORED_NAME).read_bytes() == STORED_BYTES
    assert by_path[db_file].sha256 == sha256(target / db_file)
    manifest_sum = (target / "manifest.sha256").read_text().split()
    assert manifest_sum == [sha256(target / "manifest.json"), "manifest.json"]
    assert backup_verify(source=target) == []
    # No temporary directory is left next to the backup.
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_create_is_audited(backup: tuple[Path, Manifest]) -> None:
    target, _ = backup
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.object_type, entry.object_id) == ("export", "backup", target.name)
    assert entry.detail["files"] == 1


def test_verify_command_prints_a_summary(backup: tuple[Path, Manifest], capsys: Any) -> None:
    target, _ = backup
    call_command("backup", "verify", str(target))
    assert "backup intact" in capsys.readouterr().out


def test_create_refuses_a_non_empty_directory(tmp_path: Path, media: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "something").write_text("x")
    with pytest.raises(ValidationFailed, match="not empty"):
        backup_create(target=target)
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "create", str(target))


def test_create_into_an_existing_empty_directory(tmp_path: Path, populated: str) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    backup_create(target=target)
    assert backup_verify(source=target) == []


def test_a_crash_leaves_no_backup_behind(
    tmp_path: Path, populated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(services.create, "_copy_stream", boom)
    parent = tmp_path / "crash"
    with pytest.raises(OSError, match="disk full"):
        backup_create(target=parent / "b")
    assert list(parent.iterdir()) == []


# --- Damaged backups -----------------------------------------------------------------------


def test_verify_names_a_changed_file(backup: tuple[Path, Manifest]) -> None:
    target, _ = backup
    stored = target / "files" / STORED_NAME
    stored.write_bytes(stored.read_bytes().replace(b"khai sinh", b"khai tu!!"))  # same size
    problems = backup_verify(source=target)
    assert [(p.path, p.kind) for p in problems] == [(f"files/{STORED_NAME}", "changed")]
    with pytest.raises(CommandError, match=f"files/{STORED_NAME}.*changed"):
        call_command("backup", "verify", str(target))


def test_verify_names_a_missing_file(backup: tuple[Path, Manifest]) -> None:
    target, manifest = backup
    (target / manifest.database_file).unlink()
    problems = backup_verify(source=target)
    assert [(p.path, p.kind) for p in problems] == [(manifest.database_file, "missing")]
    with pytest.raises(CommandError, match=f"{manifest.database_file}.*missing"):
        call_command("backup", "verify", str(target))


def test_verify_names_an_unexpected_file(backup: tuple[Path, Manifest]) -> None:
    target, _ = backup
    (target / "files" / "extra.txt").write_text("?")
    problems = backup_verify(source=target)
    assert [(p.path, p.kind) for p in problems] == [("files/extra.txt", "unexpected")]


def test_verify_detects_an_edited_manifest(backup: tuple[Path, Manifest]) -> None:
    target, _ = backup
    path = target / "manifest.json"
    path.write_text(path.read_text().replace('"accounts_user": 2', '"accounts_user": 3'))
    problems = backup_verify(source=target)
    assert [(p.path, p.kind) for p in problems] == [("manifest.json", "changed")]


def test_verify_a_directory_that_is_not_a_backup(tmp_path: Path) -> None:
    problems = backup_verify(source=tmp_path)
    assert {p.path for p in problems} == {"manifest.json", "manifest.sha256"}


def test_restore_refuses_a_damaged_backup(backup: tuple[Path, Manifest]) -> None:
    target, _ = backup
    (target / "files" / STORED_NAME).unlink()
    with pytest.raises(ValidationFailed, match=f"files/{STORED_NAME}"):
        backup_restore(source=target, force=True)


def test_restore_refuses_a_non_empty_instance(backup: tuple[Path, Manifest]) -> None:
    target, _ = backup
    with pytest.raises(ValidationFailed, match="--force") as info:
        backup_restore(source=target)
    assert info.value.code == "not_empty"
    assert User.objects.count() == 2  # untouched


# --- Round trip into a fresh instance, in another process ----------------------------------


def _scratch_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{SCRATCH_DB}"


def _admin_sql(sql: str) -> None:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(sql)


@pytest.fixture
def fresh_instance(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a fresh data directory and an empty database."""
    data_dir = tmp_path / "restored"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    env.update(HOTICH_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="hotich.config.settings")
    if IS_POSTGRES:
        _admin_sql(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
        _admin_sql(f"CREATE DATABASE {SCRATCH_DB}")
        env["DATABASE_URL"] = _scratch_url()
    try:
        yield env
    finally:
        if IS_POSTGRES:
            _admin_sql(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")


def hotich(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotich", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def restored_counts(env: dict[str, str], tables: list[str]) -> dict[str, int]:
    if IS_POSTGRES:
        import psycopg

        counts: dict[str, int] = {}
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            for t in tables:
                row = conn.execute(f'SELECT COUNT(*) FROM "{t}"'.encode()).fetchone()
                assert row is not None
                counts[t] = row[0]
        return counts
    db = sqlite3.connect(Path(env["HOTICH_DATA_DIR"]) / "hotich.sqlite3")
    try:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


@pytest.mark.parametrize("migrate_first", [True, False], ids=["migrated", "unmigrated"])
def test_round_trip_into_a_fresh_instance(
    backup: tuple[Path, Manifest], fresh_instance: dict[str, str], migrate_first: bool
) -> None:
    target, manifest = backup
    env = fresh_instance
    if migrate_first:
        done = hotich(env, "migrate", "--no-input", "-v0")
        assert done.returncode == 0, done.stderr

    done = hotich(env, "backup", "restore", str(target))
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout

    # Every table holds what the manifest says; the restore added one audit entry of its own.
    expected = dict(manifest.row_counts)
    expected["audit_entry"] += 1
    assert restored_counts(env, sorted(expected)) == expected

    # Every stored file is back, byte for byte.
    media_root = Path(env["HOTICH_DATA_DIR"]) / "files"
    restored_files = sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )
    assert restored_files == [STORED_NAME]
    for entry in manifest.stored_files:
        assert sha256(media_root / entry.path.removeprefix("files/")) == entry.sha256

    # The restored instance is complete: no migration pending, and it can itself be backed up.
    done = hotich(env, "migrate", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    second = target.parent / "second"
    done = hotich(env, "backup", "create", str(second))
    assert done.returncode == 0, done.stderr
    done = hotich(env, "backup", "verify", str(second))
    assert done.returncode == 0, done.stderr
    assert services.read_manifest(second).row_counts == expected

    # A second restore refuses the now non-empty instance, unless forced.
    done = hotich(env, "backup", "restore", str(target))
    assert done.returncode != 0
    assert "--force" in done.stderr and "\n" not in done.stderr.strip()
    done = hotich(env, "backup", "restore", "--force", str(target))
    assert done.returncode == 0, done.stderr
    assert restored_counts(env, ["accounts_user"]) == {"accounts_user": 2}


def test_restore_refuses_a_damaged_backup_in_a_fresh_instance(
    backup: tuple[Path, Manifest], fresh_instance: dict[str, str]
) -> None:
    target, _ = backup
    (target / "files" / STORED_NAME).write_bytes(b"tampered")
    done = hotich(fresh_instance, "backup", "restore", str(target))
    assert done.returncode != 0
    assert f"files/{STORED_NAME}" in done.stderr
    assert not (Path(fresh_instance["HOTICH_DATA_DIR"]) / "files" / STORED_NAME).exists()


def test_a_backup_taken_during_an_import_restores_to_a_store_that_passes_fixity(
    tmp_path: Path, populated: str, fresh_instance: dict[str, str]
) -> None:
    """The database is copied before the files: a page stored in between is in the backup
    without its row. The restore moves it aside (and says so), so the fixity check passes."""
    late = "digitization/masters/ab/ab12.png"
    assert default_storage.save(late, ContentFile(b"stored after the database copy")) == late
    target = tmp_path / "backups" / "during-import"
    backup_create(target=target)
    env = fresh_instance
    done = hotich(env, "backup", "restore", str(target))
    assert done.returncode == 0, done.stderr
    assert "1 " in done.stdout and "quarantine/" in done.stdout and late in done.stdout
    fixity = hotich(env, "archive", "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
    assert "OK: 1 files checked" in fixity.stdout
    media_root = Path(env["HOTICH_DATA_DIR"]) / "files"
    assert (media_root / STORED_NAME).read_bytes() == STORED_BYTES
    assert not (media_root / late).exists()
    moved = list((media_root / "quarantine").rglob("ab12.png"))
    assert [p.read_bytes() for p in moved] == [b"stored after the database copy"]
    assert moved[0].relative_to(media_root).as_posix().endswith(f"/{late}")
