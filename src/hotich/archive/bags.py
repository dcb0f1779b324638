"""BagIt bags (RFC 8493) with SHA-256 manifests, through the ``bagit`` package."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import bagit

from hotich.core.errors import ValidationFailed


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValidationFailed(f"Tên tệp trong túi không hợp lệ / bad file name: {name[:80]}")
    return path


def bag_write(directory: str | Path, files: Mapping[str, bytes], info: Mapping[str, str]) -> Path:
    """Write ``files`` (relative name → content) as a bag in ``directory`` (created; it must be
    empty if it exists) with ``info`` in bag-info.txt. Returns the bag's folder."""
    root = Path(directory)
    if root.exists() and any(root.iterdir()):
        raise ValidationFailed(f"Thư mục đích không trống / the target folder is not empty: {root}")
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = root.joinpath(*_safe(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    bagit.make_bag(str(root), bag_info=dict(info), checksums=["sha256"])
    return root


def bag_validate(directory: str | Path) -> list[str]:
    """The problems of the bag in ``directory``; an empty list when it is complete and every
    file matches its manifest (a changed, missing or added file and a removed manifest are all
    reported)."""
    try:
        bag = bagit.Bag(str(directory))
        bag.validate()
    except bagit.BagValidationError as error:
        details = [str(d) for d in getattr(error, "details", [])]
        return details or [str(error)]
    except bagit.BagError as error:
        return [str(error)]
    return []
