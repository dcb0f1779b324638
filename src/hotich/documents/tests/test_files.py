"""Work files (hồ sơ công việc): the agency's file list, documents put into files, the year
closed and handed over to the archive with its handover list, fingerprints checked by fixity."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from conftest import verified_client
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hotich.accounts.navigation import sections_for
from hotich.accounts.vocabulary import Role
from hotich.archive.models import StoredFile
from hotich.archive.services import archive_fixity, archive_store
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.documents.models import Document, FileItem, WorkFile
from hotich.documents.selectors import file_detail, file_get, files_of_year, handover_file
from hotich.documents.services import (
    file_add_document,
    file_create,
    file_remove_document,
    file_transition,
    files_close_year,
    files_hand_over,
)
from hotich.documents.tests.factories import incoming_factory, outgoing_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from hotich.documents.vocabulary import FileStatus, Status

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


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
    return root


def _scan(units: dict[str, Any], office: dict[str, Any], n: int, **extra: Any) -> Document:  # noqa: F811
    data = f"%PDF-1.4 văn bản đến số {n}".encode()
    stored = archive_store(path=f"documents/test/{n}.pdf", content=data, source="documents")
    values = {
        "organization": office["tree"].justice,
        "number": str(n),
        "sequence": n,
        "year": LAST_YEAR,
        "file_path": stored.path,
        "file_sha256": stored.sha256,
        "file_size": stored.size,
    }
    return incoming_factory(units["province"], **(values | extra))


def _file(office: dict[str, Any], code: str = "01.HCTP", **extra: Any) -> WorkFile:  # noqa: F811
    values: dict[str, Any] = {
        "actor": office["clerk"],
        "year": LAST_YEAR,
        "code": code,
        "title": "Hồ sơ hướng dẫn số hóa sổ hộ tịch",
        "retention_years": 10,
        "responsible_id": office["handler"].pk,
    }
    return file_create(**(values | extra))


def test_a_year_is_filed_closed_and_handed_over_with_fingerprints(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
    storage_root: Path,
) -> None:
    clerk = office["clerk"]
    work_file = _file(office)
    permanent = _file(office, "02.VP", title="Hồ sơ quy chế làm việc", retention_years=None)
    assert permanent.retention_label == "Vĩnh viễn" and work_file.retention_label == "10 năm"
    first, second = _scan(units, office, 1), _scan(units, office, 2)
    file_add_document(actor=office["handler"], work_file=work_file, document_id=first.pk)
    file_add_document(actor=clerk, work_file=work_file, document_id=second.pk)
    file_add_document(actor=clerk, work_file=permanent, document_id=_scan(units, office, 3).pk)
    with pytest.raises(Conflict, match=r"01\.HCTP"):  # one file per document
        file_add_document(actor=clerk, work_file=permanent, document_id=first.pk)
    listed = {f.code: f.documents for f in files_of_year(actor=clerk, year=LAST_YEAR)}  # type: ignore[attr-defined]
    assert listed == {"01.HCTP": 2, "02.VP": 1}

    assert files_close_year(actor=clerk, year=LAST_YEAR) == 2
    work_file.refresh_from_db()
    assert work_file.status == FileStatus.CLOSED and work_file.closed_at is not None
    with pytest.raises(Conflict):
        file_add_document(actor=clerk, work_file=work_file, document_id=_scan(units, office, 4).pk)
    with pytest.raises(ValidationFailed, match="lý do"):
        file_transition(actor=clerk, work_file=permanent, action="reopen")
    file_transition(actor=clerk, work_file=permanent, action="reopen", note="Bổ sung văn bản")
    assert files_close_year(actor=clerk, year=LAST_YEAR) == 1

    handover = files_hand_over(actor=clerk, year=LAST_YEAR)
    assert (handover.files, handover.documents) == (2, 3)
    assert set(WorkFile.objects.filter(year=LAST_YEAR).values_list("status", flat=True)) == {
        FileStatus.HANDED_OVER
    }
    assert FileItem.objects.get(document=first).sha256 == first.file_sha256
    stored = dict(StoredFile.objects.values_list("path", "sha256"))
    assert stored[handover.pdf_path] == handover.pdf_sha256
    assert stored[handover.xlsx_path] == handover.xlsx_sha256
    _h, data = handover_file(actor=clerk, handover_id=handover.pk, kind="xlsx")
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[3][:3] == ("STT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ")
    assert rows[4][1:3] == ("01.HCTP", "Hồ sơ hướng dẫn số hóa sổ hộ tịch")
    assert rows[4][5:7] == ("10 năm", 2) and rows[5][5] == "Vĩnh viễn"
    _h, pdf = handover_file(actor=clerk, handover_id=handover.pk, kind="pdf")
    assert pdf.startswith(b"%PDF")
    assert archive_fixity().ok
    with pytest.raises(ValidationFailed):  # nothing left to hand over
        files_hand_over(actor=clerk, year=LAST_YEAR)
    # handed over: nothing more changes
    with pytest.raises(Conflict):
        file_transition(actor=clerk, work_file=work_file, action="reopen", note="sửa")


def test_a_changed_document_file_stops_the_handover(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
    storage_root: Path,
) -> None:
    work_file = _file(office)
    document = _scan(units, office, 1)
    file_add_document(actor=office["clerk"], work_file=work_file, document_id=document.pk)
    files_close_year(actor=office["clerk"], year=LAST_YEAR)
    (storage_root / document.file_path).write_bytes(b"%PDF-1.4 altered")
    with pytest.raises(Conflict, match="thay đổi hoặc mất"):
        files_hand_over(actor=office["clerk"], year=LAST_YEAR)
    work_file.refresh_from_db()
    assert work_file.status == FileStatus.CLOSED and work_file.handover is None
    assert not archive_fixity().ok  # the same change, seen by `hotich archive fixity`


def test_what_may_be_filed_and_by_whom(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    clerk = office["clerk"]
    work_file = _file(office)
    draft = outgoing_factory(units["province"], organization=office["tree"].justice)
    with pytest.raises(ValidationFailed, match="chưa ký"):
        file_add_document(actor=clerk, work_file=work_file, document_id=draft.pk)
    this_year = _scan(units, office, 5, year=LAST_YEAR + 1)
    with pytest.raises(ValidationFailed, match=str(LAST_YEAR)):
        file_add_document(actor=clerk, work_file=work_file, document_id=this_year.pk)
    with pytest.raises(ValidationFailed, match="đã có"):
        _file(office)  # the same code in the same year
    with pytest.raises(ValidationFailed, match="Thời hạn bảo quản"):
        _file(office, "03.VP", retention_years=99)
    with pytest.raises(ValidationFailed, match="Người lập hồ sơ"):
        _file(office, "03.VP", responsible_id=office["outsider"].pk)
    with pytest.raises(ValidationFailed, match="chưa kết thúc"):
        files_close_year(actor=clerk, year=LAST_YEAR + 2)
    item = file_add_document(
        actor=clerk, work_file=work_file, document_id=_scan(units, office, 6).pk
    )
    file_remove_document(actor=clerk, work_file=work_file, document_id=item.document_id)
    assert not work_file.items.exists()
    history = [e.action for e in file_detail(actor=clerk, file_id=work_file.pk).events]
    assert history == ["create", "add", "remove"]


def test_another_agency_does_not_see_the_file(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
    make_user: Any,
) -> None:
    work_file = _file(office)
    outsider = office["outsider"]
    with pytest.raises(NotFound):
        file_get(actor=outsider, file_id=work_file.pk)
    with pytest.raises(NotFound):
        file_add_document(
            actor=outsider, work_file=work_file, document_id=_scan(units, office, 1).pk
        )
    assert files_of_year(actor=outsider, year=LAST_YEAR) == []
    assert files_close_year(actor=outsider, year=LAST_YEAR) == 0
    # a document of another agency cannot be put into this agency's file
    theirs = _scan(units, office, 2, organization=units and office["tree"].province)
    with pytest.raises(NotFound):
        file_add_document(actor=office["clerk"], work_file=work_file, document_id=theirs.pk)
    # an auditor reads but does not file
    auditor = make_user(Role.AUDITOR, units["province"])
    with pytest.raises(PermissionDenied):
        file_create(
            actor=auditor,
            year=LAST_YEAR,
            code="09",
            title="x",
            retention_years=None,
            responsible_id=office["clerk"].pk,
        )
    client = verified_client(outsider)
    assert client.get(f"/ho-so-cong-viec/{work_file.pk}/").status_code == 404
    assert (
        client.post(f"/ho-so-cong-viec/{work_file.pk}/thao-tac/", {"action": "close"}).status_code
        == 404
    )


def test_the_pages_take_a_file_from_list_to_handover(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    document = _scan(units, office, 1)
    clerk = verified_client(office["clerk"])
    page = clerk.get(f"/ho-so-cong-viec/?nam={LAST_YEAR}").content.decode()
    assert "Sở Tư pháp tỉnh Nghệ An" in page and "Chưa có hồ sơ" in page
    response = clerk.post(
        "/ho-so-cong-viec/lap/",
        {
            "year": LAST_YEAR,
            "code": "01.HCTP",
            "title": "Hồ sơ tập huấn chữ ký số",
            "retention_years": "5",
            "responsible": office["handler"].pk,
        },
    )
    work_file = WorkFile.objects.get(code="01.HCTP")
    assert response.url == f"/ho-so-cong-viec/{work_file.pk}/"
    page = clerk.get(response.url).content.decode()
    assert "Hướng dẫn số hóa sổ hộ tịch" in page  # offered to put in
    clerk.post(f"/ho-so-cong-viec/{work_file.pk}/van-ban/", {"document": document.pk})
    assert work_file.items.get().document == document
    clerk.post("/ho-so-cong-viec/ket-thuc-nam/", {"year": LAST_YEAR})
    work_file.refresh_from_db()
    assert work_file.status == FileStatus.CLOSED
    clerk.post("/ho-so-cong-viec/nop-luu/", {"year": LAST_YEAR})
    work_file.refresh_from_db()
    assert work_file.status == FileStatus.HANDED_OVER
    page = clerk.get(f"/ho-so-cong-viec/?nam={LAST_YEAR}").content.decode()
    assert "Đã nộp lưu" in page and "Mục lục hồ sơ nộp lưu" in page
    assert work_file.handover is not None
    xlsx = clerk.get(f"/ho-so-cong-viec/nop-luu/{work_file.handover.pk}/muc-luc.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = clerk.get(f"/ho-so-cong-viec/nop-luu/{work_file.handover.pk}/muc-luc.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    # a form error stays on the form, in Vietnamese
    again = clerk.post(
        "/ho-so-cong-viec/lap/",
        {"year": LAST_YEAR, "code": "01.HCTP", "title": "x", "responsible": office["handler"].pk},
    )
    assert "đã có trong danh mục" in again.content.decode()


def test_the_sidebar_offers_work_files_only_to_people_in_an_agency(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
    make_user: Any,
) -> None:
    files = reverse("office:files")

    def links(user: Any) -> set[str]:
        return {e.href for g in sections_for(user) for e in g.entries}

    assert files in links(office["clerk"]) and files in links(office["leader"])
    assert verified_client(office["clerk"]).get(files).status_code == 200
    for role in (Role.OFFICER, Role.SIGNER, Role.AUDITOR):
        assert files not in links(make_user(role, units["a"]))
    assert files not in links(make_user(Role.PROVINCE, units["province"]))


def test_the_command_closes_and_hands_over_a_year(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    work_file = _file(office)
    file_add_document(
        actor=office["clerk"], work_file=work_file, document_id=_scan(units, office, 1).pk
    )
    out = io.StringIO()
    call_command("documents", "files", "close-year", "--year", str(LAST_YEAR), "--org",
                 "000.00.17.H41", stdout=out)  # fmt: skip
    assert f"Đã kết thúc 1 hồ sơ năm {LAST_YEAR}" in out.getvalue()
    call_command("documents", "files", "hand-over", "--year", str(LAST_YEAR), "--org",
                 "000.00.17.H41", stdout=out)  # fmt: skip
    assert "Đã nộp lưu 1 hồ sơ, 1 văn bản" in out.getvalue()
    with pytest.raises(CommandError, match=r"Không có cơ quan mã 000\.99\.99\.H41"):
        call_command("documents", "files", "close-year", "--year", "2020", "--org", "000.99.99.H41")
    with pytest.raises(CommandError, match="không có hồ sơ đã kết thúc"):
        call_command("documents", "files", "hand-over", "--year", str(LAST_YEAR), "--org",
                     "000.00.17.H41")  # fmt: skip
    assert Document.objects.filter(status=Status.RECEIVED).count() == 1


def test_a_document_is_put_into_an_open_file_from_its_page(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    document = _scan(units, office, 1)
    work_file = _file(office)
    closed = _file(office, "02.VP", title="Hồ sơ quy chế làm việc")
    file_transition(actor=office["clerk"], work_file=closed, action="close")
    _file(office, "01.HCTP", year=LAST_YEAR - 1)  # another year's file is not offered
    clerk = verified_client(office["clerk"])
    page = clerk.get(f"/van-ban/{document.pk}/").content.decode()
    assert f'<option value="{work_file.pk}">01.HCTP — Hồ sơ hướng dẫn' in page
    offered = page.split('name="work_file"')[1].split("</select>")[0]
    assert offered.count("<option") == 1  # neither the closed file nor last year's
    answer = clerk.post(f"/van-ban/{document.pk}/ho-so/", {"work_file": work_file.pk})
    assert answer.status_code == 302
    assert FileItem.objects.get(document=document).work_file == work_file
    page = clerk.get(f"/van-ban/{document.pk}/").content.decode()
    assert "Văn bản nằm trong hồ sơ" in page and "Đưa vào hồ sơ" not in page
    # a second time: the reason, nothing changes
    answer = clerk.post(f"/van-ban/{document.pk}/ho-so/", {"work_file": closed.pk}, follow=True)
    assert "Hồ sơ đã kết thúc" in answer.content.decode()
    assert FileItem.objects.filter(document=document).count() == 1
    # another agency's user: neither the file nor the document exist
    outsider = verified_client(office["outsider"])
    other = _scan(units, office, 2)
    assert (
        outsider.post(f"/van-ban/{other.pk}/ho-so/", {"work_file": work_file.pk}).status_code == 404
    )
    assert not FileItem.objects.filter(document=other).exists()
