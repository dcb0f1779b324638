from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.registry.services import amendment_add
from hotich.signing.services import document_revoke


def _page(response: Any) -> str:
    """The page without its per-request tokens."""
    return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())


def issue(record: Any) -> Any:
    from hotich.registry.extracts.services import extract_issue

    return extract_issue(actor=None, record=record, copy=True)


@pytest.fixture
def birth(db: Any) -> Any:
    from hotich.registry.tests.factories import BirthFactory

    return BirthFactory()


def test_verify_page_shows_a_current_paper_without_personal_data(client: Any, birth: Any) -> None:
    issued = issue(birth)
    response = client.get(f"/verify/{issued.verify_code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="valid"' in page and issued.number in page
    child = birth.parties.get(role="child").as_written["full_name"]
    assert child not in page


def test_unknown_codes_reveal_nothing(client: Any, birth: Any) -> None:
    issue(birth)
    a = client.get("/verify/AAAAAAAAAAAAAAAAAAAAAA")
    b = client.get("/verify/x")
    assert a.status_code == b.status_code == 404
    assert _page(a) == _page(b) and "Không tìm thấy" in _page(a)


def test_revoked_record_paper_is_no_longer_valid(client: Any, birth: Any) -> None:
    from hotich.registry.models import Record
    from hotich.registry.vocabulary import Status

    issued = issue(birth)
    Record.objects.filter(pk=birth.pk).update(status=Status.REVOKED)
    page = client.get(f"/verify/{issued.verify_code}").content.decode()
    assert 'data-state="superseded"' in page and "không còn giá trị" in page


def test_corrected_record_paper_is_superseded(client: Any, birth: Any, make_user: Any) -> None:
    from hotich.accounts.models import Role

    issued = issue(birth)
    amendment_add(
        actor=make_user(Role.OFFICER, birth.unit),
        record=birth,
        changes={"child.full_name": "Lê Thị Hằng"},
        legal_basis="Cải chính theo tờ khai ngày 1/2/2025",
    )
    page = client.get(f"/verify/{issued.verify_code}").content.decode()
    assert 'data-state="superseded"' in page and "cải chính" in page


def test_withdrawn_document_and_file_check(client: Any, birth: Any) -> None:
    issued = issue(birth)
    ok = client.post(
        f"/verify/{issued.verify_code}",
        {"file": SimpleUploadedFile("a.pdf", issued.pdf, "application/pdf")},
    ).content.decode()
    assert 'data-check="ok"' in ok
    tampered = bytearray(issued.pdf)
    tampered[issued.pdf.index(b"stream") + 20] ^= 1
    bad = client.post(
        f"/verify/{issued.verify_code}",
        {"file": SimpleUploadedFile("a.pdf", bytes(tampered), "application/pdf")},
    ).content.decode()
    assert 'data-check="fail"' in bad
    not_pdf = client.post(
        f"/verify/{issued.verify_code}", {"file": SimpleUploadedFile("a.pdf", b"hello")}
    ).content.decode()
    assert 'data-check="fail"' in not_pdf and "PDF" in not_pdf

    document_revoke(actor=None, verify_code=issued.verify_code, reason="Cấp nhầm")
    page = client.get(f"/verify/{issued.verify_code}").content.decode()
    assert 'data-state="revoked"' in page and "Cấp nhầm" in page
