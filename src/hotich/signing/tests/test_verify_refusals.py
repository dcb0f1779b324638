"""``pdf_verify`` and ``hotich pdf verify`` refuse what is not a signed, whole PDF."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
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


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stderr(err):
        try:
            call_command("pdf", "verify", *args, stdout=out)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_cli_verify_exit_codes(tmp_path: Path, units: Any) -> None:
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory
    from hotich.signing import pki
    from hotich.signing.keys import pki_dir

    issued = extract_issue(actor=None, record=BirthFactory(unit=units["a"]), copy=True)
    good = tmp_path / "good.pdf"
    good.write_bytes(issued.pdf)
    root = str(pki_dir() / "root-ca.pem")
    code, out, _err = _run(str(good), "--trust", root)
    assert code == 0
    data = json.loads(out)
    assert data["valid"] and data["verify_code"] == issued.verify_code
    assert data["signatures"][-1]["covers_whole_file"]
    assert data["document"]["current"] and data["document"]["issued_file"]

    bad = tmp_path / "bad.pdf"
    changed = bytearray(issued.pdf)
    changed[issued.pdf.index(b"stream") + 20] ^= 1
    bad.write_bytes(bytes(changed))
    code, out, _err = _run(str(bad), "--trust", root)
    assert code == 1 and not json.loads(out)["valid"]

    other = tmp_path / "other-root.pem"
    other.write_bytes(pki.root_create("Another root").cert_pem)
    code, out, _err = _run(str(good), "--trust", str(other))
    assert code == 1 and not json.loads(out)["signatures"][0]["trusted"]

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"hello")
    code, out, err = _run(str(junk))
    assert code == 1 and "PDF" in err and out == ""
