from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hotich.audit.models import Entry
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.core.workdays import add_working_days
from hotich.documents.models import Document
from hotich.documents.services import (
    document_create,
    document_deliver,
    document_transition,
    format_number,
    incoming_register,
)
from hotich.documents.vocabulary import Direction, DocType, Status
from hotich.signing.verify import pdf_verify

pytestmark = pytest.mark.django_db


def draft(people: dict[str, Any], units: dict[str, Any], **extra: Any) -> Document:
    values: dict[str, Any] = {
        "doc_type": DocType.REPORT,
        "title": "Kết quả đăng ký hộ tịch quý IV năm 2026",
        "body": "Trong quý đã đăng ký 42 trường hợp khai sinh.\n\nĐề nghị Sở xem xét.",
        "recipient_unit_id": units["province"].pk,
    }
    values.update(extra)
    return document_create(actor=people["officer"], **values)


def signed(people: dict[str, Any], units: dict[str, Any], **extra: Any) -> Document:
    document = draft(people, units, **extra)
    document_transition(actor=people["officer"], document=document, action="submit")
    document_transition(actor=people["signer"], document=document, action="approve")
    return document_transition(actor=people["signer"], document=document, action="sign")


def test_numbers_follow_decree_30() -> None:
    assert format_number(12, DocType.DECISION, "TP") == "12/QĐ-UBND"
    assert format_number(123, DocType.OFFICIAL_LETTER, "TP") == "123/UBND-TP"
    assert format_number(3, DocType.SUBMISSION, "TP") == "3/TTr-UBND"


def test_draft_refuses_bad_input_and_leaves_nothing(people, units) -> None:
    with pytest.raises(ValidationFailed) as err:
        draft(people, units, title="  ")
    assert err.value.field == "title"
    with pytest.raises(ValidationFailed):
        draft(people, units, doc_type="XYZ")
    with pytest.raises(ValidationFailed):
        draft(people, units, recipient_unit_id=None)
    with pytest.raises(ValidationFailed):
        draft(people, units, recipient_unit_id=units["a"].pk)  # itself
    with pytest.raises(PermissionDenied):
        document_create(
            actor=people["province"].__class__(role="auditor", unit=units["a"]),
            doc_type="BC",
            title="x",
            body="y",
        )
    assert Document.objects.count() == 0


def test_outgoing_life_cycle_signs_numbers_and_delivers(people, units) -> None:
    document = signed(people, units)
    assert document.status == Status.SIGNED
    year = dt.date.today().year
    assert document.number == "1/BC-UBND" and document.year == year
    report = pdf_verify(document.signed.pdf if hasattr(document.signed, "pdf") else _read(document))
    assert report.ok and len(report.signatures) == 2
    assert report.verify_code == document.signed.verify_code
    second = signed(people, units)
    assert second.number == "2/BC-UBND"
    letter = signed(people, units, doc_type=DocType.OFFICIAL_LETTER)
    assert letter.number == "1/UBND-TP"

    document_transition(actor=people["officer"], document=document, action="issue")
    document.refresh_from_db()
    assert document.status == Status.ISSUED and document.issued_at is not None
    incoming = Document.objects.get(source_document=document)
    assert incoming.direction == Direction.INCOMING and incoming.unit == units["province"]
    assert incoming.status == Status.RECEIVED and incoming.signature_valid is True
    assert incoming.sender_number == "1/BC-UBND" and incoming.number == "1"
    assert len(incoming.signature_report["signers"]) == 2
    actions = list(document.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "sign", "issue"]
    assert Entry.objects.filter(object_type="documents.document", action="transition").count() >= 4


def _read(document: Document) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(document.file_path, "rb") as handle:
        return handle.read()


def test_tampered_delivery_is_rejected_with_the_reason(people, units) -> None:
    document = signed(people, units)
    data = bytearray(_read(document))
    at = data.find(b"/Contents", len(data) // 3)
    data[at - 40] ^= 0x01  # one byte inside the signed range
    incoming = document_deliver(actor=people["signer"], source=document, pdf=bytes(data))
    assert incoming.status == Status.REJECTED and incoming.signature_valid is False
    assert incoming.rejection_reason
    assert str(Status.REJECTED.label) == "Từ chối: chữ ký không hợp lệ"


def test_a_pdf_without_signature_is_rejected_on_delivery(people, units) -> None:
    from weasyprint import HTML

    document = signed(people, units)
    plain = HTML(string="<p>Giả mạo</p>").write_pdf()
    incoming = document_deliver(actor=None, source=document, pdf=plain)
    assert incoming.status == Status.REJECTED
    assert "chữ ký" in incoming.rejection_reason


def test_transitions_follow_the_table_and_the_roles(people, units) -> None:
    document = draft(people, units)
    with pytest.raises(Conflict):
        document_transition(actor=people["signer"], document=document, action="sign")
    with pytest.raises(PermissionDenied):
        document_transition(actor=people["officer"], document=document, action="approve")
    document_transition(actor=people["officer"], document=document, action="submit")
    with pytest.raises(ValidationFailed):
        document_transition(actor=people["signer"], document=document, action="return")
    document_transition(
        actor=people["signer"], document=document, action="return", note="Sửa số liệu"
    )
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT
    with pytest.raises(NotFound):  # another unit's document does not exist for them
        document_transition(actor=people["officer_b"], document=document, action="submit")
    with pytest.raises(ValidationFailed):
        document_transition(actor=people["officer"], document=document, action="fly")


def test_incoming_paper_document_assign_process_close(people, units) -> None:
    from weasyprint import HTML

    scan = HTML(string="<p>Công văn của Sở Tư pháp</p>").write_pdf()
    officer = people["officer"]
    incoming = incoming_register(
        actor=officer,
        doc_type=DocType.OFFICIAL_LETTER,
        title="Hướng dẫn số hóa sổ hộ tịch",
        sender_name="Sở Tư pháp tỉnh Nghệ An",
        sender_number="45/STP-HCTP",
        dated=dt.date.today(),
        file_name="cong-van.pdf",
        data=scan,
    )
    assert incoming.status == Status.RECEIVED and incoming.signature_valid is None
    with pytest.raises(ValidationFailed):
        document_transition(actor=officer, document=incoming, action="assign", handler_id=None)
    with pytest.raises(ValidationFailed):
        document_transition(
            actor=officer, document=incoming, action="assign", handler_id=officer.pk, days=0
        )
    document_transition(
        actor=people["signer"], document=incoming, action="assign", handler_id=officer.pk, days=5
    )
    incoming.refresh_from_db()
    assert incoming.status == Status.ASSIGNED and incoming.handler == officer
    assert incoming.deadline == add_working_days(dt.date.today(), 5)
    assert not incoming.is_overdue(dt.date.today())
    assert incoming.is_overdue(incoming.deadline + dt.timedelta(days=1))
    document_transition(actor=officer, document=incoming, action="process")
    document_transition(actor=officer, document=incoming, action="close")
    assert Document.objects.get(pk=incoming.pk).status == Status.CLOSED


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.pdf", b"", "rỗng"),
        ("a.pdf", b"PK\x03\x04 zip", "không phải tệp PDF"),
        ("a.pdf", b"%PDF-1.7\n garbage", "hỏng"),
        ("a.docx", b"%PDF-1.7\n", "phần mở rộng"),
    ],
)
def test_incoming_upload_refuses_what_is_not_a_pdf(people, name, data, reason) -> None:
    with pytest.raises(ValidationFailed) as err:
        incoming_register(
            actor=people["officer"],
            doc_type="CV",
            title="Công văn",
            sender_name="Sở Tư pháp",
            sender_number="1/STP",
            dated=None,
            file_name=name,
            data=data,
        )
    assert reason in str(err.value)
    assert Document.objects.count() == 0


def test_working_days_skip_weekends_and_tet() -> None:
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # Fri → Mon
    # Tết 2026: 17 February (lunar new year) falls in the holiday week
    assert add_working_days(dt.date(2026, 2, 13), 1) > dt.date(2026, 2, 17)


def test_errors_speak_english_too(people, units) -> None:
    with pytest.raises(ValidationFailed) as err:
        draft(people, units, title="")
    assert err.value.in_language("vi") == "Trích yếu: chưa nhập (bắt buộc)."
    assert err.value.in_language("en") == "Subject: missing (required)."


def test_an_uploaded_signed_pdf_is_verified(people, units, make_user) -> None:
    from hotich.accounts.vocabulary import Role

    document = signed(people, units)
    data = _read(document)
    clerk_b = make_user(Role.OFFICER, units["b"])
    common = {
        "actor": clerk_b,
        "doc_type": DocType.REPORT,
        "title": "Báo cáo nhận qua thư điện tử",
        "sender_name": "UBND phường Thành Vinh",
        "sender_number": document.number,
        "dated": None,
        "file_name": "bao-cao.pdf",
    }
    good = incoming_register(**common, data=data)
    assert good.status == Status.RECEIVED and good.signature_valid is True
    tampered = data.replace(b"Trong qu", b"Trong qU", 1)
    if tampered == data:  # text is compressed: flip a byte in the middle instead
        middle = len(data) // 2
        tampered = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    bad = incoming_register(**common, data=tampered)
    assert bad.status == Status.REJECTED and bad.rejection_reason
    assert bad.number == "2"  # arrival numbers count on in the unit's register


def test_withdrawing_a_document_revokes_it_on_the_verify_page(people, units, client) -> None:
    from hotich.signing.selectors import State, document_status

    document = signed(people, units)
    document_transition(actor=people["signer"], document=document, action="issue")
    with pytest.raises(ValidationFailed):
        document_transition(actor=people["signer"], document=document, action="withdraw")
    with pytest.raises(PermissionDenied):
        document_transition(
            actor=people["officer"], document=document, action="withdraw", note="Sai số liệu"
        )
    document_transition(
        actor=people["signer"],
        document=document,
        action="withdraw",
        note="Quyết định thu hồi số 3/QĐ-UBND",
    )
    document.refresh_from_db()
    assert document.status == Status.WITHDRAWN
    assert document_status(document.signed).state == State.REVOKED
    page = client.get(f"/verify/{document.signed.verify_code}")
    assert page.status_code == 200
