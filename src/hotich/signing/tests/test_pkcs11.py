"""Signing with a key that never leaves a PKCS#11 token (SoftHSM2, as a USB token would)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hotich.signing import pki
from hotich.signing.models import Backend, Usage
from hotich.signing.services import identity_import, pdf_sign
from hotich.signing.standin import demo_pki_ensure
from hotich.signing.verify import pdf_verify

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
pytestmark = pytest.mark.skipif(
    not (MODULE.exists() and shutil.which("softhsm2-util")),
    reason="softhsm2 is installed by `make system-deps`",
)


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.setenv("HOTICH_PKCS11_PIN", "2468")
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "hotich-test",
            "--pin",
            "2468",
            "--so-pin",
            "13579",
        ],
        check=True,
        capture_output=True,
    )
    return "hotich-test"


@pytest.mark.django_db
def test_sign_with_a_key_on_a_softhsm2_token(
    token: str, tmp_path: Path, unit: Any, rendered: Any, settings: Any
) -> None:
    demo = demo_pki_ensure()
    issued = pki.leaf_issue(demo.root, common_name="Con dấu trên token", usage=pki.Usage.SEAL)
    key_file = tmp_path / "seal-key.pem"
    key_file.write_bytes(issued.key_pem)
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            token,
            "--label",
            "seal",
            "--id",
            "01",
            "--pin",
            "2468",
        ],
        check=True,
        capture_output=True,
    )
    key_file.unlink()  # from now on the key exists only on the token
    settings.HOTICH_SIGNING_SOFTWARE_KEYS = False
    identity = identity_import(
        actor=None,
        unit=unit,
        usage=Usage.SEAL,
        data=issued.cert_pem + demo.root.cert_pem,
        backend=Backend.PKCS11,
        key_ref="seal",
        pkcs11_token=token,
        pkcs11_module=str(MODULE),
    )
    signed = pdf_sign(rendered[1], [identity], reason="Thử token", location="Nghệ An")
    report = pdf_verify(signed)
    assert report.ok, report.as_dict()
    assert "Con dấu trên token" in report.signatures[0].signer
