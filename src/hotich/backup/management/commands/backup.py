"""``hotich backup create|verify|restore DIR``: back up, check and restore a whole instance.

The work is done in :mod:`hotich.backup.services`; this command only parses and reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.backup.services import (
    backup_create,
    backup_restore,
    backup_verify,
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
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,verify,restore}")
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

    def handle(self, *args: Any, **options: Any) -> None:
        action: str = options["action"]
        directory = Path(options["dir"])
        try:
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
