"""The read replica (hotich.core.replica): routing rules everywhere, and on PostgreSQL a real
streaming replica made with pg_basebackup from the running server, read through the router."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from hotich.core import replica as replica_module
from hotich.core.replica import (
    REPLICA,
    ReplicaRouter,
    forget_replica_health,
    read_alias,
    replica_configured,
    replica_reads,
)
from hotich.registry.models import Record
from hotich.registry.selectors import record_search
from hotich.registry.tests.factories import BirthFactory, UnitFactory, person_input

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SAME_AS_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Record) == "default"
    with replica_reads():
        assert read_alias() == "default"
        assert router.db_for_read(Record) == "default"
    assert router.db_for_write(Record) == "default"
    assert router.allow_migrate(REPLICA, "registry") is False
    assert router.allow_migrate("default", "registry") is True


@pytest.mark.django_db
def test_a_replica_that_cannot_answer_is_set_aside_and_marked_reads_go_to_the_primary() -> None:
    """Here the 'replica' is an SQLite database: it cannot tell its lag, as a replica that is
    down or not in recovery cannot, so the health look sets it aside."""
    connections[REPLICA] = load_backend("django.db.backends.sqlite3").DatabaseWrapper(
        {**connections["default"].settings_dict, "NAME": ":memory:"}, REPLICA
    )
    forget_replica_health()
    try:
        with replica_reads():
            assert read_alias() == "default"
            assert ReplicaRouter().db_for_read(Record) == "default"
        assert replica_module.replica_usable() is False
    finally:
        _forget_replica()


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request reads
def test_a_marked_call_whose_replica_connection_breaks_runs_again_on_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError

    connections[REPLICA] = load_backend("django.db.backends.sqlite3").DatabaseWrapper(
        {**connections["default"].settings_dict, "NAME": ":memory:"}, REPLICA
    )
    forget_replica_health()
    monkeypatch.setattr(replica_module._health, "_look", staticmethod(lambda: True))
    seen: list[str] = []

    @replica_reads()
    def count() -> int:
        seen.append(read_alias())
        if seen[-1] == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return Record.objects.count()

    try:
        assert count() == 0
        assert seen == [REPLICA, "default"]
        assert count() == 0  # set aside now: straight to the primary
        assert seen == [REPLICA, "default", "default"]
    finally:
        _forget_replica()


def _pg_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        prefix + args, capture_output=True, text=True, timeout=600, check=False, **kwargs
    )


@pytest.fixture
def pg_replica() -> Iterator[tuple[int, Path]]:
    """A streaming replica of the server at 127.0.0.1:5432 on a free port; its port and data."""
    if connection.vendor != "postgresql" or not _pg_up():
        pytest.skip("needs PostgreSQL at 127.0.0.1:5432 (DATABASE_URL=postgres://...)")
    if not (PG_BIN / "pg_ctl").exists() or not shutil.which("pg_basebackup"):
        pytest.skip("needs PostgreSQL 15's pg_ctl and pg_basebackup")
    root = Path(tempfile.mkdtemp(prefix="hotich-replica-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    try:
        made = _as_postgres(
            [
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                "5432",
                "-U",
                "postgres",
                "-D",
                str(data),
                "-X",
                "stream",
                "-R",
                "-c",
                "fast",
            ]
        )
        if made.returncode != 0:
            if "pg_hba.conf" in made.stderr:
                pytest.skip(
                    "the server refuses replication: add to pg_hba.conf "
                    "'host replication all 127.0.0.1/32 trust'"
                )
            pytest.fail(f"pg_basebackup: {made.stderr}")
        # a standby needs at least the primary's limits
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                [list(SAME_AS_PRIMARY)],
            )
            limits = "".join(f"{name} = {value}\n" for name, value in cursor.fetchall())
        (data / "postgresql.conf").write_text(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{root}'\nhot_standby = on\nshared_buffers = 32MB\n"
            + limits
        )
        (data / "pg_ident.conf").write_text("")
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        started = _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "start"]
        )
        if started.returncode != 0:
            log = (root / "log").read_text() if (root / "log").exists() else ""
            pytest.fail(f"pg_ctl start: {started.stderr}{log}")
        yield port, data
    finally:
        if (data / "postmaster.pid").exists():
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def _use_replica(port: int) -> None:
    """The replica as the ``replica`` database, as HOTICH_REPLICA_URL would configure it (made
    here as a connection of this thread, beside the test database's settings)."""
    replica = {**connections["default"].settings_dict, "PORT": str(port)}
    connections[REPLICA] = load_backend(replica["ENGINE"]).DatabaseWrapper(replica, REPLICA)


def _forget_replica() -> None:
    if replica_configured():
        connections[REPLICA].close()
        del connections[REPLICA]
    forget_replica_health()


@pytest.mark.django_db(transaction=True)
def test_search_reads_a_record_from_the_streaming_replica(
    pg_replica: tuple[int, Path], client: Any
) -> None:
    port, data = pg_replica
    unit = UnitFactory()
    record = BirthFactory(
        unit=unit,
        parties={
            "child": person_input(sex="F", full_name="Lò Thị Xuân", birth_date="2024-02-01"),
            "father": person_input(sex="M", full_name="Lò Văn Sơn", birth_date="1990"),
            "mother": person_input(sex="F", full_name="Vì Thị Lan", birth_date="1992"),
        },
        registration_date=dt.date(2024, 2, 10),
    )
    _use_replica(port)
    forget_replica_health()
    try:
        deadline = time.monotonic() + 30
        while not Record.objects.using(REPLICA).filter(pk=record.pk).exists():
            assert time.monotonic() < deadline, "the replica never received the record"
            time.sleep(0.2)

        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            hits = record_search(actor=None, query="lo thi xuan", audit=False)
        assert [h.id for h in hits] == [record.pk]
        assert any("registry_party" in q["sql"] for q in on_replica.captured_queries)

        # inside a transaction on the primary, a marked read sees the primary (its own writes)
        with transaction.atomic(), CaptureQueriesContext(connections[REPLICA]) as none:
            assert read_alias() == "default"
            assert record_search(actor=None, query="lo thi xuan", audit=False)
        assert none.captured_queries == []

        ready = client.get("/readyz").json()
        assert ready["replica"] == "ok"
        assert 0 <= ready["replica_lag_seconds"] < 30
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone() == (True,)

        # the replica goes down: the search that was reading it answers from the primary
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        assert [h.id for h in record_search(actor=None, query="lo thi xuan", audit=False)] == [
            record.pk
        ]
        assert read_alias() == "default"
        assert client.get("/readyz").json()["replica"].startswith("error")
    finally:
        _forget_replica()
