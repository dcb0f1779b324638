"""Settings come from the environment; wrong values stop start-up naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "hotich", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path) -> None:
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="hotich.config.production",
        HOTICH_SECRET_KEY=GOOD_KEY,
        HOTICH_ALLOWED_HOSTS="hotich.nghean.gov.vn",
        HOTICH_DATA_DIR=str(tmp_path),
        HOTICH_POPDB_URL="https://dancu.example.gov.vn/api",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_a_weak_secret_key(tmp_path) -> None:
    result = run(
        ["check"],
        DJANGO_SETTINGS_MODULE="hotich.config.production",
        HOTICH_SECRET_KEY="short",
        HOTICH_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "HOTICH_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("HOTICH_DEBUG", "perhaps"),
        ("HOTICH_STORAGE", "ftp"),
        ("HOTICH_SESSION_IDLE_SECONDS", "ten"),
        ("HOTICH_RATE_CODES_PER_IP", "twenty an hour"),
        ("HOTICH_RATE_VERIFY", "60/week"),
    ],
)
def test_wrong_setting_is_named(tmp_path, name: str, value: str) -> None:
    result = run(["check"], HOTICH_DATA_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    result = run(
        [
            "shell",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        HOTICH_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == "wal", result.stderr


def test_migrate_creates_the_cache_table(tmp_path) -> None:
    import sqlite3

    result = run(["migrate", "-v0"], HOTICH_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "hotich.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "hotich_cache" in tables
