from __future__ import annotations

import base64
import datetime as dt

import pytest

from hotich.core.errors import ValidationFailed
from hotich.documents.models import Document
from hotich.documents.selectors import (
    RegisterFilter,
    current_quarter,
    document_register,
    documents_signed_per_quarter,
)
from hotich.documents.services import document_create, document_transition
from hotich.documents.vocabulary import DocType, Status

pytestmark = pytest.mark.django_db


def test_api_drafts_signs_issues_and_reads(people, units, staff_client) -> None:
    officer = staff_client(people["officer"])
    created = officer.post(
        "/api/v1/documents",
        {
            "doc_type": "CV",
            "title": "Đề nghị hướng dẫn nghiệp vụ hộ tịch",
            "body": "Kính gửi Sở Tư pháp.",
            "recipient_unit": units["province"].pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    doc_id = created.json()["id"]
    assert created.json()["actions"] == ["submit"]
    bad = officer.post(
        f"/api/v1/documents/{doc_id}/actions",
        {"action": "approve"},
        content_type="application/json",
    )
    assert bad.status_code == 403 and bad.json()["message_en"]
    officer.post(
        f"/api/v1/documents/{doc_id}/actions", {"action": "submit"}, content_type="application/json"
    )
    signer = staff_client(people["signer"])
    for action in ("approve", "sign", "issue"):
        response = signer.post(
            f"/api/v1/documents/{doc_id}/actions",
            {"action": action},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "issued" and body["number"] == "1/UBND-TP"
    assert body["verify_code"] and len(body["signers"]) == 2
    assert signer.get(f"/api/v1/documents/{doc_id}/file").content.startswith(b"%PDF-")
    province = staff_client(people["province"])
    incoming = province.get("/api/v1/documents?direction=in").json()
    assert incoming[0]["signature_valid"] is True and incoming[0]["sender_number"] == "1/UBND-TP"
    stats = province.get(f"/api/v1/documents/stats?year={dt.date.today().year}&quarter=4")
    assert stats.status_code == 200
    wrong = officer.post(
        f"/api/v1/documents/{doc_id}/actions", {"action": 5}, content_type="application/json"
    )
    assert wrong.status_code in {400, 409}


def test_api_incoming_upload_refuses_a_non_pdf(people, staff_client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = staff_client(people["officer"])
    response = client.post(
        "/api/v1/documents/incoming",
        {
            "doc_type": "CV",
            "title": "Công văn",
            "sender_name": "Sở Tư pháp",
            "sender_number": "1/STP",
            "file": SimpleUploadedFile("cv.pdf", b"GIF89a"),
        },
    )
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert Document.objects.count() == 0


def test_signed_per_quarter_compares_digital_with_all_outgoing(people, units) -> None:
    from weasyprint import HTML

    def approved(title: str, doc_type: str = DocType.DECISION) -> Document:
        document = document_create(
            actor=people["officer"],
            doc_type=doc_type,
            title=title,
            body="Nội dung.",
            recipient_name="Các thôn, khối",
        )
        document_transition(actor=people["officer"], document=document, action="submit")
        return document_transition(actor=people["signer"], document=document, action="approve")

    document_transition(actor=people["signer"], document=approved("Một"), action="sign")
    document_transition(
        actor=people["signer"], document=approved("Hai", DocType.NOTICE), action="sign"
    )
    paper = approved("Ba")
    scan = HTML(string="<p>Quyết định ký tay</p>").write_pdf()
    document_transition(
        actor=people["officer"],
        document=paper,
        action="sign_paper",
        file_name="qd.pdf",
        data=scan,
    )
    paper.refresh_from_db()
    assert paper.status == Status.SIGNED and paper.number == "2/QĐ-UBND"
    assert not paper.signed_digitally
    approved("Bốn (chưa ký)")
    [row] = documents_signed_per_quarter(*current_quarter())
    assert row.unit_id == units["a"].pk
    assert (row.outgoing, row.signed_digitally, row.signers) == (3, 2, 1)
    assert row.by_type == {"QĐ": 1, "TB": 1}
    assert abs(row.share - 2 / 3) < 1e-9
    assert documents_signed_per_quarter(*current_quarter(), unit_path=units["b"].path) == []
    year, quarter = current_quarter()
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    assert documents_signed_per_quarter(*previous) == []


def test_api_action_base64_is_checked(people, units, staff_client) -> None:
    from hotich.documents.tests.factories import outgoing_factory

    document = outgoing_factory(units["a"], status=Status.APPROVED)
    response = staff_client(people["officer"]).post(
        f"/api/v1/documents/{document.pk}/actions",
        {"action": "sign_paper", "file_name": "a.pdf", "file_base64": "%%%"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "file_base64"
    ok = base64.b64encode(b"not a pdf").decode()
    response = staff_client(people["officer"]).post(
        f"/api/v1/documents/{document.pk}/actions",
        {"action": "sign_paper", "file_name": "a.pdf", "file_base64": ok},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert Document.objects.get(pk=document.pk).status == Status.APPROVED


@pytest.mark.parametrize("year", [99999, -17263, 0])
def test_register_and_statistics_refuse_years_no_calendar_holds(people, year) -> None:
    with pytest.raises(ValidationFailed) as refused:
        document_register(actor=people["officer"], filters=RegisterFilter(year=year))
    assert refused.value.field == "year"
    with pytest.raises(ValidationFailed, match="Năm: từ 2000 đến 2100"):
        documents_signed_per_quarter(year, 1)
    with pytest.raises(ValidationFailed, match="Quý"):
        documents_signed_per_quarter(2025, 5)
