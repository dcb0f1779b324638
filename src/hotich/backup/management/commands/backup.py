"""``hotich backup create|verify|restore DIR``: back up, check and restore a whole instance;
``hotich backup pitr setup|drill``: point-in-time recovery with pgBackRest.

The work is done in :mod:`hotich.backup.services`; this command only parses and reports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.backup.services import (
    DEFAULT_STANZA,
    backup_create,
    backup_restore,
    backup_verify,
    pitr_drill,
    pitr_setup,
    problems_summary,
    read_manifest,
)
from hotich.core.errors import DomainError

MIB = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Sao lưu, kiểm tra và khôi phục CSDL cùng các tệp lưu trữ / "
        "back up, verify and restore the database and the stored files. "
        "Xem / see src/hotich/backup/README.md"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{create,verify,restore,pitr}"
        )
        create = sub.add_parser(
            "create",
            help="tạo bản sao lưu nhất quán vào thư mục mới DIR / "
            "write a consistent backup into the new directory DIR",
            description="Sao lưu CSDL (SQLite: bản sao trực tuyến; PostgreSQL: pg_dump), mọi tệp "
            "lưu trữ và manifest.json có SHA-256 từng tệp. DIR phải chưa tồn tại hoặc rỗng. / "
            "Back up the database (SQLite online copy or pg_dump), every stored file, and a "
            "manifest.json with each file's SHA-256. DIR must not exist or must be empty.",
        )
        create.add_argument("dir", metavar="DIR", help="thư mục đích / target directory")
        verify = sub.add_parser(
            "verify",
            help="tính lại mọi checksum của bản sao lưu DIR / recompute every checksum of DIR",
            description="Báo mọi tệp thiếu, bị sửa hoặc lạ; mã thoát khác 0 nếu có lỗi. / "
            "Report every missing, changed or unexpected file; non-zero exit if any.",
        )
        verify.add_argument("dir", metavar="DIR", help="thư mục bản sao lưu / backup directory")
        restore = sub.add_parser(
            "restore",
            help="khôi phục bản sao lưu DIR vào hệ thống đang cấu hình / "
            "restore DIR into the configured instance",
            description="Kiểm tra bản sao lưu, rồi khôi phục CSDL và tệp; chỉ vào hệ thống rỗng "
            "(mới migrate hoặc chưa migrate) trừ khi có --force. Hãy dừng dịch vụ web trước. / "
            "Verify the backup, then restore the database and the files; only into an empty "
            "instance (freshly migrated or not migrated) unless --force. Stop the web service "
            "first.",
        )
        restore.add_argument("dir", metavar="DIR", help="thư mục bản sao lưu / backup directory")
        restore.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cả khi hệ thống đích đã có dữ liệu / overwrite a non-empty instance",
        )

        pitr = sub.add_parser(
            "pitr",
            help="khôi phục theo thời điểm với pgBackRest (PostgreSQL) / "
            "point-in-time recovery with pgBackRest (PostgreSQL)",
        )
        steps = pitr.add_subparsers(dest="pitr_action", required=True, metavar="{setup,drill}")
        setup = steps.add_parser(
            "setup",
            help="cấu hình pgBackRest, bật lưu WAL, tạo bản sao lưu nền / configure pgBackRest, "
            "switch WAL archiving on, take a full base backup",
            description="Chạy trên máy chủ CSDL với quyền root hoặc postgres; chạy lại được. / "
            "Run on the database server as root or postgres; safe to run again.",
        )
        drill = steps.add_parser(
            "drill",
            help="diễn tập: khôi phục tới một thời điểm vào thư mục và cổng riêng, so sánh / "
            "drill: restore to a moment into a separate directory and port, and compare",
        )
        for step in (setup, drill):
            step.add_argument(
                "--path",
                type=Path,
                help="thư mục cấu hình và kho pgBackRest (mặc định $HOTICH_DATA_DIR/pitr) / "
                "pgBackRest's configuration and repository (default $HOTICH_DATA_DIR/pitr)",
            )
            step.add_argument("--stanza", default=DEFAULT_STANZA, help="stanza (hotich)")
        drill.add_argument(
            "--target-time",
            type=dt.datetime.fromisoformat,
            help="thời điểm, có múi giờ, ví dụ 2026-12-06T20:15:00+07:00 (mặc định: giữa hai lần "
            "đăng ký gần nhất) / the moment, with a time zone (default: halfway between the two "
            "latest registrations)",
        )
        drill.add_argument(
            "--dir",
            type=Path,
            help="thư mục dữ liệu của bản khôi phục (mặc định PATH/drill) / the copy's data "
            "directory (default PATH/drill)",
        )
        drill.add_argument("--port", type=int, help="cổng của bản khôi phục / the copy's port")
        drill.add_argument(
            "--keep",
            action="store_true",
            help="giữ thư mục của bản khôi phục / keep the copy's data directory",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action: str = options["action"]
        try:
            if action == "pitr":
                if options["pitr_action"] == "setup":
                    self._pitr_setup(options)
                else:
                    self._pitr_drill(options)
                return
            directory = Path(options["dir"])
            if action == "create":
                self._create(directory)
            elif action == "verify":
                self._verify(directory)
            else:
                self._restore(directory, force=bool(options.get("force")))
        except DomainError as exc:
            raise CommandError(" ".join(str(exc).split())) from exc

    def _create(self, directory: Path) -> None:
        manifest = backup_create(target=directory)
        self.stdout.write(
            f"Đã sao lưu vào / backup written to {directory.resolve()}: "
            f"CSDL / database {manifest.vendor} ({sum(manifest.row_counts.values())} dòng / rows "
            f"in {len(manifest.row_counts)} bảng / tables), "
            f"{len(manifest.stored_files)} tệp / files, {manifest.total_bytes / MIB:.1f} MiB"
        )

    def _verify(self, directory: Path) -> None:
        problems = backup_verify(source=directory)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Bản sao lưu hỏng / backup is damaged ({len(problems)}): "
                f"{problems_summary(problems)}"
            )
        manifest = read_manifest(directory)
        self.stdout.write(
            f"Bản sao lưu nguyên vẹn / backup intact: {directory.resolve()}, "
            f"tạo lúc / created {manifest.created_at}, CSDL / database {manifest.vendor}, "
            f"{len(manifest.files)} tệp đã kiểm / files checked, "
            f"{manifest.total_bytes / MIB:.1f} MiB"
        )

    def _restore(self, directory: Path, *, force: bool) -> None:
        result = backup_restore(source=directory, force=force)
        self.stdout.write(
            f"Đã khôi phục / restored {directory.resolve()} "
            f"(tạo lúc / created {result.manifest.created_at}): "
            f"{result.tables_checked} bảng khớp số dòng / tables match their row counts, "
            f"{result.files_restored} tệp / files"
        )
        for note in result.notes:
            self.stdout.write(f"Lưu ý / note: {note}")

    def _pitr_setup(self, options: dict[str, Any]) -> None:
        result = pitr_setup(path=options["path"], stanza=options["stanza"])
        self.stdout.write(f"Cấu hình pgBackRest / configuration: {result.config}")
        self.stdout.write(f"Stanza: {result.stanza}")
        self.stdout.write(f"archive_command = '{result.archive_command}'")
        if result.backup_label:
            self.stdout.write(
                f"Bản sao lưu nền đầy đủ / full base backup: {result.backup_label}; "
                "lưu WAL đang chạy / WAL archiving is running"
            )
        else:
            self.stdout.write(
                "Chưa sao lưu nền: cần khởi động lại / no base backup yet: restart needed ("
                + ", ".join(result.restart_needed)
                + ")"
            )
        self.stdout.write("Việc còn lại / still to do:")
        for step in result.next_steps:
            self.stdout.write(f"  {step}")

    def _pitr_drill(self, options: dict[str, Any]) -> None:
        result = pitr_drill(
            target_time=options["target_time"],
            path=options["path"],
            stanza=options["stanza"],
            restore_dir=options["dir"],
            port=options["port"],
            keep=bool(options["keep"]),
        )
        self.stdout.write(
            f"Đã khôi phục tới / restored to {result.target_time.isoformat()} từ / from "
            f"{result.backup_label} vào / into {result.restore_dir} (cổng / port {result.port}), "
            f"{result.seconds:.0f} s"
        )
        self.stdout.write(
            f"Hồ sơ / records: {result.records_restored} trong bản khôi phục / in the copy, "
            f"{result.records_live} hiện nay / now"
        )
        if result.before is not None:
            word = "CÓ / present" if result.before_present else "THIẾU / missing"
            self.stdout.write(
                f"Đăng ký trước thời điểm / registered before: hồ sơ / record "
                f"#{result.before.id} ({result.before.created_at.isoformat()}): {word}"
            )
        if result.after is not None:
            word = "CÓ / present" if result.after_present else "không có / absent"
            self.stdout.write(
                f"Đăng ký sau thời điểm / registered after: hồ sơ / record "
                f"#{result.after.id} ({result.after.created_at.isoformat()}): {word}"
            )
        if not result.passed:
            raise CommandError(
                "Diễn tập không đạt: bản khôi phục không đúng thời điểm / drill failed: the copy "
                "does not match the target time"
            )
        self.stdout.write("Diễn tập đạt / drill passed")
