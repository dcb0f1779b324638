from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotich.documents.models import Document
from hotich.documents.tests.factories import incoming_factory, outgoing_factory
from hotich.documents.vocabulary import Status

pytestmark = pytest.mark.django_db


def test_officer_drafts_and_the_signer_signs_through_the_pages(people, units, staff_client) -> None:
    officer = staff_client(people["officer"])
    assert officer.get("/van-ban/soan-thao/").status_code == 200
    response = officer.post(
        "/van-ban/soan-thao/",
        {
            "doc_type": "TTr",
            "title": "Đề nghị cấp kinh phí số hóa sổ hộ tịch",
            "body": "Ủy ban nhân dân phường kính trình Sở Tư pháp xem xét.",
            "recipient_unit": units["province"].pk,
            "section_abbrev": "TP",
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/van-ban/{document.pk}/"
    page = officer.get(f"/van-ban/{document.pk}/").content.decode()
    assert "Trình duyệt" in page and "Dự thảo" in page
    officer.post(f"/van-ban/{document.pk}/thao-tac/", {"action": "submit"})
    signer = staff_client(people["signer"])
    signer.post(f"/van-ban/{document.pk}/thao-tac/", {"action": "approve"})
    signer.post(f"/van-ban/{document.pk}/thao-tac/", {"action": "sign"})
    document.refresh_from_db()
    assert document.status == Status.SIGNED and document.number == "1/TTr-UBND"
    pdf = signer.get(f"/van-ban/{document.pk}/tep/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    signer.post(f"/van-ban/{document.pk}/thao-tac/", {"action": "issue"})
    incoming = Document.objects.get(source_document=document)
    province = staff_client(people["province"])
    listing = province.get("/van-ban/?so=den").content.decode()
    assert "1/TTr-UBND" in listing and "chữ ký hợp lệ" in listing
    page = province.get(f"/van-ban/{incoming.pk}/").content.decode()
    assert "Chữ ký hợp lệ" in page and "Giao xử lý" in page


def test_wrong_action_shows_a_message_and_changes_nothing(people, units, staff_client) -> None:
    document = outgoing_factory(units["a"])
    client = staff_client(people["officer"])
    response = client.post(f"/van-ban/{document.pk}/thao-tac/", {"action": "sign"}, follow=True)
    assert "Bạn không có quyền" in response.content.decode()
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT


def test_upload_of_an_incoming_paper_document(people, units, staff_client) -> None:
    from weasyprint import HTML

    client = staff_client(people["officer"])
    form = {
        "doc_type": "CV",
        "sender_name": "Sở Tư pháp tỉnh Nghệ An",
        "sender_number": "45/STP-HCTP",
        "dated": dt.date.today().strftime("%d/%m/%Y"),  # as people write it
        "title": "Hướng dẫn số hóa sổ hộ tịch",
    }
    bad = client.post(
        "/van-ban/van-ban-den/moi/",
        {**form, "file": SimpleUploadedFile("cv.pdf", b"not a pdf at all")},
    )
    assert bad.status_code == 200 and "không phải tệp PDF" in bad.content.decode()
    assert Document.objects.count() == 0
    scan = HTML(string="<p>Công văn</p>").write_pdf()
    good = client.post(
        "/van-ban/van-ban-den/moi/", {**form, "file": SimpleUploadedFile("cv.pdf", scan)}
    )
    assert good.status_code == 302
    document = Document.objects.get()
    assert document.number == "1" and document.status == Status.RECEIVED
    assert document.dated == dt.date.today()
    page = client.get(f"/van-ban/{document.pk}/").content.decode()
    assert "Văn bản giấy" in page and dt.date.today().strftime("%d/%m/%Y") in page
    assert dt.date.today().isoformat() not in page


def test_register_lists_filters_and_flags_overdue(people, units, staff_client) -> None:
    late = incoming_factory(
        units["a"], status=Status.ASSIGNED, deadline=dt.date.today() - dt.timedelta(days=2)
    )
    incoming_factory(units["a"], title="Thông báo lịch tiếp dân", sequence=2, number="2")
    incoming_factory(units["b"], title="Văn bản của xã khác")
    client = staff_client(people["officer"])
    page = client.get("/van-ban/?so=den").content.decode()
    assert "Quá hạn" in page and "Thông báo lịch tiếp dân" in page
    assert "xã khác" not in page
    only_late = client.get("/van-ban/?so=den&overdue=on").content.decode()
    assert late.title in only_late and "Thông báo lịch tiếp dân" not in only_late
    found = client.get("/van-ban/?so=den&q=lich+tiep+dan").content.decode()
    assert "Thông báo lịch tiếp dân" in found and late.title not in found
    for n in range(5):
        outgoing_factory(units["a"], title=f"Báo cáo {n}")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/van-ban/").status_code == 200
    assert len(queries) < 15


def test_stats_page(people, units, staff_client) -> None:
    assert staff_client(people["province"]).get("/van-ban/thong-ke/").status_code == 200


def test_a_returned_draft_is_edited_and_resubmitted(people, units, staff_client) -> None:
    document = outgoing_factory(units["a"], created_by=people["officer"])
    client = staff_client(people["officer"])
    assert "Sửa dự thảo" in client.get(f"/van-ban/{document.pk}/").content.decode()
    form = {
        "doc_type": "KH",
        "title": "Kế hoạch số hóa sổ hộ tịch năm 2027",
        "body": "Mục đích, yêu cầu.",
        "recipient_name": "Các thôn, khối",
        "section_abbrev": "tp",
    }
    assert client.post(f"/van-ban/{document.pk}/sua/", form).status_code == 302
    document.refresh_from_db()
    assert document.doc_type == "KH" and document.section_abbrev == "TP"
    bad = client.post(f"/van-ban/{document.pk}/sua/", {**form, "section_abbrev": "T P!"})
    assert "Viết tắt đơn vị soạn thảo" in bad.content.decode()
    document.status = Status.SUBMITTED
    document.save()
    refused = client.post(f"/van-ban/{document.pk}/sua/", form, follow=True)
    assert "Chỉ sửa được văn bản ở trạng thái dự thảo" in refused.content.decode()
