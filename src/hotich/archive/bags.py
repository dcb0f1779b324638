"""BagIt bags (RFC 8493) with SHA-256 manifests, through the ``bagit`` package."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import bagit

from hotich.core.errors import ValidationFailed
from hotich.core.storage import fsync_dir


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValidationFailed(f"Tên tệp trong túi không hợp lệ / bad file name: {name[:80]}")
    return path


def bag_write(directory: str | Path, files: Mapping[str, bytes], info: Mapping[str, str]) -> Path:
    """Write ``files`` (relative name → content) as a bag in ``directory`` (created; it must be
    empty if it exists) with ``info`` in bag-info.txt. Returns the bag's folder.

    The bag is built in a hidden sibling folder, fsynced, and renamed to ``directory`` when
    complete: an interrupted export leaves no half-written bag under that name."""
    root = Path(directory)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ValidationFailed(f"Thư mục đích không trống / the target folder is not empty: {root}")
    names = {name: _safe(name) for name in files}
    root.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{root.name}.partial-", dir=root.parent))
    try:
        for name, content in files.items():
            target = work.joinpath(*names[name].parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        bagit.make_bag(str(work), bag_info=dict(info), checksums=["sha256"])
        for dirpath, _dirs, filenames in os.walk(work):
            for filename in filenames:
                with open(os.path.join(dirpath, filename), "rb") as fh:
                    os.fsync(fh.fileno())
            fsync_dir(dirpath)
        work.chmod(0o777 & ~_umask())
        if root.exists():
            root.rmdir()  # empty (checked above)
        os.rename(work, root)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    fsync_dir(root.parent)
    return root


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
