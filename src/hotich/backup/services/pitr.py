"""Point-in-time recovery with pgBackRest: WAL archiving, base backups, and a restore drill.

The logical backup (:func:`backup_create`) restores the database as it was when the backup was
taken. pgBackRest adds every change since: PostgreSQL hands each finished WAL segment to
``pgbackrest archive-push`` (the ``archive_command``), and a restore replays them up to any
moment after the last base backup.

Everything pgBackRest needs lives under one directory (``$HOTICH_DATA_DIR/pitr`` unless given)::

    pgbackrest.conf   the stanza: where the cluster's data directory and socket are
    repo/             base backups and archived WAL (the repository)
    log/ lock/        pgBackRest's own

pgBackRest reads the cluster's files, so it runs on the database server as the owner of the data
directory (``postgres``); run as root, the commands here switch to that user with ``runuser``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections

from hotich.core.errors import DomainError, ValidationFailed

DEFAULT_STANZA = "hotich"
CONFIG_NAME = "pgbackrest.conf"
# A restored copy must allow at least what the primary allowed (hot standby refuses less).
SAME_AS_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)
COMMAND_TIMEOUT = 3600
START_TIMEOUT = 600


@dataclass(frozen=True)
class Server:
    """What pgBackRest must know of the running cluster."""

    data_directory: Path
    port: int
    socket_directory: str
    version: int
    archive_mode: str
    wal_level: str
    archive_command: str
    owner: str
    limits: dict[str, str]


@dataclass
class SetupResult:
    config: Path
    stanza: str
    archive_command: str
    backup_label: str = ""
    restart_needed: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Registration:
    """A record of the register, as the drill names it: its id and when it was made."""

    id: int
    created_at: dt.datetime


@dataclass
class DrillResult:
    target_time: dt.datetime
    backup_label: str
    restore_dir: Path
    port: int
    records_live: int
    records_restored: int
    before: Registration | None
    after: Registration | None
    before_present: bool
    after_present: bool
    seconds: float

    @property
    def passed(self) -> bool:
        return (self.before is None or self.before_present) and (
            self.after is None or not self.after_present
        )


# --- Checks ------------------------------------------------------------------------------------


def default_path() -> Path:
    return Path(settings.DATA_DIR) / "pitr"


def _require_postgres(using: str) -> None:
    if connections[using].vendor != "postgresql":
        raise DomainError(
            "Khôi phục theo thời điểm (pgBackRest) chỉ dùng với PostgreSQL; với SQLite hãy dùng "
            "'hotich backup create' / point-in-time recovery (pgBackRest) needs PostgreSQL; "
            "a SQLite install uses 'hotich backup create'"
        )


def _pgbackrest() -> str:
    executable = shutil.which("pgbackrest")
    if executable is None:
        raise DomainError(
            "Chưa cài pgBackRest: chạy 'apt install pgbackrest' trên máy chủ CSDL / "
            "pgBackRest is not installed: run 'apt install pgbackrest' on the database server"
        )
    return executable


def _server(using: str) -> Server:
    names = (
        "data_directory",
        "port",
        "unix_socket_directories",
        "server_version_num",
        "archive_mode",
        "wal_level",
        "archive_command",
        *SAME_AS_PRIMARY,
    )
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(names)]
            )
            values = {str(name): str(value) for name, value in cursor.fetchall()}
    except Exception as exc:
        raise DomainError(
            f"Không đọc được cấu hình PostgreSQL / cannot read settings: {exc}"
        ) from exc
    if "data_directory" not in values:
        raise DomainError(
            "Tài khoản CSDL không xem được data_directory: cần quyền superuser hoặc "
            "pg_read_all_settings / the database role cannot see data_directory: it needs "
            "superuser or pg_read_all_settings"
        )
    data = Path(values["data_directory"])
    if not data.is_dir():
        raise DomainError(
            f"Không thấy thư mục dữ liệu {data} trên máy này: hãy chạy lệnh trên máy chủ CSDL / "
            f"the data directory {data} is not on this machine: run the command on the "
            "database server"
        )
    sockets = [s.strip() for s in values.get("unix_socket_directories", "").split(",") if s.strip()]
    if not sockets:
        raise DomainError(
            "PostgreSQL không mở socket Unix (unix_socket_directories rỗng) mà pgBackRest cần / "
            "PostgreSQL has no Unix socket (unix_socket_directories is empty); pgBackRest needs one"
        )
    return Server(
        data_directory=data,
        port=int(values["port"]),
        socket_directory=sockets[0],
        version=int(values["server_version_num"]) // 10000,
        archive_mode=values["archive_mode"],
        wal_level=values["wal_level"],
        archive_command=values.get("archive_command", ""),
        owner=pwd.getpwuid(data.stat().st_uid).pw_name,
        limits={name: values[name] for name in SAME_AS_PRIMARY if name in values},
    )


def _run_as(owner: str) -> list[str]:
    """The prefix that runs a program as the data directory's owner."""
    if pwd.getpwuid(os.geteuid()).pw_name == owner:
        return []
    if os.geteuid() == 0:
        return ["runuser", "-u", owner, "--"]
    raise DomainError(
        f"pgBackRest phải chạy với tài khoản {owner} (chủ thư mục dữ liệu) hoặc root / "
        f"pgBackRest must run as {owner} (the data directory's owner) or root"
    )


def _run(args: list[str], *, owner: str, what: str, timeout: int = COMMAND_TIMEOUT) -> str:
    # A fixed list of arguments, no shell; the values come from the server and the options.
    result = subprocess.run(  # noqa: S603
        [*_run_as(owner), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        cwd="/",
    )
    if result.returncode != 0:
        message = " ".join((result.stderr or result.stdout).split())[-800:]
        raise DomainError(f"{what} thất bại / failed: {message or f'exit {result.returncode}'}")
    return result.stdout


def _own(path: Path, owner: str, mode: int = 0o700) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, mode)
    if os.geteuid() == 0:
        shutil.chown(path, owner, pwd.getpwnam(owner).pw_gid)


def _config_path(path: Path | None) -> Path:
    return (path or default_path()).resolve() / CONFIG_NAME


def _backrest(config: Path, stanza: str, *args: str) -> list[str]:
    return [_pgbackrest(), f"--config={config}", f"--stanza={stanza}", *args]


def _check_stanza(stanza: str) -> None:
    if not stanza.replace("-", "").replace("_", "").isalnum():
        raise ValidationFailed(
            "Tên stanza chỉ gồm chữ, số, '-' và '_' / a stanza name holds letters, digits, "
            "'-' and '_' only",
            field="stanza",
        )


# --- Setup -------------------------------------------------------------------------------------


def pitr_setup(
    *, path: Path | None = None, stanza: str = DEFAULT_STANZA, using: str = "default"
) -> SetupResult:
    """Configure pgBackRest for the configured PostgreSQL, switch WAL archiving on, create the
    stanza and, once archiving runs, take a full base backup. Safe to run again."""
    _require_postgres(using)
    executable = _pgbackrest()
    _check_stanza(stanza)
    server = _server(using)
    base = (path or default_path()).resolve()
    config = base / CONFIG_NAME
    _run_as(server.owner)  # fail early if we may not act as the owner
    for sub in ("", "repo", "log", "lock"):
        _own(base / sub, server.owner)
    config.write_text(
        "[global]\n"
        f"repo1-path={base / 'repo'}\n"
        "repo1-retention-full=2\n"
        f"log-path={base / 'log'}\n"
        f"lock-path={base / 'lock'}\n"
        "log-level-console=warn\n"
        "log-level-file=info\n"
        "start-fast=y\n"
        "compress-type=lz4\n"
        "\n"
        f"[{stanza}]\n"
        f"pg1-path={server.data_directory}\n"
        f"pg1-port={server.port}\n"
        f"pg1-socket-path={server.socket_directory}\n",
        encoding="utf-8",
    )
    os.chmod(config, 0o640)
    if os.geteuid() == 0:
        shutil.chown(config, server.owner, pwd.getpwnam(server.owner).pw_gid)
    archive_command = f"{executable} --config={config} --stanza={stanza} archive-push %p"
    result = SetupResult(config=config, stanza=stanza, archive_command=archive_command)
    wanted = {"archive_mode": "on", "archive_command": archive_command}
    if server.wal_level == "minimal":
        wanted["wal_level"] = "replica"
    try:
        with connections[using].cursor() as cursor:
            for name, value in wanted.items():
                # ALTER SYSTEM takes no parameters; the name is ours, the value quoted.
                cursor.execute(f"ALTER SYSTEM SET {name} = {_literal(value)}")
            cursor.execute("SELECT pg_reload_conf()")
    except Exception as exc:
        raise DomainError(
            "Không đặt được cấu hình lưu WAL (cần quyền superuser) / cannot set the WAL "
            f"archiving settings (superuser needed): {exc}"
        ) from exc
    if server.archive_mode == "off":
        result.restart_needed.append("archive_mode")
    if server.wal_level == "minimal":
        result.restart_needed.append("wal_level")
    if not result.restart_needed:  # with archive_mode off the server shows "(disabled)"
        _wait_for_setting(using, "archive_command", archive_command)
    _run(_backrest(config, stanza, "stanza-create"), owner=server.owner, what="stanza-create")
    if result.restart_needed:
        result.next_steps = [
            f"Khởi động lại PostgreSQL để {', '.join(result.restart_needed)} có hiệu lực "
            f"(Debian: systemctl restart postgresql@{server.version}-main), rồi chạy lại "
            "'hotich backup pitr setup' để tạo bản sao lưu nền đầu tiên / restart PostgreSQL so "
            f"that {', '.join(result.restart_needed)} takes effect, then run "
            "'hotich backup pitr setup' again for the first base backup",
        ]
        return result
    _run(_backrest(config, stanza, "check"), owner=server.owner, what="pgbackrest check")
    _run(
        _backrest(config, stanza, "--type=full", "backup"),
        owner=server.owner,
        what="pgbackrest backup",
    )
    result.backup_label = _latest_backup(config, stanza, server.owner)
    cron = f"runuser -u {server.owner} -- {executable} --config={config} --stanza={stanza}"
    result.next_steps = [
        "Đặt lịch sao lưu nền / schedule base backups (cron, root):",
        f"  0 2 * * 0  {cron} --type=full backup",
        f"  0 2 * * 1-6  {cron} --type=diff backup",
        "Nên đặt archive_timeout = '60s' để mất tối đa một phút dữ liệu / set archive_timeout "
        "= '60s' to lose at most a minute of changes",
        f"Chép {base / 'repo'} sang máy khác (hoặc thêm repo2 S3 trong {config}) / copy "
        f"{base / 'repo'} off the server (or add an S3 repo2 to {config})",
        "Diễn tập mỗi quý / drill every quarter: hotich backup pitr drill",
    ]
    return result


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _wait_for_setting(using: str, name: str, value: str, timeout: float = 30) -> None:
    """A reload reaches the server's processes a moment later; wait until a new session sees it."""
    deadline = time.monotonic() + timeout
    while True:
        connection = connections[using]
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT setting FROM pg_settings WHERE name = %s", [name])
            row = cursor.fetchone()
        if row and row[0] == value:
            return
        if time.monotonic() > deadline:
            raise DomainError(f"PostgreSQL chưa nhận {name} / PostgreSQL did not take {name}")
        time.sleep(0.1)


def _info(config: Path, stanza: str, owner: str) -> list[dict[str, Any]]:
    out = _run(_backrest(config, stanza, "--output=json", "info"), owner=owner, what="info")
    try:
        data = json.loads(out)
    except ValueError as exc:
        raise DomainError(f"pgbackrest info: {exc}") from exc
    return [s for s in data if isinstance(s, dict)]


def _latest_backup(config: Path, stanza: str, owner: str) -> str:
    for info in _info(config, stanza, owner):
        backups = info.get("backup") or []
        if backups:
            return str(backups[-1].get("label", ""))
    return ""


# --- Drill -------------------------------------------------------------------------------------


def _registrations(
    using: str, target: dt.datetime | None
) -> tuple[dt.datetime, Registration | None, Registration | None, int]:
    """The target time, the last record made at or before it and the first made after it."""
    record = apps.get_model("registry", "Record")
    rows = record.objects.using(using).order_by("-created_at", "-id")
    total = rows.count()
    if target is None:
        latest = rows.values_list("id", "created_at").first()
        earlier = (
            rows.filter(created_at__lt=latest[1]).values_list("id", "created_at").first()
            if latest
            else None
        )
        if latest is None or earlier is None:
            raise ValidationFailed(
                "Sổ chưa có hai lần đăng ký ở hai thời điểm khác nhau: hãy cho --target-time / "
                "the register has no two registrations at different moments: give --target-time",
                field="target_time",
            )
        target = earlier[1] + (latest[1] - earlier[1]) / 2
    before = rows.filter(created_at__lte=target).values_list("id", "created_at").first()
    after = (
        record.objects.using(using)
        .filter(created_at__gt=target)
        .order_by("created_at", "id")
        .values_list("id", "created_at")
        .first()
    )
    return (
        target,
        Registration(*before) if before else None,
        Registration(*after) if after else None,
        total,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin(version: int, tool: str) -> str:
    candidate = Path(f"/usr/lib/postgresql/{version}/bin/{tool}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(tool)
    if found is None:
        raise DomainError(
            f"Không tìm thấy {tool} của PostgreSQL {version} / PostgreSQL {version}'s {tool} "
            "not found"
        )
    return found


def pitr_drill(
    *,
    target_time: dt.datetime | None = None,
    path: Path | None = None,
    stanza: str = DEFAULT_STANZA,
    restore_dir: Path | None = None,
    port: int | None = None,
    keep: bool = False,
    using: str = "default",
) -> DrillResult:
    """Restore the archive to ``target_time`` (default: halfway between the register's two
    latest registrations) into a separate data directory on another port, and compare: the
    record registered before that moment must be there, the one registered after must not."""
    started = time.monotonic()
    _require_postgres(using)
    _pgbackrest()
    _check_stanza(stanza)
    config = _config_path(path)
    if not config.exists():
        raise ValidationFailed(
            f"Chưa cấu hình pgBackRest ({config}): chạy 'hotich backup pitr setup' trước / "
            f"pgBackRest is not set up ({config}): run 'hotich backup pitr setup' first",
            field="path",
        )
    server = _server(using)
    if target_time is not None and target_time.tzinfo is None:
        raise ValidationFailed(
            "Thời điểm cần múi giờ, ví dụ 2026-12-06T20:15:00+07:00 / the target time needs a "
            "time zone, e.g. 2026-12-06T20:15:00+07:00",
            field="target_time",
        )
    target, before, after, live = _registrations(using, target_time)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT now()")
        now = cursor.fetchone()[0]
    if target >= now:
        raise ValidationFailed(
            "Thời điểm khôi phục phải ở trong quá khứ / the target time must be in the past",
            field="target_time",
        )
    # Forces a WAL switch and waits until it is archived: the archive then reaches past target.
    _run(_backrest(config, stanza, "check"), owner=server.owner, what="pgbackrest check")
    label = _latest_backup(config, stanza, server.owner)
    if not label:
        raise DomainError(
            "Kho pgBackRest chưa có bản sao lưu nền: chạy 'hotich backup pitr setup' / the "
            "pgBackRest repository has no base backup yet: run 'hotich backup pitr setup'"
        )
    target_dir = (restore_dir or config.parent / "drill").resolve()
    if target_dir.exists() and any(target_dir.iterdir()):
        raise ValidationFailed(
            f"Thư mục khôi phục {target_dir} không rỗng / the restore directory is not empty",
            field="restore_dir",
        )
    _own(target_dir, server.owner)
    sockets = Path(tempfile.mkdtemp(prefix="hotich-drill-"))
    _own(sockets, server.owner)
    port = port or _free_port()
    pg_ctl = _pg_bin(server.version, "pg_ctl")
    log = config.parent / "log" / "drill-postgresql.log"
    running = False
    try:
        _run(
            _backrest(
                config,
                stanza,
                f"--pg1-path={target_dir}",
                "--type=time",
                f"--target={target.isoformat(sep=' ')}",
                "--target-action=promote",
                "--archive-mode=off",
                "restore",
            ),
            owner=server.owner,
            what="pgbackrest restore",
        )
        _prepare_copy(target_dir, server.owner)
        options = {
            "port": str(port),
            "listen_addresses": "",
            "unix_socket_directories": str(sockets),
            "hba_file": str(target_dir / "pg_hba.conf"),
            "ident_file": str(target_dir / "pg_ident.conf"),
            "config_file": str(target_dir / "postgresql.conf"),
            "shared_buffers": "128MB",
            "archive_mode": "off",
            **server.limits,
        }
        running = True
        _run(
            [
                pg_ctl,
                "-D",
                str(target_dir),
                "-l",
                str(log),
                "-w",
                "-t",
                str(START_TIMEOUT),
                "-o",
                " ".join(f"-c {name}={_literal(value)}" for name, value in options.items()),
                "start",
            ],
            owner=server.owner,
            what="pg_ctl start",
            timeout=START_TIMEOUT + 30,
        )
        restored, before_present, after_present = _look(
            connections[using].settings_dict, sockets, port, before, after
        )
    except DomainError as exc:
        tail = log.read_text(errors="replace")[-600:] if log.exists() else ""
        raise DomainError(f"{exc} {' '.join(tail.split())}".strip()) from exc
    finally:
        if running and (target_dir / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603
                [*_run_as(server.owner), pg_ctl, "-D", str(target_dir), "-m", "fast", "stop"],
                capture_output=True,
                check=False,
                timeout=120,
                cwd="/",
            )
        shutil.rmtree(sockets, ignore_errors=True)
        if not keep:
            shutil.rmtree(target_dir, ignore_errors=True)
    return DrillResult(
        target_time=target,
        backup_label=label,
        restore_dir=target_dir,
        port=port,
        records_live=live,
        records_restored=restored,
        before=before,
        after=after,
        before_present=before_present,
        after_present=after_present,
        seconds=time.monotonic() - started,
    )


def _prepare_copy(target_dir: Path, owner: str) -> None:
    """The copy answers only on its own socket, to anyone who may reach that directory."""
    files = {
        "pg_hba.conf": "local all all trust\n",
        "pg_ident.conf": "",
    }
    conf = target_dir / "postgresql.conf"
    if not conf.exists():  # Debian keeps it in /etc/postgresql, outside the data directory
        files["postgresql.conf"] = ""
    for name, text in files.items():
        (target_dir / name).write_text(text, encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(target_dir / name, owner, pwd.getpwnam(owner).pw_gid)


def _look(
    settings_dict: Mapping[str, Any],
    sockets: Path,
    port: int,
    before: Registration | None,
    after: Registration | None,
) -> tuple[int, bool, bool]:
    """Once the copy has finished recovery: its record count and which of the two it holds."""
    import psycopg

    record = apps.get_model("registry", "Record")
    table = record._meta.db_table
    deadline = time.monotonic() + START_TIMEOUT
    with psycopg.connect(
        host=str(sockets),
        port=port,
        dbname=str(settings_dict["NAME"]),
        user=str(settings_dict.get("USER") or "postgres"),
        autocommit=True,
    ) as conn:
        while conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,):
            if time.monotonic() > deadline:
                raise DomainError("Bản khôi phục chưa xong phục hồi / the copy is still recovering")
            time.sleep(0.2)
        # The table name comes from the model, quoted.
        count = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
        ids = [r.id for r in (before, after) if r is not None]
        present = {
            row[0]
            for row in conn.execute(
                f'SELECT id FROM "{table}" WHERE id = ANY(%s)',  # noqa: S608
                [ids],
            ).fetchall()
        }
    return (
        int(count[0]) if count else 0,
        before is not None and before.id in present,
        after is not None and after.id in present,
    )
