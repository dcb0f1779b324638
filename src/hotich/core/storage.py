"""Files that appear whole or not at all.

:class:`LocalStorage` is the file store of the embedded default (``HOTICH_STORAGE=local``): a
Django ``FileSystemStorage`` that writes each file to a temporary name under ``.partial/`` at the
storage root, flushes and fsyncs it, then links it to its final name and fsyncs the folder. A
process killed in the middle leaves at most a file under ``.partial/`` (removed by
:meth:`LocalStorage.clean_partial`), never a truncated file under its real name. S3-compatible
storage needs none of this: a PUT is atomic.

:func:`write_file_atomic` does the same for a file at a path of its own (``--out`` files of the
commands, bags, the demo PKI).
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage

#: the folder, at the storage root, holding files being written
PARTIAL_DIR = ".partial"


def fsync_dir(path: str | os.PathLike[str]) -> None:
    """Make a rename or link inside ``path`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _link_no_replace(src: str, dst: str) -> None:
    """Give ``src`` the name ``dst``; ``FileExistsError`` when ``dst`` exists."""
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # A file system without hard links: rename, after checking the name is free.
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "File exists", dst) from None
        os.rename(src, dst)
        return
    os.unlink(src)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_file_atomic(
    path: str | os.PathLike[str], data: bytes, *, mode: int | None = None
) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsynced and then
    renamed over ``path``: a reader sees the old file or the new one, never a part. ``mode``
    defaults to what the umask gives a new file."""
    target = Path(path)
    directory = target.parent
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode() if mode is None else mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(directory)
    return target


class LocalStorage(FileSystemStorage):
    """``FileSystemStorage`` whose files are written atomically (see the module's docstring).

    Like its parent it never overwrites: a name already taken gets another name
    (``get_available_name``), unless ``allow_overwrite`` is set.
    """

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        partial = self.path(PARTIAL_DIR)
        for folder in (directory, partial):
            try:
                if self.directory_permissions_mode is not None:
                    from django.utils._os import safe_makedirs

                    safe_makedirs(folder, self.directory_permissions_mode, exist_ok=True)
                else:
                    os.makedirs(folder, exist_ok=True)
            except FileExistsError:
                raise FileExistsError(f"{folder} exists and is not a directory.") from None
        fd, tmp = tempfile.mkstemp(dir=partial, suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                fh.flush()
                os.fsync(fh.fileno())
            mode = self.file_permissions_mode
            os.chmod(tmp, _default_mode() if mode is None else mode)
            while True:
                try:
                    if getattr(self, "_allow_overwrite", False):
                        os.replace(tmp, full_path)
                    else:
                        _link_no_replace(tmp, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        fsync_dir(os.path.dirname(full_path))
        name = os.path.relpath(full_path, self.location)
        ensure_group = getattr(self, "_ensure_location_group_id", None)
        if ensure_group is not None:  # Django's own: the file gets the storage root's group
            ensure_group(full_path)
        return str(name).replace("\\", "/")

    def clean_partial(self, *, older_than: float = 3600.0) -> int:
        """Remove the temporary files that interrupted writes left under ``.partial/`` (only
        those older than ``older_than`` seconds: younger ones may still be being written).
        Returns how many were removed."""
        folder = Path(self.path(PARTIAL_DIR))
        if not folder.is_dir():
            return 0
        limit = time.time() - older_than
        removed = 0
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
