"""The local file store writes whole files or none: a write that fails half-way leaves nothing
under the file's name."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile, File

from hotich.core.storage import PARTIAL_DIR, LocalStorage, write_file_atomic


class Crash(Exception):
    pass


class CrashingFile(File):
    """A file whose reading fails after the first chunk, as a process killed mid-copy."""

    def __init__(self) -> None:
        super().__init__(None, name="page.tif")

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield b"x" * 4096
        raise Crash

    @property
    def size(self) -> int:
        return 8192


def test_a_write_interrupted_half_way_leaves_no_file_under_its_name(tmp_path: Path) -> None:
    storage = LocalStorage(location=tmp_path)
    with pytest.raises(Crash):
        storage.save("books/1/page.tif", CrashingFile())
    assert not storage.exists("books/1/page.tif")
    assert list((tmp_path / PARTIAL_DIR).iterdir()) == []


def test_save_writes_whole_files_and_never_overwrites(tmp_path: Path) -> None:
    storage = LocalStorage(location=tmp_path)
    assert storage.save("a/b.pdf", ContentFile(b"first")) == "a/b.pdf"
    second = storage.save("a/b.pdf", ContentFile(b"second"))
    assert second != "a/b.pdf" and second.startswith("a/b_")
    assert (tmp_path / "a/b.pdf").read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"
    assert storage.save("a/text.txt", ContentFile("chữ")) == "a/text.txt"
    assert (tmp_path / "a/text.txt").read_text(encoding="utf-8") == "chữ"
    assert list((tmp_path / PARTIAL_DIR).iterdir()) == []


def test_clean_partial_removes_only_old_leftovers(tmp_path: Path) -> None:
    storage = LocalStorage(location=tmp_path)
    folder = tmp_path / PARTIAL_DIR
    folder.mkdir()
    old, young = folder / "old.partial", folder / "young.partial"
    old.write_bytes(b"x")
    young.write_bytes(b"y")
    hour_ago = time.time() - 7200
    os.utime(old, (hour_ago, hour_ago))
    assert storage.clean_partial(older_than=3600) == 1
    assert not old.exists() and young.exists()


def test_write_file_atomic_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    write_file_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
