"""Independent validation: poppler's ``pdfsig`` with the test root in an NSS database."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.signing.keys import pki_dir
from hotich.signing.services import ROOT_FILE, document_sign
from hotich.signing.verify import pdf_verify

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="poppler-utils and libnss3-tools are installed by `make system-deps`",
)


def nss_db(directory: Path) -> str:
    """An NSS database trusting the demo root CA, as pdfsig's ``-nssdir`` takes it."""
    directory.mkdir(parents=True, exist_ok=True)
    db = f"sql:{directory}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            db,
            "-n",
            "hotich-root",
            "-t",
            "CT,C,C",
            "-i",
            str(pki_dir() / ROOT_FILE),
        ],
        check=True,
    )
    return db


def pdfsig(path: Path, db: str) -> str:
    result = subprocess.run(
        ["pdfsig", "-nssdir", db, str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


@pytest.mark.django_db
def test_pdfsig_accepts_issued_document_and_catches_a_changed_byte(
    unit: Any, make_user: Any, rendered: Any, tmp_path: Path
) -> None:
    code, pdf = rendered
    signed = document_sign(
        pdf=pdf,
        actor=make_user(Role.SIGNER, unit),
        unit=unit,
        kind="extract",
        title="Trích lục khai sinh",
        source_type="test",
        source_id=1,
        verify_code=code,
    ).pdf
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    db = nss_db(tmp_path / "nss")
    out = pdfsig(path, db)
    print(out)
    assert out.count("Signature is Valid") == 2, out
    assert out.count("Certificate is Trusted") == 2, out
    assert "Total document signed" in out.split("Signature #2")[1], out

    # One byte inside the first signed range (the page content) changed.
    start = signed.index(b"stream") + 20
    tampered = bytearray(signed)
    tampered[start] ^= 0x01
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(bytes(tampered))
    out = pdfsig(bad, db)
    assert "Signature is Valid" not in out, out
    report = pdf_verify(bytes(tampered))
    assert not report.ok
    assert not any(s.intact for s in report.signatures)
