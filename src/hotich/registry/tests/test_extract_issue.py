"""Issuing extracts from registered records: numbering, storage, the IssuedExtract row, audit,
and the ``hotich extract issue`` command.

Runs once ``hotich.registry.models`` imports ``IssuedExtract`` (and the registry migrations
create its table); skipped until then.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from hotich.registry import models as registry_models

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not hasattr(registry_models, "IssuedExtract"),
        reason="hotich.registry.models does not import IssuedExtract yet",
    ),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    settings.HOTICH_PUBLIC_URL = "https://hotich.example.vn"


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def test_issue_numbers_stores_records_and_audits(tmp_path: Path) -> None:
    from hotich.audit.models import Entry
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory
    from hotich.signing.verify import pdf_verify

    record = BirthFactory()
    first = extract_issue(actor=None, record=record, copy=False)
    second = extract_issue(actor=None, record=record, copy=True, requested_by="Người yêu cầu")

    assert first.number == "1/GKS" and first.kind == "birth_certificate" and not first.is_copy
    assert second.number == "2/TLKS-BS" and second.kind == "extract" and second.is_copy
    assert len(first.verify_code) >= 16 and first.verify_code != second.verify_code
    assert first.file_path.startswith(f"signed/{first.year}/")
    with default_storage.open(first.file_path, "rb") as fh:
        stored = fh.read()
    assert stored == first.pdf
    assert hashlib.sha256(stored).hexdigest() == first.sha256
    report = pdf_verify(stored)
    assert report.ok and report.verify_code == first.verify_code
    assert [s.field for s in report.signatures] == ["ChuKyCoQuan1"]  # the system: seal only

    text = _text(second.pdf, tmp_path)
    child = record.parties.get(role="child").as_written["full_name"]
    assert child.upper() in text
    assert "TRÍCH LỤC KHAI SINH" in text and "BẢN SAO" in text
    assert f"https://hotich.example.vn/verify/{second.verify_code}" in text

    entry = Entry.objects.filter(action="export", object_id=str(record.pk)).order_by("-seq")[0]
    assert entry.object_type == "registry.record"
    assert entry.detail["number"] == "2/TLKS-BS" and entry.detail["copy"] is True
    assert child not in str(entry.detail)


def test_issue_refuses_a_draft() -> None:
    from hotich.core.errors import Conflict
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory

    record = BirthFactory(register=False)
    with pytest.raises(Conflict):
        extract_issue(actor=None, record=record, copy=True)


def test_issue_refuses_a_user_without_the_permission() -> None:
    from hotich.accounts.vocabulary import Role
    from hotich.core.errors import PermissionDenied
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory, UserFactory

    record = BirthFactory()
    clerk = UserFactory(role=Role.CLERK, unit=record.unit)
    with pytest.raises(PermissionDenied):
        extract_issue(actor=clerk, record=record, copy=True)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_command_writes_the_pdf(tmp_path: Path) -> None:
    from hotich.registry.tests.factories import DeathFactory

    record = DeathFactory()
    out = tmp_path / "trich-luc.pdf"
    stdout = io.StringIO()
    call_command("extract", "issue", str(record.pk), "--out", str(out), "--copy", stdout=stdout)
    text = _text(out.read_bytes(), tmp_path)
    assert "TRÍCH LỤC KHAI TỬ" in text and "/TLKT-BS" in text
    assert "/TLKT-BS" in stdout.getvalue()


def test_command_refuses_an_unknown_record(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        call_command("extract", "issue", "999999", "--out", str(tmp_path / "x.pdf"))
    assert info.value.code == 1


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def holds_position(user: Any, position: str) -> None:
    """``user`` holds ``position`` in the People's Committee of their unit (agencies)."""
    from hotich.agencies.services import membership_add, organization_create

    committee = organization_create(
        actor=None, code="000.00.99.H40", name="UBND thử nghiệm", kind="ubnd", unit=user.unit
    )
    membership_add(actor=None, user=user, organization=committee, position=position)


def test_the_paper_prints_the_position_and_name_of_who_signs_it(tmp_path: Path) -> None:
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory, UserFactory

    record = BirthFactory(signer_name="")
    signer = UserFactory(role="signer", unit=record.unit, full_name="Vi Văn Sơn")
    holds_position(signer, "pho_chu_tich")
    text = _text(extract_issue(actor=signer, record=record, copy=True).pdf, tmp_path)
    assert "NGƯỜI KÝ TRÍCH LỤC PHÓ CHỦ TỊCH" in text and "Vi Văn Sơn" in text
