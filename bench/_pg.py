"""What the benchmarks share: a fresh PostgreSQL database of their own and Django set up on it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def create_database(url: str) -> None:
    """Drop and create the bench database ``url`` names (never ``test`` or ``postgres``)."""
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    if name in ("test", "postgres", ""):
        raise SystemExit(f"refusing to use the database {name!r}: name a bench database")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_setup(data_dir: str, database: str) -> None:
    """Django with the production settings on ``database``, files under ``data_dir``."""
    os.environ["HOTICH_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotich.config.settings"
    os.environ.setdefault("HOTICH_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def drop_secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """Drop the indexes of ``table`` other than its primary key (before a bulk load) and
    return their ``(name, definition)`` to build them again once after it."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
        [table, f"{table}_pkey"],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return found
