"""``hotich pdf verify FILE.pdf [--trust CA.pem]``: JSON with each signature, its signer, whether
it covers the whole file, whether the chain is trusted, and the document the QR code points at;
exit 1 if any check fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số của tệp PDF / Verify a signed PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Kiểm tra chữ ký số / verify signatures")
        verify.add_argument("file", type=Path)
        verify.add_argument(
            "--trust",
            type=Path,
            action="append",
            help="chứng thư gốc tin cậy (PEM) / trusted root CA (PEM); default: configured roots",
        )

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(" ".join(message.split()) + "\n")
        sys.stderr.flush()
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        from hotich.signing.keys import asn1_certs
        from hotich.signing.selectors import document_for_code, document_status
        from hotich.signing.verify import PdfRefused, pdf_verify

        path: Path = options["file"]
        if not path.is_file():
            self._fail(f"Không có tệp {path} / no such file.")
        roots = None
        if options["trust"]:
            roots = []
            for trust in options["trust"]:
                try:
                    roots.extend(asn1_certs(trust.read_bytes()))
                except (OSError, ValueError):
                    self._fail(f"Không đọc được chứng thư gốc {trust} / cannot read {trust}.")
        try:
            report = pdf_verify(path.read_bytes(), roots=roots)
        except PdfRefused as refused:
            self._fail(refused.bilingual())
        data = report.as_dict()
        data["file"] = str(path)
        data["document"] = None
        document = document_for_code(report.verify_code or "")
        if document is not None:
            status = document_status(document)
            data["document"] = {
                "verify_code": document.verify_code,
                "kind": document.kind,
                "number": document.number,
                "source": f"{document.source_type}:{document.source_id}",
                "issued_file": document.sha256 == report.sha256,
                "current": status.current,
                "state": status.state,
                "reason": status.reason,
            }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        if not report.ok:
            sys.exit(1)
