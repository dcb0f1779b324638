"""Point-in-time recovery with pgBackRest, against a throwaway PostgreSQL cluster made here
(initdb + pg_ctl on a free port): setup, a restart for archive_mode, a base backup, two
registrations, and a drill to the moment between them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from hotich.backup.services import pitr, pitr_drill, pitr_setup
from hotich.core.errors import DomainError

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ALIAS = "pitr"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        prefix + args, capture_output=True, text=True, timeout=300, check=False, cwd="/"
    )


def _ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.fixture
def cluster(django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """A new PostgreSQL 15 cluster (WAL archiving off, as installed) with the register's tables,
    known to Django as the database ``pitr``."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("needs PostgreSQL 15's initdb and pg_ctl (Debian package postgresql-15)")
    if not shutil.which("pgbackrest"):
        pytest.skip("needs pgBackRest (Debian package pgbackrest)")
    root = Path(tempfile.mkdtemp(prefix="hotich-pitr-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    _ok(
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                *("-D", str(data), "-A", "trust", "-U", "postgres"),
                *("--no-sync", "-E", "UTF8", "--locale=C.UTF-8"),
            ]
        )
    )
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = ''\nunix_socket_directories = '{root}'\n"
            "shared_buffers = 32MB\nfsync = off\nfull_page_writes = off\n"
        )
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w"]
    settings_dict = connections.configure_settings(
        {
            "default": connections["default"].settings_dict,
            ALIAS: {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "hotich",
                "USER": "postgres",
                "HOST": str(root),
                "PORT": str(port),
            },
        }
    )[ALIAS]
    connections.settings[ALIAS] = settings_dict
    try:
        _ok(_as_postgres([*pg_ctl, "start"]))
        _ok(_as_postgres([str(PG_BIN / "createdb"), "-h", str(root), "-p", str(port), "hotich"]))
        with django_db_blocker.unblock():
            call_command("migrate", "registry", database=ALIAS, verbosity=0)
            yield {"root": root, "pg_ctl": pg_ctl}
    finally:
        if ALIAS in connections:
            connections[ALIAS].close()
            del connections[ALIAS]
        connections.settings.pop(ALIAS, None)
        _as_postgres([*pg_ctl, "-m", "immediate", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def _register(unit: Any, entry: int) -> Any:
    # backup sits below registry and geo: their models by name (the drill does the same)
    record = apps.get_model("registry", "Record")
    return record.objects.using(ALIAS).create(
        event_type="birth",
        status="registered",
        unit=unit,
        entry_number=entry,
        registration_date=dt.date(2026, 12, 6),
        data={"note": "diễn tập"},
    )


def test_setup_and_drill_restore_the_moment_between_two_registrations(
    cluster: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = cluster["root"] / "pitr"
    # Without the program: a clear reason, nothing written.
    with monkeypatch.context() as patched:
        patched.setattr(shutil, "which", lambda name: None)
        with pytest.raises(DomainError, match="apt install pgbackrest"):
            pitr_setup(path=repo, using=ALIAS)
    assert not repo.exists()

    # As installed, archive_mode is off: the stanza is made and a restart is asked for.
    first = pitr_setup(path=repo, using=ALIAS)
    assert first.restart_needed == ["archive_mode"] and not first.backup_label
    assert "archive-push %p" in first.archive_command
    assert "systemctl restart" in first.next_steps[0]
    text = (repo / "pgbackrest.conf").read_text()
    assert f"pg1-path={cluster['root'] / 'data'}" in text and f"repo1-path={repo / 'repo'}" in text
    connections[ALIAS].close()
    _ok(_as_postgres([*cluster["pg_ctl"], "-m", "fast", "restart"]))

    # After the restart: archiving runs and a full base backup is taken.
    second = pitr_setup(path=repo, using=ALIAS)
    assert second.restart_needed == [] and second.backup_label.endswith("F")
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SHOW archive_mode")
        assert cursor.fetchone()[0] == "on"

    # Two registrations after the base backup, with a moment between them (pgBackRest keeps a
    # backup's stop time to the second: the moment must fall in a later second).
    time.sleep(1.2)
    unit = (
        apps.get_model("geo", "Unit")
        .objects.using(ALIAS)
        .create(
            era="c",
            level="commune",
            code="16681",
            name="Phường Thành Vinh",
            short_name="Thành Vinh",
            unit_type="Phường",
            path="n/16681/",
        )
    )
    first_record = _register(unit, 1)
    time.sleep(0.3)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        moment = cursor.fetchone()[0]
    time.sleep(0.3)
    second_record = _register(unit, 2)

    result = pitr_drill(target_time=moment, path=repo, using=ALIAS)
    assert result.before is not None and result.before.id == first_record.id
    assert result.after is not None and result.after.id == second_record.id
    assert result.before_present and not result.after_present and result.passed
    assert result.records_live == 2 and result.records_restored == 1
    assert not result.restore_dir.exists()  # the copy is removed after the drill

    # Without a target: halfway between the two latest registrations.
    halfway, before, after, _total = pitr._registrations(ALIAS, None)
    assert first_record.created_at < halfway < second_record.created_at
    assert (before, after) == (result.before, result.after)


def test_pitr_refuses_sqlite_with_a_reason() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal is checked on SQLite")
    err = StringIO()
    with pytest.raises(CommandError, match="SQLite"):
        call_command("backup", "pitr", "setup", stderr=err)
    with pytest.raises(CommandError, match="hotich backup create"):
        call_command("backup", "pitr", "drill", stderr=err)
