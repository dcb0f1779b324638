"""``hotich scan import DIR --book ID``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from hotich.digitization import services
from hotich.digitization.models import BatchStatus, PageImage, ScanBatch
from hotich.digitization.tests.conftest import page_bytes

pytestmark = pytest.mark.django_db


def test_scan_import_folder_then_again(tmp_path: Path, book: Any) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    for n in (1, 2, 10):
        (folder / f"p{n}.png").write_bytes(page_bytes(n))
    out, err = io.StringIO(), io.StringIO()
    call_command("scan", "import", str(folder), "--book", str(book.pk), stdout=out, stderr=err)
    assert "3 trang mới" in out.getvalue()
    assert "3/3" in err.getvalue()
    names = list(PageImage.objects.order_by("number").values_list("original_name", flat=True))
    assert names == ["p1.png", "p2.png", "p10.png"]
    out = io.StringIO()
    call_command("scan", "import", str(folder), "--book", str(book.pk), stdout=out, stderr=err)
    assert "0 trang mới" in out.getvalue() and "3 tệp đã có" in out.getvalue()
    assert PageImage.objects.count() == 3


def _scans(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(1, count + 1):
        (folder / f"p{n}.png").write_bytes(page_bytes(n))
    return folder


def test_a_resumed_run_continues_the_interrupted_batch(tmp_path: Path, book: Any) -> None:
    folder = _scans(tmp_path / "scans", 4)
    # The first run was killed after two files: its batch is still "running".
    batch = services.batch_start(actor=None, book=book, files_total=4, source="cli")
    for n in (1, 2):
        services.page_import(
            actor=None, book=book, name=f"p{n}.png", data=page_bytes(n), batch=batch
        )
    out = io.StringIO()
    call_command(
        "scan", "import", str(folder), "--book", str(book.pk), stdout=out, stderr=io.StringIO()
    )
    assert "2 trang mới" in out.getvalue()
    assert f"#{batch.pk}" in out.getvalue()
    batch.refresh_from_db()
    assert ScanBatch.objects.count() == 1
    assert (batch.status, batch.files_total, batch.files_done) == (BatchStatus.DONE, 4, 4)
    assert (batch.pages_added, batch.duplicates, batch.errors) == (4, 0, [])
    assert batch.finished_at is not None
    assert set(PageImage.objects.values_list("batch", flat=True)) == {batch.pk}


def test_older_interrupted_batches_are_closed(tmp_path: Path, book: Any) -> None:
    folder = _scans(tmp_path / "scans", 1)
    old = [services.batch_start(actor=None, book=book, source="cli") for _ in range(2)]
    upload = services.batch_start(actor=None, book=book, source="upload")
    call_command(
        "scan",
        "import",
        str(folder),
        "--book",
        str(book.pk),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    statuses = dict(ScanBatch.objects.values_list("pk", "status"))
    assert statuses == {
        old[0].pk: BatchStatus.DONE,
        old[1].pk: BatchStatus.DONE,
        upload.pk: BatchStatus.RUNNING,
    }
    closed = ScanBatch.objects.get(pk=old[0].pk)
    assert closed.finished_at is not None and closed.errors[-1]["file"] == ""
    assert ScanBatch.objects.get(pk=old[1].pk).pages_added == 1  # the newest one was continued


def test_a_second_run_on_the_same_book_is_refused_while_one_runs(
    tmp_path: Path, book: Any, settings: Any
) -> None:
    import fcntl

    folder = _scans(tmp_path / "scans", 1)
    settings.DATA_DIR = tmp_path / "data"
    lock = settings.DATA_DIR / "locks" / f"scan-import-book-{book.pk}.lock"
    lock.parent.mkdir(parents=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(CommandError, match="đang chạy"):
            call_command(
                "scan",
                "import",
                str(folder),
                "--book",
                str(book.pk),
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
    assert not ScanBatch.objects.exists() and not PageImage.objects.exists()


def test_scan_import_reports_refused_files(tmp_path: Path, book: Any) -> None:
    (tmp_path / "ok.png").write_bytes(page_bytes(3))
    (tmp_path / "liar.jpg").write_bytes(page_bytes(4))
    with pytest.raises(CommandError, match="1 tệp bị từ chối"):
        call_command(
            "scan",
            "import",
            str(tmp_path),
            "--book",
            str(book.pk),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert PageImage.objects.count() == 1


def test_scan_import_unknown_book(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError):
        call_command("scan", "import", str(tmp_path), "--book", "999999", stderr=io.StringIO())


def test_import_exchange_command_refuses_with_reason(tmp_path: Path, book: Any) -> None:
    with pytest.raises(CommandError, match="so-"):
        call_command(
            "scan", "import-exchange", str(tmp_path), "--book", str(book.pk), stdout=io.StringIO()
        )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.4 not a spreadsheet\n", "nội dung không phải xlsx"),
        (b"", "Tệp rỗng"),
        (b"PK\x03\x04 a broken zip", "Không đọc được tệp xlsx: tệp hỏng"),
    ],
)
def test_import_exchange_spreadsheet_not_a_workbook_is_one_line(
    tmp_path: Path,
    book: Any,
    content: bytes,
    reason: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "so-1985.xlsx").write_bytes(content)
    # The console script closes every connection when it ends; the test's transaction needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        # As the ``hotich`` console script runs it: argv in, one line on stderr, an exit code.
        execute_from_command_line(
            ["hotich", "scan", "import-exchange", str(tmp_path), "--book", str(book.pk)]
        )
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert reason in err
    assert PageImage.objects.count() == 0
