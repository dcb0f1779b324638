"""``hotich pki``: the signing certificates.

- ``hotich pki demo``: create the demo PKI under ``$HOTICH_DATA_DIR/pki/`` (root CA, TSA, CRL).
- ``hotich pki list``: the certificates, their units, usage and validity.
- ``hotich pki import FILE --unit CODE --usage seal|official [--user NAME] [--password-env VAR]
  [--pkcs11-token LABEL --key-label LABEL]``: a certificate issued by a real CA (PKCS#12 or PEM).
- ``hotich pki revoke ID --reason TEXT``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from hotich.accounts.selectors import user_by_username
from hotich.core.errors import DomainError
from hotich.core.standins import command_requires_standins
from hotich.geo.selectors import unit_by_code


class Command(BaseCommand):
    help = "Quản lý chứng thư số / Manage signing certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("demo", help="tạo PKI thử nghiệm / create the demo PKI")
        sub.add_parser("list", help="liệt kê chứng thư / list certificates")
        imp = sub.add_parser("import", help="nhập chứng thư / import a certificate")
        imp.add_argument("file", type=Path)
        imp.add_argument("--unit", required=True, help="mã đơn vị / unit code")
        imp.add_argument("--usage", required=True, choices=["seal", "official"])
        imp.add_argument("--user", default="", help="tên đăng nhập / username (official)")
        imp.add_argument("--password-env", default="", help="biến môi trường chứa mật khẩu")
        imp.add_argument("--pkcs11-token", default="", help="nhãn thiết bị / token label")
        imp.add_argument("--key-label", default="", help="nhãn khóa / key label on the token")
        revoke = sub.add_parser("revoke", help="thu hồi / revoke")
        revoke.add_argument("identity_id", type=int)
        revoke.add_argument("--reason", required=True)

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(" ".join(message.split()) + "\n")
        sys.stderr.flush()
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            self._fail(error.bilingual())

    def _demo(self, options: dict[str, Any]) -> None:
        command_requires_standins("hotich pki demo")
        from hotich.signing.keys import pki_dir
        from hotich.signing.services import ROOT_FILE
        from hotich.signing.standin import demo_pki_ensure

        demo_pki_ensure()
        self.stdout.write(str(pki_dir() / ROOT_FILE))

    def _list(self, options: dict[str, Any]) -> None:
        from hotich.signing.selectors import identities_in

        for i in identities_in():
            state = "revoked" if i.revoked_at else ("active" if i.is_active else "inactive")
            self.stdout.write(
                f"{i.pk}\t{i.usage}\t{i.unit.code}\t{i.backend}\t{state}\t"
                f"{i.not_after:%Y-%m-%d}\t{i.subject}"
            )

    def _import(self, options: dict[str, Any]) -> None:
        from hotich.signing.services import identity_import

        unit = unit_by_code(options["unit"])
        if unit is None:
            self._fail(f"Không có đơn vị mã {options['unit']} / no such unit.")
        user = None
        if options["user"]:
            user = user_by_username(options["user"])
            if user is None:
                self._fail(f"Không có người dùng {options['user']} / no such user.")
        password = os.environ.get(options["password_env"], "") if options["password_env"] else ""
        path: Path = options["file"]
        if not path.is_file():
            self._fail(f"Không có tệp {path} / no such file.")
        identity = identity_import(
            actor=None,
            unit=unit,
            usage=options["usage"],
            user=user,
            data=path.read_bytes(),
            password=password.encode() or None,
            backend="pkcs11" if options["pkcs11_token"] else "software",
            key_ref=options["key_label"],
            pkcs11_token=options["pkcs11_token"],
        )
        self.stdout.write(f"{identity.pk}\t{identity.subject}")

    def _revoke(self, options: dict[str, Any]) -> None:
        from hotich.signing.models import SigningIdentity
        from hotich.signing.services import identity_revoke

        identity = SigningIdentity.objects.filter(pk=options["identity_id"]).first()
        if identity is None:
            self._fail("Không có chứng thư này / no such certificate.")
        identity_revoke(actor=None, identity=identity, reason=options["reason"])
        self.stdout.write(f"{identity.pk}\trevoked")
