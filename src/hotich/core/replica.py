"""Reads that may come from a PostgreSQL streaming replica (``HOTICH_REPLICA_URL``).

Off by default: with no replica configured every query goes to ``default`` as before. When one
is configured (the database alias :data:`REPLICA`), only the reads a caller marks as
replica-safe go to it: a selector whose answer may be a few seconds old (search, reports,
dashboards) runs its queries inside :func:`replica_reads`. Everything else reads the primary,
and so does a marked read inside a transaction on the primary (it must see its own writes).
Writes always go to the primary. :func:`replica_lag_seconds` is what ``/readyz`` shows.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.utils.connection import ConnectionDoesNotExist

#: the database alias of the replica (``settings.DATABASES``)
REPLICA = "replica"

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hotich_replica_reads", default=False
)


def replica_configured() -> bool:
    try:
        connections[REPLICA]
    except ConnectionDoesNotExist:
        return False
    return True


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send the reads made inside (or inside the decorated function) to the replica, if there
    is one and no transaction is open on the primary. Usable as a decorator."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def read_alias() -> str:
    """Where a replica-safe read goes now: the replica or ``default``."""
    if not replica_configured() or connections["default"].in_atomic_block:
        return "default"
    return REPLICA


class ReplicaRouter:
    """Reads marked with :func:`replica_reads` to the replica; the rest to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return str(instance._state.db)
        if _replica_reads.get():
            return read_alias()
        return "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


def replica_lag_seconds() -> float:
    """Seconds since the last transaction the replica replayed; 0 when it has replayed all it
    received (a primary with no writes does not make a replica lag)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        raise RuntimeError("not a replica: the server is not in recovery")
    return round(float(row[0]), 3)
