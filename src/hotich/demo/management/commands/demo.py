"""``hotich demo [--size small|province] [--seed N]``: (re)create the demo data."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hotich.core.standins import command_requires_standins
from hotich.demo.services import DEMO_PASSWORD, SIZES, demo_create, demo_is_loaded


class Command(BaseCommand):
    help = "Tạo lại dữ liệu mẫu / (re)create the demo data"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="chỉ tạo khi chưa có / only when not yet loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo empties the database and signs with the demo PKI.
        command_requires_standins("hotich demo")
        if options["if_empty"] and demo_is_loaded():
            self.stdout.write("Dữ liệu mẫu đã có / demo data already loaded")
            return
        counts = demo_create(size=options["size"], seed=options["seed"])
        self.stdout.write(
            f"Đã tạo dữ liệu mẫu / demo data created: {counts['users']} người dùng, "
            f"{counts['organizations']} cơ quan, tổ chức, "
            f"{counts['records']} bản ghi, {counts['books']} sổ đang số hóa, "
            f"{counts['dossiers']} hồ sơ dịch vụ công, {counts['interconnect_statuses']} thông báo "
            f"trạng thái liên thông, {counts['indicator_forms']} biểu chỉ tiêu đã duyệt. "
            f"Mật khẩu / password: {DEMO_PASSWORD}"
        )
