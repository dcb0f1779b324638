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
    result = run(["check", "--deploy", "--fail-level", "WARNING"], **production(tmp_path))
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


def production(tmp_path, **overrides: str | None) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "hotich.config.production",
        "HOTICH_SECRET_KEY": GOOD_KEY,
        "HOTICH_ALLOWED_HOSTS": "hotich.nghean.gov.vn",
        "HOTICH_DATA_DIR": str(tmp_path),
        "HOTICH_POPDB_URL": "https://dancu.example.gov.vn/api",
        "HOTICH_PUBLIC_URL": "https://hotich.nghean.gov.vn",
    }
    return {k: v for k, v in {**env, **overrides}.items() if v}


def test_production_refuses_to_start_without_the_public_url(tmp_path) -> None:
    result = run(["check"], **production(tmp_path, HOTICH_PUBLIC_URL=""))
    assert result.returncode != 0
    assert "HOTICH_PUBLIC_URL" in result.stderr.strip().splitlines()[-1]


def test_production_sign_in_page_never_shows_the_code(tmp_path) -> None:
    """The one-time code reaches the citizen only by SMS or e-mail with the production settings."""
    script = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from django.test import Client; "
        "page = Client(HTTP_HOST='hotich.nghean.gov.vn').post('/dich-vu-cong/dang-nhap/', "
        "{'contact': '0912345678'}, secure=True).content.decode(); "
        "from hotich.portal.models import Notification; "
        "body = Notification.objects.get().body; code = body.split()[6].rstrip(','); "
        "print(code.isdigit(), code in page, 'Mã xác thực (6 chữ số)' in page, 'demo' in page)"
    )
    result = run(["shell", "-c", script], **production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True False True False"
