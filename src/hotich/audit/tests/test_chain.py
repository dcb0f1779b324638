from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hotich.audit.models import Entry
from hotich.audit.selectors import audit_chain_verify
from hotich.audit.services import audit_bulk, audit_record, state_hash


def _write(n: int = 5) -> list[Entry]:
    return [
        audit_record(
            actor=None,
            action="update",
            object_type="registry.record",
            object_id=i,
            before={"v": i},
            after={"v": i + 1},
            legal_basis="Luật Hộ tịch 2014",
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_entries_chain_and_hash_states_not_content() -> None:
    entries = _write(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[0].after_hash == state_hash({"v": 1})
    assert "v" not in str(entries[0].detail)
    assert audit_chain_verify() is None


@pytest.mark.django_db
def test_bulk_entry_counts_objects() -> None:
    entry = audit_bulk(
        actor=None, action="read", object_type="registry.record", object_ids=[3, 1, 2]
    )
    assert entry.detail == {"count": 3}
    assert entry.after_hash == state_hash({"ids": ["3", "1", "2"]})


@pytest.mark.django_db
def test_edited_row_is_reported_by_id() -> None:
    entries = _write()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET object_id = %s WHERE id = %s", ["99", entries[2].pk])
    broken = audit_chain_verify()
    assert broken is not None and broken.entry_id == entries[2].pk
    with pytest.raises(CommandError, match=f"id={entries[2].pk}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_deleted_row_is_reported() -> None:
    entries = _write()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [entries[1].pk])
    broken = audit_chain_verify()
    assert broken is not None and broken.entry_id == entries[2].pk


@pytest.mark.django_db
def test_deleted_last_row_is_reported() -> None:
    entries = _write()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [entries[-1].pk])
    broken = audit_chain_verify()
    assert broken is not None and "4" in broken.reason


@pytest.mark.django_db
def test_inserted_row_is_reported() -> None:
    entries = _write()
    last = entries[-1]
    with connection.cursor() as cursor:
        # A forged row that copies the last one's hashes but claims to follow it.
        cursor.execute(
            "INSERT INTO audit_entry (seq, at, user_id_snapshot, username, role, unit_path, action,"
            " object_type, object_id, before_hash, after_hash, request_id, legal_basis, detail,"
            " prev_hash, entry_hash) VALUES (%s, %s, NULL, 'x', '', '', 'delete',"
            " 'registry.record', '1', '', '', '', '', '{}', %s, %s)",
            [last.seq + 1, last.at, last.entry_hash, "f" * 64],
        )
        inserted_id = cursor.lastrowid if connection.vendor == "sqlite" else None
    broken = audit_chain_verify()
    assert broken is not None
    if inserted_id is not None:
        assert broken.entry_id == inserted_id


@pytest.mark.django_db
def test_verify_command_succeeds_on_intact_chain(capsys) -> None:
    _write(2)
    call_command("audit", "verify")
    assert "nguyên vẹn" in capsys.readouterr().out


def test_console_script_exit_codes(tmp_path) -> None:
    env = {"HOTICH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "hotich", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run("migrate", "-v0").returncode == 0
    assert run("audit", "verify").returncode == 0
    import sqlite3

    db = sqlite3.connect(tmp_path / "hotich.sqlite3")
    db.execute(
        "INSERT INTO audit_entry (seq, at, username, role, unit_path, action, object_type,"
        " object_id, before_hash, after_hash, request_id, legal_basis, detail, prev_hash,"
        " entry_hash) VALUES (1, '2026-01-01', '', '', '', 'read', '', '', '', '', '', '', '{}',"
        " ?, ?)",
        ["0" * 64, "a" * 64],
    )
    db.commit()
    result = run("audit", "verify")
    assert result.returncode == 1
    assert "id=1" in result.stderr


def _forge_after_head(last: Entry) -> int:
    """A row inserted with SQL right after the chain head, as a forger would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_entry (seq, at, user_id_snapshot, username, role, unit_path, action,"
            " object_type, object_id, before_hash, after_hash, request_id, legal_basis, detail,"
            " prev_hash, entry_hash) VALUES (%s, %s, NULL, 'x', '', '', 'delete',"
            " 'registry.record', '1', '', '', '', '', '{}', %s, %s)",
            [last.seq + 1, last.at, last.entry_hash, "f" * 64],
        )
    return int(Entry.objects.get(seq=last.seq + 1).pk)


@pytest.mark.django_db
def test_a_row_forged_after_the_head_breaks_no_write_and_is_reported(caplog) -> None:
    entries = _write(5)
    forged = _forge_after_head(entries[-1])
    with caplog.at_level("ERROR", logger="hotich.audit"):
        after = _write(2)  # writes go on
    assert [e.seq for e in after] == [7, 8]
    assert after[0].prev_hash == entries[-1].entry_hash  # the real chain continues
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1  # said once, not at every write
    message = errors[0].getMessage()
    assert "seq=6" in message and f"id={forged}" in message and "audit verify" in message
    assert "registry.record" not in message  # numbers only, nothing about the objects
    from hotich.audit.selectors import audit_chain_status

    status = audit_chain_status()
    assert status is not None and (status.seq, status.entry_id) == (6, forged)
    broken = audit_chain_verify()
    assert broken is not None and broken.seq == 6


@pytest.mark.django_db
def test_the_verify_command_records_the_break_and_clears_it_once_repaired() -> None:
    from hotich.audit.selectors import audit_chain_status

    entries = _write(3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET object_id = %s WHERE id = %s", ["99", entries[1].pk])
    assert audit_chain_status() is None  # an edit inside the chain needs the full walk
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    status = audit_chain_status()
    assert status is not None and status.entry_id == entries[1].pk
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET object_id = %s WHERE id = %s", ["1", entries[1].pk])
    call_command("audit", "verify")
    assert audit_chain_status() is None


@pytest.mark.django_db
def test_readyz_and_the_auditor_page_say_where_the_chain_is_broken(
    client, units, make_user, staff_client
) -> None:
    entries = _write(2)
    assert client.get("/readyz").json()["audit_chain"] == "ok"
    forged = _forge_after_head(entries[-1])
    _write(1)
    ready = client.get("/readyz")
    assert ready.status_code == 200  # still serving: writes go on
    body = ready.json()
    assert body["status"] == "degraded" and body["audit_chain"] == f"broken: seq=3 id={forged}"
    auditor = make_user("auditor", units["province"])  # Role.AUDITOR: audit is below accounts
    page = staff_client(auditor).get("/nhat-ky/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="alert"' in html and "Chuỗi nhật ký bị phá vỡ" in html
    assert "#3" in html and "hotich audit verify" in html
