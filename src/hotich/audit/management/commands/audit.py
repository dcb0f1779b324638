"""``hotich audit verify``: check the whole hash chain. The outcome is kept (the health check
and the auditor's page show a break until a later check finds the chain intact)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.audit.models import Entry
from hotich.audit.services import audit_chain_recheck


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký kiểm toán / verify the audit log's hash chain"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="kiểm tra toàn bộ chuỗi / check the whole chain")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_chain_recheck()
        if broken is not None:
            raise CommandError(f"Nhật ký kiểm toán bị sửa / audit log tampered: {broken}")
        self.stdout.write(
            f"Chuỗi nhật ký nguyên vẹn: {Entry.objects.count()} mục / audit chain intact"
        )
