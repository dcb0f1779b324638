"""Papers issued from the register: the public verify page follows the record (a margin note or
a cancelling decision makes the paper no longer valid), and ``hotich pdf verify`` checks them."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

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
    from hotich.accounts.vocabulary import Role

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


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stderr(err):
        try:
            call_command("pdf", "verify", *args, stdout=out)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_cli_verify_exit_codes(tmp_path: Path, units: Any) -> None:
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory
    from hotich.signing import pki
    from hotich.signing.keys import pki_dir

    issued = extract_issue(actor=None, record=BirthFactory(unit=units["a"]), copy=True)
    good = tmp_path / "good.pdf"
    good.write_bytes(issued.pdf)
    root = str(pki_dir() / "root-ca.pem")
    code, out, _err = _run(str(good), "--trust", root)
    assert code == 0
    data = json.loads(out)
    assert data["valid"] and data["verify_code"] == issued.verify_code
    assert data["signatures"][-1]["covers_whole_file"]
    assert data["document"]["current"] and data["document"]["issued_file"]

    bad = tmp_path / "bad.pdf"
    changed = bytearray(issued.pdf)
    changed[issued.pdf.index(b"stream") + 20] ^= 1
    bad.write_bytes(bytes(changed))
    code, out, _err = _run(str(bad), "--trust", root)
    assert code == 1 and not json.loads(out)["valid"]

    other = tmp_path / "other-root.pem"
    other.write_bytes(pki.root_create("Another root").cert_pem)
    code, out, _err = _run(str(good), "--trust", str(other))
    assert code == 1 and not json.loads(out)["signatures"][0]["trusted"]

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"hello")
    code, out, err = _run(str(junk))
    assert code == 1 and "PDF" in err and out == ""
