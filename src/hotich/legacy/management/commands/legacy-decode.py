"""``hotich legacy-decode [--encoding auto|tcvn3|vni|viqr] [FILE]``.

Reads FILE (or standard input) as legacy bytes or as UTF-8 text carrying the legacy glyphs and
writes NFC Unicode to standard output. ``auto`` (the default) detects the encoding; the one it
chose is not printed, so the output is the text alone. Exit 1 with a one-line reason on stderr
when the file cannot be read; exit 2 when it is not text (a PDF, an image, a ZIP or .xlsx, any
file holding NUL bytes), which is refused before anything is written.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed
from hotich.legacy import codec

EXIT_FAILED = 1
EXIT_NOT_TEXT = 2


class Command(BaseCommand):
    help = (
        "Chuyển văn bản TCVN3 (ABC), VNI, VIQR sang Unicode dựng sẵn (NFC) / "
        "Convert TCVN3 (ABC), VNI or VIQR text to NFC Unicode."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--encoding",
            choices=["auto", *codec.ENCODINGS],
            default="auto",
            help="bảng mã nguồn / source encoding (auto: tự nhận biết / detect)",
        )
        parser.add_argument("file", nargs="?", help="tệp nguồn / input file (stdin if absent)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options.get("file")
        try:
            if path and path != "-":
                with open(path, "rb") as handle:
                    data = handle.read()
            else:
                data = sys.stdin.buffer.read()
        except OSError as error:
            reason = error.strerror or str(error)
            sys.stderr.write(f"Không đọc được tệp / Cannot read the file: {reason}\n")
            sys.stderr.flush()
            sys.exit(EXIT_FAILED)
        kind = codec.binary_kind(data)
        if kind is not None:
            refusal = ValidationFailed(
                format_lazy(
                    _(
                        "Tệp không phải văn bản ({kind}): chỉ chuyển được văn bản TCVN3, VNI, "
                        "VIQR hoặc Unicode."
                    ),
                    kind=kind,
                )
            )
            sys.stderr.write(refusal.bilingual() + "\n")
            sys.stderr.flush()
            sys.exit(EXIT_NOT_TEXT)
        text, _encoding = codec.decode_bytes(data, options["encoding"])
        out = sys.stdout.buffer
        out.write(text.encode("utf-8"))
        out.flush()
