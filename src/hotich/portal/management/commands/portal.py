"""``hotich portal catalogue load`` (the shipped civil-status procedures),
``hotich portal catalogue import FILE.xlsx`` (a province's catalogue: all rows or none),
``hotich portal deadlines`` (flag and notify dossiers near or past their due date)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.errors import DomainError


class Command(BaseCommand):
    help = "Dịch vụ công / online public services: catalogue and deadlines"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        cat = sub.add_parser("catalogue", help="procedure catalogue")
        cat_sub = cat.add_subparsers(dest="catalogue_cmd", required=True)
        cat_sub.add_parser("load", help="load the shipped civil-status procedures")
        imp = cat_sub.add_parser("import", help="import a catalogue spreadsheet (.xlsx)")
        imp.add_argument("file")
        sub.add_parser("deadlines", help="flag and notify dossiers near or past their due date")

    def handle(self, *args: Any, **options: Any) -> None:
        from hotich.portal.services import (
            ImportFailed,
            catalogue_import,
            catalogue_load_builtin,
            dossiers_flag_deadlines,
        )

        try:
            if options["subcommand"] == "deadlines":
                self.stdout.write(json.dumps(dossiers_flag_deadlines()))
            elif options["catalogue_cmd"] == "load":
                self.stdout.write(f"{catalogue_load_builtin()} procedures")
            else:
                path = Path(options["file"])
                if not path.is_file():
                    raise CommandError(f"Không có tệp / no such file: {path}")
                try:
                    count = catalogue_import(actor=None, data=path.read_bytes())
                except ImportFailed as exc:
                    for error in exc.errors:
                        self.stderr.write(f"dòng/row {error.row} [{error.field}]: {error.message}")
                    raise CommandError(exc.bilingual()) from exc
                self.stdout.write(f"{count} procedures")
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
