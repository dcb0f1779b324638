"""``pdf_verify`` and ``hotich pdf verify`` refuse what is not a signed, whole PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pyhanko.pdf_utils.crypt import StandardSecurityHandler
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

from hotich.signing.verify import PdfRefused, pdf_verify


def _encrypted(pdf: bytes) -> bytes:
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf)))
    writer.security_handler = StandardSecurityHandler.build_from_pw("mật khẩu", "secret")
    writer._assign_security_handler(writer.security_handler)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_refusals(rendered: Any) -> None:
    _code, pdf = rendered
    with pytest.raises(PdfRefused, match="không phải PDF"):
        pdf_verify(b"GIF89a not a pdf")
    with pytest.raises(PdfRefused, match="hỏng"):
        pdf_verify(b"%PDF-1.7\n garbage garbage")
    report = pdf_verify(pdf)
    assert not report.ok and report.problems  # unsigned


def test_encrypted_pdf_is_refused(rendered: Any) -> None:
    try:
        data = _encrypted(rendered[1])
    except Exception:  # noqa: BLE001
        pytest.skip("pyHanko could not encrypt this PDF")
    with pytest.raises(PdfRefused, match="mã hóa"):
        pdf_verify(data)
