"""S3-compatible storage (``HOTICH_STORAGE=s3``) against a real S3 API server started here
(moto's server mode): storing a page image, fixity, backup and restore of the files, and a
large image uploaded in parts."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hotich.archive.services import archive_fixity, archive_store
from hotich.backup.services import backup_create
from hotich.backup.tests.test_backup import fresh_instance, hotich  # noqa: F401 - fixture
from hotich.core.s3 import s3_transfer_config

KEYS = {"aws_access_key_id": "hotich", "aws_secret_access_key": "hotich-secret"}
REGION = "us-east-1"
PAGE = "so/2024/khai-sinh/trang-0001.jpg"
PAGE_BYTES = b"\xff\xd8\xff\xe0" + b"trang so ho tich " * 200
MB = 1024 * 1024


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    server = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(server).exists():
        pytest.skip("needs moto[server] (the dev extra)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "moto_server"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _client(url: str) -> Any:
    return boto3.client("s3", endpoint_url=url, region_name=REGION, **KEYS)


def _bucket(url: str) -> str:
    name = f"hotich-{uuid.uuid4().hex[:12]}"
    _client(url).create_bucket(Bucket=name)
    return name


def _storage_options(url: str, bucket: str) -> dict[str, Any]:
    """What settings.py makes of HOTICH_STORAGE=s3 and its HOTICH_S3_* variables."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": url,
            "access_key": KEYS["aws_access_key_id"],
            "secret_key": KEYS["aws_secret_access_key"],
            "region_name": REGION,
            "default_acl": None,
            "file_overwrite": False,
            "transfer_config": s3_transfer_config(5),
        },
    }


@pytest.fixture
def s3(s3_server: str, settings: Any) -> tuple[Any, str]:
    bucket = _bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": _storage_options(s3_server, bucket)}
    return _client(s3_server), bucket


@pytest.mark.django_db
def test_a_page_image_is_stored_in_the_bucket_and_passes_fixity(s3: tuple[Any, str]) -> None:
    client, bucket = s3
    stored = archive_store(path=PAGE, content=PAGE_BYTES, source="test")
    body = client.get_object(Bucket=bucket, Key=stored.path)["Body"].read()
    assert body == PAGE_BYTES
    assert archive_fixity().ok
    call_command("archive", "fixity")

    client.put_object(Bucket=bucket, Key=stored.path, Body=PAGE_BYTES + b"!")
    client.put_object(Bucket=bucket, Key="la/tep-la.txt", Body=b"x")
    report = archive_fixity()
    assert report.changed == [stored.path]
    assert report.unexpected == ["la/tep-la.txt"]
    with pytest.raises((CommandError, SystemExit)):
        call_command("archive", "fixity")


@pytest.mark.django_db
def test_a_large_page_image_is_uploaded_in_parts(s3: tuple[Any, str]) -> None:
    client, bucket = s3
    content = os.urandom(12 * MB)
    stored = archive_store(path="so/2024/trang-lon.tif", content=content, source="test")
    head = client.head_object(Bucket=bucket, Key=stored.path)
    assert head["ContentLength"] == len(content)
    assert head["ETag"].strip('"').endswith("-3")  # three parts of 5 MB, 5 MB and 2 MB
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert archive_fixity().ok


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_of_the_files_in_s3(
    s3: tuple[Any, str],
    s3_server: str,
    tmp_path: Path,
    fresh_instance: dict[str, str],  # noqa: F811
) -> None:
    client, _ = s3
    archive_store(path=PAGE, content=PAGE_BYTES, source="test")
    target = tmp_path / "backup"
    manifest = backup_create(target=target)
    assert (target / "files" / PAGE).read_bytes() == PAGE_BYTES
    assert f"files/{PAGE}" in {f.path for f in manifest.files}

    # restored into a fresh instance whose storage is another, empty bucket
    restored_bucket = _bucket(s3_server)
    env = {
        **fresh_instance,
        "HOTICH_STORAGE": "s3",
        "HOTICH_S3_BUCKET": restored_bucket,
        "HOTICH_S3_ENDPOINT_URL": s3_server,
        "HOTICH_S3_ACCESS_KEY": KEYS["aws_access_key_id"],
        "HOTICH_S3_SECRET_KEY": KEYS["aws_secret_access_key"],
        "HOTICH_S3_REGION": REGION,
    }
    done = hotich(env, "backup", "restore", str(target))
    assert done.returncode == 0, done.stderr
    body = client.get_object(Bucket=restored_bucket, Key=PAGE)["Body"].read()
    assert body == PAGE_BYTES
    fixity = hotich(env, "archive", "fixity")
    assert fixity.returncode == 0, fixity.stdout + fixity.stderr
