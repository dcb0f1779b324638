"""Settings of S3-compatible storage (``HOTICH_STORAGE=s3``) that are objects, not strings."""

from __future__ import annotations

from typing import Any


def s3_transfer_config(part_mb: int) -> Any:
    """How S3 storage uploads: a file larger than ``part_mb`` megabytes (a large page image)
    goes in parts of that size (S3's multipart upload; at least 5)."""
    from boto3.s3.transfer import TransferConfig

    size = max(5, part_mb) * 1024 * 1024
    return TransferConfig(multipart_threshold=size, multipart_chunksize=size)
