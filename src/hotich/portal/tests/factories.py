"""Small builders for the portal's tests (and the scope matrix)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone

from hotich.portal.models import Citizen, Dossier, DossierFile, Procedure, Status
from hotich.portal.services.dossiers import new_dossier_code

BIRTH = "1.001193"


def procedure(code: str = BIRTH) -> Procedure:
    found = Procedure.objects.filter(code=code).first()
    if found is None:
        from hotich.portal.services import catalogue_load_builtin

        catalogue_load_builtin()
        found = Procedure.objects.get(code=code)
    return found


def citizen_factory(contact: str = "0912345678") -> Citizen:
    citizen, _ = Citizen.objects.get_or_create(contact=contact, defaults={"contact_kind": "phone"})
    return citizen


def dossier_factory(*, unit: Any, status: str = Status.SUBMITTED, **extra: Any) -> Dossier:
    values: dict[str, Any] = {
        "code": new_dossier_code(),
        "procedure": procedure(),
        "unit": unit,
        "channel": "online",
        "status": status,
        "applicant_name": "Nguyễn Văn An",
        "applicant_contact": "0912345678",
        "form_data": {},
        "submitted_at": timezone.now(),
        "citizen": citizen_factory(),
    }
    values.update(extra)
    return Dossier.objects.create(**values)


def file_factory(dossier: Dossier) -> DossierFile:
    return DossierFile.objects.create(
        dossier=dossier,
        doc_key="chung_sinh",
        name="giay-chung-sinh.png",
        path="portal/test/none.png",
        sha256=hashlib.sha256(b"x").hexdigest(),
        size=1,
        source="citizen",
    )


def birth_form(**overrides: str) -> dict[str, str]:
    form = {
        "applicant.full_name": "Nguyễn Văn Bình",
        "applicant.personal_id": "040090001234",
        "applicant.phone": "0912345678",
        "applicant.relation": "Cha",
        "child.full_name": "Nguyễn Thị Hằng",
        "child.sex": "F",
        "child.birth_date": "2026-01-10",
        "child.birth_place": "Bệnh viện Sản Nhi Nghệ An",
        "child.ethnicity": "Kinh",
        "child.nationality": "Việt Nam",
        "mother.full_name": "Lê Thị Mai",
        "mother.ethnicity": "Kinh",
        "mother.nationality": "Việt Nam",
        "father.full_name": "Nguyễn Văn Bình",
        "father.ethnicity": "Kinh",
        "father.nationality": "Việt Nam",
        "copies": "2",
    }
    form.update(overrides)
    return form
