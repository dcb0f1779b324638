"""The legacy import pages: upload → map → preview → accept, and their guards."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.legacy.models import BatchStatus, ImportBatch
from hotich.legacy.tests.sheets import BIRTH_HEADERS, BIRTH_ROWS, csv_bytes, xlsx_bytes
from hotich.registry.models import Record

pytestmark = pytest.mark.django_db


def test_upload_map_preview_accept(
    units: dict[str, Any], make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user("officer", units["a"]))
    page = client.get("/nhap-du-lieu-cu/")
    assert page.status_code == 200
    assert "Nhập dữ liệu phần mềm cũ" in page.content.decode()
    upload = SimpleUploadedFile("so-1985.xlsx", xlsx_bytes(BIRTH_HEADERS, BIRTH_ROWS, "vni"))
    response = client.post("/nhap-du-lieu-cu/", {"event_type": "birth", "file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn Đức" in page and "VNI" in page
    mapping = {f"col_{k}": v for k, v in batch.mapping.items()}
    response = client.post(f"/nhap-du-lieu-cu/{batch.pk}/", mapping)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and batch.errors == []
    assert "accept-button" in client.get(f"/nhap-du-lieu-cu/{batch.pk}/").content.decode()
    assert Record.objects.count() == 0
    response = client.post(f"/nhap-du-lieu-cu/{batch.pk}/nhap/")
    assert response.status_code == 302
    assert Record.objects.filter(is_historic=True).count() == 3


def test_preview_lists_row_errors(units: dict[str, Any], make_user: Any, staff_client: Any) -> None:
    client = staff_client(make_user("officer", units["a"]))
    rows = [list(r) for r in BIRTH_ROWS]
    rows[0][1] = "hôm qua"
    upload = SimpleUploadedFile("so.csv", csv_bytes(BIRTH_HEADERS, rows, "tcvn3"))
    client.post("/nhap-du-lieu-cu/", {"event_type": "birth", "file": upload})
    batch = ImportBatch.objects.get()
    client.post(f"/nhap-du-lieu-cu/{batch.pk}/", {f"col_{k}": v for k, v in batch.mapping.items()})
    page = client.get(f"/nhap-du-lieu-cu/{batch.pk}/").content.decode()
    assert 'id="errors"' in page and "hôm qua" in page
    assert "accept-button" not in page
    assert client.post(f"/nhap-du-lieu-cu/{batch.pk}/nhap/").status_code == 302
    assert Record.objects.count() == 0


def test_bad_upload_shows_the_reason(
    units: dict[str, Any], make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user("officer", units["a"]))
    upload = SimpleUploadedFile("so.xlsx", b"not a spreadsheet")
    page = client.post("/nhap-du-lieu-cu/", {"event_type": "birth", "file": upload})
    assert page.status_code == 200
    assert "đuôi tệp không đúng" in page.content.decode()
    assert ImportBatch.objects.count() == 0


def test_missing_columns_on_mapping(
    units: dict[str, Any], make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user("officer", units["a"]))
    upload = SimpleUploadedFile("so.csv", csv_bytes(BIRTH_HEADERS, BIRTH_ROWS))
    client.post("/nhap-du-lieu-cu/", {"event_type": "birth", "file": upload})
    batch = ImportBatch.objects.get()
    page = client.post(f"/nhap-du-lieu-cu/{batch.pk}/", {"col_2": "child.full_name"})
    assert page.status_code == 200
    assert "thiếu cột bắt buộc" in page.content.decode()


def test_clerks_cannot_import(units: dict[str, Any], make_user: Any, staff_client: Any) -> None:
    client = staff_client(make_user("clerk", units["a"]))
    assert client.get("/nhap-du-lieu-cu/").status_code == 404


def test_large_file_pages_show_the_background_run(
    units: dict[str, Any],
    make_user: Any,
    staff_client: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from hotich.legacy import views

    monkeypatch.setattr(views, "SYNC_ROWS", 1)
    client = staff_client(make_user("officer", units["a"]))
    upload = SimpleUploadedFile("so.csv", csv_bytes(BIRTH_HEADERS, BIRTH_ROWS, "viqr"))
    client.post("/nhap-du-lieu-cu/", {"event_type": "birth", "file": upload})
    batch = ImportBatch.objects.get()
    mapping = {f"col_{k}": v for k, v in batch.mapping.items()}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/nhap-du-lieu-cu/{batch.pk}/", mapping)
    page = client.get(f"/nhap-du-lieu-cu/{batch.pk}/").content.decode()
    assert 'id="pending"' in page and "preview-button" not in page
    for callback in callbacks:
        callback()
    page = client.get(f"/nhap-du-lieu-cu/{batch.pk}/").content.decode()
    assert "accept-button" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nhap-du-lieu-cu/{batch.pk}/nhap/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED
    assert Record.objects.filter(is_historic=True).count() == 3
