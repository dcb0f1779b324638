"""Reads that may come from a PostgreSQL streaming replica (``HOTICH_REPLICA_URL``).

Off by default: with no replica configured every query goes to ``default`` as before. When one
is configured (the database alias :data:`REPLICA`), only the reads a caller marks as
replica-safe go to it: a selector whose answer may be a few seconds old (search, reports,
dashboards) runs its queries inside :func:`replica_reads`. Everything else reads the primary,
and so does a marked read inside a transaction on the primary (it must see its own writes).
Writes always go to the primary. :func:`replica_lag_seconds` is what ``/readyz`` shows.

A replica that cannot be reached, or that is further behind than
``HOTICH_REPLICA_MAX_LAG_SECONDS``, is left aside: each process looks at it at most every
:data:`HEALTH_SECONDS` and meanwhile sends marked reads to the primary, and a marked function whose
replica connection breaks under it runs again on the primary. ``/readyz`` still says ``degraded``.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.connection import ConnectionDoesNotExist

#: the database alias of the replica (``settings.DATABASES``)
REPLICA = "replica"

#: how long a process trusts one look at the replica's health (reachable, lag within the limit)
HEALTH_SECONDS = 5.0

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hotich_replica_reads", default=False
)


def replica_configured() -> bool:
    try:
        connections[REPLICA]
    except ConnectionDoesNotExist:
        return False
    return True


class _Health:
    """One process's latest look at the replica: usable or not, and when it was taken."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked = float("-inf")
        self.usable = True

    def usable_now(self) -> bool:
        if time.monotonic() - self.checked < HEALTH_SECONDS:
            return self.usable
        with self.lock:
            if time.monotonic() - self.checked >= HEALTH_SECONDS:
                self.record(self._look())
        return self.usable

    def record(self, usable: bool) -> None:
        if self.usable and not usable:
            logger.warning("replica set aside: marked reads go to the primary")
        elif usable and not self.usable:
            logger.info("replica usable again")
        self.checked, self.usable = time.monotonic(), usable

    @staticmethod
    def _look() -> bool:
        try:
            return replica_lag_seconds() <= settings.HOTICH_REPLICA_MAX_LAG_SECONDS
        except (DatabaseError, RuntimeError):
            connections[REPLICA].close()
            return False


_health = _Health()


def replica_usable() -> bool:
    """Whether marked reads may go to the replica now (looked at most every HEALTH_SECONDS)."""
    return _health.usable_now()


def forget_replica_health() -> None:
    """Look at the replica again on the next marked read (after a settings change, in tests)."""
    _health.checked = float("-inf")
    _health.usable = True


class replica_reads:
    """Send the reads made inside (or inside the decorated function) to the replica, if there
    is one, it is healthy and no transaction is open on the primary. As a decorator, a call
    whose replica connection breaks under it is run again on the primary."""

    def __enter__(self) -> None:
        self._token = _replica_reads.set(True)

    def __exit__(self, *exc: object) -> None:
        _replica_reads.reset(self._token)

    def __call__(self, function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def marked(*args: P.args, **kwargs: P.kwargs) -> R:
            with replica_reads():
                alias = read_alias()
                try:
                    return function(*args, **kwargs)
                except (OperationalError, InterfaceError):
                    if alias != REPLICA:
                        raise
                    connections[REPLICA].close()
                    _health.record(False)
            return function(*args, **kwargs)  # read_alias() now answers the primary

        return marked


def read_alias() -> str:
    """Where a replica-safe read goes now: the replica or ``default``."""
    if not replica_configured() or connections["default"].in_atomic_block or not replica_usable():
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
