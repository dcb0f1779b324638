"""``hotich indicators export --year YYYY [--period P] --format dhis2 --out FILE.json`` and
``hotich indicators import FILE.json``: approved indicator values as DHIS2 dataValueSets JSON
(secret indicators never leave), and the same read back (all or nothing). Runs as the system."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError
from hotich.core.storage import write_file_atomic
from hotich.reporting.dhis2 import export_values, import_values


class Command(BaseCommand):
    help = "Chỉ tiêu kinh tế - xã hội / socio-economic indicator values (DHIS2 dataValueSets)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        ex = sub.add_parser("export", help="approved values as DHIS2 dataValueSets JSON")
        ex.add_argument("--year", required=True, type=int)
        ex.add_argument("--period", help="DHIS2 period id: 2025, 2025S1, 2025Q1, 202503")
        ex.add_argument("--format", required=True, choices=["dhis2"], dest="fmt")
        ex.add_argument("--out", required=True, type=Path)
        im = sub.add_parser("import", help="read a DHIS2 dataValueSets JSON file")
        im.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "export":
                self._export(options["year"], options["period"], options["out"])
            else:
                self._import(options["file"])
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc

    def _export(self, year: int, period: str | None, out: Path) -> None:
        if not out.parent.is_dir():
            raise CommandError(f"thư mục không tồn tại / no such directory: {out.parent}")
        document = export_values(actor=None, year=year, period=period)
        content = json.dumps(document, ensure_ascii=False, indent=1).encode()
        write_file_atomic(out, content)
        self.stdout.write(f"{len(document['dataValues'])} values → {out}")

    def _import(self, path: Path) -> None:
        try:
            document = json.loads(path.read_bytes())
        except OSError:
            raise CommandError(f"không đọc được tệp / cannot read: {path}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"tệp không phải JSON hợp lệ / not valid JSON: {path} "
                f"({exc.msg}, line {exc.lineno})"
            ) from None
        except UnicodeDecodeError:
            raise CommandError(f"tệp không phải UTF-8 / not UTF-8: {path}") from None
        count = import_values(actor=None, document=document)
        self.stdout.write(f"{count} values imported")
