"""``hotich agencies import FILE.xlsx``: the organization tree and its people, all rows or none;
``hotich agencies tree``: the tree, one organization a line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.agencies.selectors import organizations_visible
from hotich.agencies.services import ImportFailed, organizations_import
from hotich.core.errors import DomainError


class Command(BaseCommand):
    help = "Cơ quan, tổ chức / agencies: import the tree, list it"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="import organizations and people (.xlsx or .csv)")
        imp.add_argument("file")
        sub.add_parser("tree", help="list the organizations")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "tree":
            for organization in organizations_visible(None, everything=True):
                indent = "  " * organization.depth
                self.stdout.write(f"{organization.code}  {indent}{organization.name}")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp / no such file: {path}")
        try:
            result = organizations_import(actor=None, data=path)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"dòng/row {error.row} [{error.field}]: {error.message}")
            raise CommandError(exc.bilingual()) from exc
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        self.stdout.write(
            f"{result.organizations_created} tổ chức mới / new organizations, "
            f"{result.organizations_updated} cập nhật / updated, "
            f"{result.users_created} người dùng mới / new users, "
            f"{result.memberships} chức vụ / memberships"
        )
