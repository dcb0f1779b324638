"""Stored files, the five classic corruptions, BagIt bags, the command contract."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from hotich.archive import services
from hotich.archive.bags import bag_validate, bag_write
from hotich.archive.models import FixityRun, StoredFile
from hotich.archive.services import archive_fixity, archive_register, archive_store
from hotich.audit.models import Entry
from hotich.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hotich.core.storage.LocalStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.HOTICH_ARCHIVE_FIXITY_IGNORE = "digitization/web/,tmp/"
    return root


def store_three() -> list[StoredFile]:
    return [
        archive_store(path=f"books/1985/page-{n}.tif", content=bytes([n]) * 1000, source="test")
        for n in range(1, 4)
    ]


def run_fixity() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("archive", "fixity", stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_store_records_hash_and_is_idempotent(storage_root: Path) -> None:
    content = b"master image bytes"
    stored = archive_store(path="books/1/p1.tif", content=content, source="digitization.page")
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content)
    assert (storage_root / "books/1/p1.tif").read_bytes() == content
    again = archive_store(path="books/1/p1.tif", content=content, source="digitization.page")
    assert again.pk == stored.pk
    with pytest.raises(Conflict):
        archive_store(path="books/1/p1.tif", content=b"other", source="x")
    assert (storage_root / "books/1/p1.tif").read_bytes() == content
    assert Entry.objects.filter(object_type="archive.stored_file").count() == 1


def test_a_partial_file_left_by_a_crash_is_replaced(storage_root: Path) -> None:
    content = bytes(range(256)) * 40
    digest = hashlib.sha256(content).hexdigest()
    path = f"digitization/masters/{digest[:2]}/{digest}.tif"
    # A process killed while writing left the first bytes under the final name, and no row.
    (storage_root / path).parent.mkdir(parents=True)
    (storage_root / path).write_bytes(content[:1000])
    stored = archive_store(path=path, content=content, source="digitization.master")
    assert (storage_root / path).read_bytes() == content
    assert stored.sha256 == digest and stored.size == len(content)
    report = archive_fixity()
    assert report.ok and report.checked == 1


def test_fixity_skips_and_clears_leftovers_of_interrupted_writes(storage_root: Path) -> None:
    import os
    import time

    store_three()
    partial = storage_root / ".partial"
    (partial / "old.partial").write_bytes(b"half")
    (partial / "now.partial").write_bytes(b"being written")
    day_ago = time.time() - 86400
    os.utime(partial / "old.partial", (day_ago, day_ago))
    code, out, _err = run_fixity()
    assert code == 0 and "OK: 3 files checked" in out and "1 " in out.splitlines()[1]
    assert [p.name for p in partial.iterdir()] == ["now.partial"]


def test_a_file_with_a_manifest_row_is_never_replaced(storage_root: Path) -> None:
    stored = archive_store(path="signed/2026/a.pdf", content=b"%PDF-1 signed", source="signing")
    (storage_root / stored.path).write_bytes(b"%PDF-1 sig")  # damaged after it was recorded
    with pytest.raises(Conflict):
        archive_store(path=stored.path, content=b"%PDF-1 other", source="signing")
    assert (storage_root / stored.path).read_bytes() == b"%PDF-1 sig"
    assert archive_fixity().changed == ["signed/2026/a.pdf"]


@pytest.mark.parametrize("path", ["../etc/passwd", "/abs/../x", "a//b", ""])
def test_bad_paths_are_refused(path: str) -> None:
    with pytest.raises(ValidationFailed):
        archive_store(path=path, content=b"x", source="t")


def test_register_a_file_written_elsewhere(storage_root: Path) -> None:
    default_storage.save("signed/2026/a.pdf", __import__("io").BytesIO(b"%PDF"))
    stored = archive_register(path="signed/2026/a.pdf", source="signing")
    assert stored.sha256 == hashlib.sha256(b"%PDF").hexdigest()
    with pytest.raises(ValidationFailed):
        archive_register(path="signed/none.pdf", source="signing")


def test_clean_archive_passes(storage_root: Path) -> None:
    store_three()
    (storage_root / "digitization/web").mkdir(parents=True)
    (storage_root / "digitization/web/1.jpg").write_bytes(b"derivative")  # ignored prefix
    code, out, err = run_fixity()
    assert (code, out.strip(), err) == (0, "OK: 3 files checked", "")
    run = FixityRun.objects.get()
    assert run.ok and run.checked == 3


def test_a_deleted_byte_is_detected(storage_root: Path) -> None:
    store_three()
    target = storage_root / "books/1985/page-2.tif"
    target.write_bytes(target.read_bytes()[:-1])
    code, out, err = run_fixity()
    assert code == 1
    assert out.splitlines() == ["changed: books/1985/page-2.tif"]
    assert len(err.strip().splitlines()) == 1


def test_a_changed_byte_is_detected(storage_root: Path) -> None:
    store_three()
    target = storage_root / "books/1985/page-1.tif"
    data = bytearray(target.read_bytes())
    data[500] ^= 0x01
    target.write_bytes(bytes(data))
    assert archive_fixity().changed == ["books/1985/page-1.tif"]


def test_a_removed_file_is_detected(storage_root: Path) -> None:
    store_three()
    (storage_root / "books/1985/page-3.tif").unlink()
    code, out, _err = run_fixity()
    assert code == 1 and out.splitlines() == ["missing: books/1985/page-3.tif"]


def test_an_added_file_is_detected(storage_root: Path) -> None:
    store_three()
    (storage_root / "books/1985/page-9.tif").write_bytes(b"smuggled")
    code, out, _err = run_fixity()
    assert code == 1 and out.splitlines() == ["unexpected: books/1985/page-9.tif"]


def test_a_removed_manifest_is_detected(storage_root: Path) -> None:
    store_three()
    StoredFile.objects.all().delete()  # the manifest rows are gone
    report = archive_fixity()
    assert not report.ok and len(report.unexpected) == 3
    run = FixityRun.objects.latest("started_at")
    assert not run.ok and len(run.unexpected) == 3


# --- BagIt ----------------------------------------------------------------------------------


def make_bag(tmp_path: Path) -> Path:
    return bag_write(
        tmp_path / "bag",
        {"entries.xlsx": b"rows", "pdf/0001.pdf": b"%PDF-1 entry one", "pdf/0002.pdf": b"%PDF-2"},
        {"Source-Organization": "UBND xã Quế Phong", "External-Identifier": "KS-1985"},
    )


def test_bag_round_trip(tmp_path: Path) -> None:
    bag = make_bag(tmp_path)
    assert (bag / "data/pdf/0001.pdf").read_bytes() == b"%PDF-1 entry one"
    assert (bag / "manifest-sha256.txt").exists()
    assert "Quế Phong" in (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert bag_validate(bag) == []


@pytest.mark.parametrize(
    "corruption", ["deleted_byte", "changed_byte", "removed", "added", "manifest"]
)
def test_bag_corruptions_are_detected(tmp_path: Path, corruption: str) -> None:
    bag = make_bag(tmp_path)
    target = bag / "data/pdf/0001.pdf"
    if corruption == "deleted_byte":
        target.write_bytes(target.read_bytes()[1:])
    elif corruption == "changed_byte":
        target.write_bytes(b"%PDF-1 entry onE")
    elif corruption == "removed":
        target.unlink()
    elif corruption == "added":
        (bag / "data/pdf/0003.pdf").write_bytes(b"extra")
    else:
        (bag / "manifest-sha256.txt").unlink()
    problems = bag_validate(bag)
    assert problems, corruption


def test_an_interrupted_bag_leaves_no_half_written_bag(tmp_path: Path, monkeypatch: Any) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("bagit.make_bag", crash)
    with pytest.raises(OSError, match="disk full"):
        make_bag(tmp_path)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    (tmp_path / "bag").mkdir()  # an empty target folder is used as is
    assert bag_validate(make_bag(tmp_path)) == []
    assert [p.name for p in tmp_path.iterdir()] == ["bag"]


def test_bag_refuses_unsafe_names_and_a_full_folder(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        bag_write(tmp_path / "b1", {"../evil": b"x"}, {})
    make_bag(tmp_path)
    with pytest.raises(ValidationFailed):
        bag_write(tmp_path / "bag", {"a": b"x"}, {})


# --- export-book ----------------------------------------------------------------------------


def run_export(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("archive", "export-book", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_export_book_without_an_exporter(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "_exporters", [])
    code, out, err = run_export("7", str(tmp_path / "out"))
    assert code == 1 and out == ""
    assert "register_book_exporter" in err


def test_export_book_calls_the_registered_exporter(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "_exporters", [])
    calls = []

    def exporter(book_id: int, directory: Path) -> Path:
        calls.append(book_id)
        if book_id != 7:
            raise NotFound("Không tìm thấy sổ.")
        return bag_write(directory, {"entries.csv": b"a"}, {"External-Identifier": "7"})

    services.register_book_exporter(exporter)
    code, _out, _ = run_export("7", str(tmp_path / "out"))
    assert code == 0 and bag_validate(tmp_path / "out") == []
    code, _, err = run_export("8", str(tmp_path / "out8"))
    assert code == 1 and "Không tìm thấy sổ" in err
    assert calls == [7, 8]


def test_periodic_task_runs_a_check(storage_root: Path) -> None:
    from hotich.archive.tasks import archive_fixity_check

    store_three()
    assert archive_fixity_check.call(reschedule=False) == "ok"
    (storage_root / "books/1985/page-1.tif").unlink()
    assert archive_fixity_check.call(reschedule=False) == "failed"
    assert [r.ok for r in FixityRun.objects.order_by("started_at")] == [True, False]


def test_schedule_needs_a_deferring_backend(settings: Any) -> None:
    from hotich.archive.tasks import schedule_next

    assert schedule_next() is False  # the tests' immediate backend cannot defer
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("archive", "schedule", stdout=out, stderr=err)
    assert exit_.value.code == 1 and err.getvalue().strip()


def test_fixity_interval_setting(settings: Any) -> None:
    settings.HOTICH_ARCHIVE_FIXITY_HOURS = 6
    assert services.fixity_interval().total_seconds() == 6 * 3600


def test_schedule_defers_the_next_check(settings: Any) -> None:
    from django_tasks import default_task_backend

    from hotich.archive.tasks import schedule_next

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert schedule_next() is True
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert len(results) == 1 and results[0].task.run_after is not None
