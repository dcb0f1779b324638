"""``hotich units load [--province CODE ...]`` and ``hotich units convert "ADDRESS"``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.geo.selectors import AddressNotRecognised, unit_convert
from hotich.geo.services import units_load


class Command(BaseCommand):
    help = (
        "Đơn vị hành chính trước và sau 01/7/2025 / administrative units before and after "
        "1 July 2025"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load",
            help="nạp đơn vị cũ, mới và bảng chuyển đổi / load old and new units and the map",
        )
        load.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="chỉ nạp tỉnh này (lặp lại được), ví dụ 40 / only this province (repeatable)",
        )
        convert = sub.add_parser(
            "convert",
            help="đơn vị hiện nay của một địa chỉ cũ / today's unit for an old address (JSON)",
        )
        convert.add_argument("address", help='ví dụ / e.g. "nghi phu, vinh, nghe an"')

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self.load(options["provinces"])
        else:
            self.convert(options["address"])

    def load(self, provinces: list[str] | None) -> None:
        try:
            result = units_load(provinces=provinces)
        except ValueError as exc:
            raise CommandError(f"Mã tỉnh không hợp lệ / invalid province code: {exc}") from exc
        self.stdout.write(
            f"Đơn vị cũ / legacy units: {result.legacy}\n"
            f"Đơn vị mới / current units: {result.current}\n"
            f"Chuyển đổi / mappings: {result.mappings}\n"
            f"Tạo mới / created: {result.units_created + result.mappings_created}, "
            f"cập nhật / updated: {result.units_updated + result.mappings_updated}, "
            f"xóa / deleted: {result.mappings_deleted} ({result.seconds:.2f} s)"
        )

    def convert(self, address: str) -> None:
        try:
            result = unit_convert(address)
        except AddressNotRecognised as exc:
            raise CommandError(exc.bilingual()) from exc
        self.stdout.write(json.dumps(result.as_contract(), ensure_ascii=False))
