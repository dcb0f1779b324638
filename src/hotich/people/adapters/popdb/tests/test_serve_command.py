"""``hotich popdb serve`` as its own process, and mutual TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hotich.core.http import UpstreamUnavailable
from hotich.people.adapters.popdb.adapter import (
    UpstreamRejected,
    population_database,
    reset_clients,
)
from hotich.people.adapters.popdb.protocol import Inquiry
from hotich.people.adapters.popdb.standin import make_server

BASIS = "Điều 4 Nghị định 13/2023/NĐ-CP"


def test_serve_runs_a_separate_process_with_its_own_database(tmp_path: Path) -> None:
    db = tmp_path / "popdb.sqlite3"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hotich",
            "popdb",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            "--seed",
            "25",
            "--rng-seed",
            "3",
            "--fail-rate",
            "1",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "25 citizens" in line, line
        url = line.split()[2]
        assert httpx.get(f"{url}/v1/health", timeout=5).json()["citizens"] == 25
        failing = httpx.get(
            f"{url}/v1/citizens",
            params={"full_name": "An"},
            timeout=5,
            headers={"X-Legal-Basis": "test"},
        )
        assert failing.status_code == 503
        httpx.post(f"{url}/_control", json={"fail_rate": 0}, timeout=5)
        ok = httpx.get(
            f"{url}/v1/citizens",
            params={"full_name": "An"},
            timeout=5,
            headers={"X-Legal-Basis": "test"},
        )
        assert ok.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert db.exists()


def test_serve_refuses_a_bad_fail_rate() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hotich", "popdb", "serve", "--fail-rate", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "--fail-rate" in result.stderr


def _cert(
    name: str,
    key: Any,
    issuer: tuple[x509.Name, Any] | None,
    *,
    ca: bool = False,
    ip: str | None = None,
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, issuer_key = issuer or (subject, key)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ip:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, cert: x509.Certificate, key: Any) -> tuple[str, str]:
    cert_path, key_path = path.with_suffix(".crt"), path.with_suffix(".key")
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@pytest.mark.django_db
def test_mutual_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("popdb test CA", ca_key, None, ca=True)
    ca_path, _ = _write(tmp_path / "ca", ca, ca_key)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert, server_key_path = _write(
        tmp_path / "server",
        _cert("127.0.0.1", server_key, (ca.subject, ca_key), ip="127.0.0.1"),
        server_key,
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client_cert, client_key_path = _write(
        tmp_path / "client", _cert("hotich", client_key, (ca.subject, ca_key)), client_key
    )
    server = make_server(port=0, seed=3, rng_seed=1)
    server.use_tls(cert=server_cert, key=server_key_path, client_ca=ca_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    row = server.store.conn.execute("SELECT personal_id FROM citizen LIMIT 1").fetchone()
    try:
        monkeypatch.setenv("HOTICH_POPDB_URL", server.url)
        monkeypatch.setenv("HOTICH_POPDB_CA", ca_path)
        monkeypatch.setenv("HOTICH_POPDB_RETRIES", "0")
        monkeypatch.setenv("HOTICH_POPDB_TIMEOUT", "3")
        reset_clients()
        with pytest.raises((UpstreamUnavailable, UpstreamRejected)):
            population_database().lookup(row[0], inquiry=Inquiry(None, BASIS))
        monkeypatch.setenv("HOTICH_POPDB_CLIENT_CERT", client_cert)
        monkeypatch.setenv("HOTICH_POPDB_CLIENT_KEY", client_key_path)
        citizen = population_database().lookup(row[0], inquiry=Inquiry(None, BASIS))
        assert citizen is not None
        assert server.url.startswith("https://")
    finally:
        server.shutdown()
        server.server_close()
        reset_clients()
