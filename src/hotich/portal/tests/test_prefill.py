"""Prefilling the form from the population database, with consent."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.core.errors import ValidationFailed
from hotich.people.adapters.popdb.protocol import Citizen as PopCitizen
from hotich.portal.services import form_prefill
from hotich.portal.tests.factories import citizen_factory, procedure


class FakeDatabase:
    def __init__(self) -> None:
        self.inquiries: list[Any] = []

    def lookup(self, personal_id: str, *, inquiry: Any) -> PopCitizen | None:
        self.inquiries.append(inquiry)
        if personal_id != "040090001234":
            return None
        return PopCitizen(
            personal_id=personal_id,
            full_name="Nguyễn Văn Bình",
            sex="M",
            birth_date="1990-05-02",
            birth_place="Xã Quế Phong, Nghệ An",
        )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeDatabase:
    database = FakeDatabase()
    monkeypatch.setattr("hotich.portal.services.prefill.population_database", lambda: database)
    return database


@pytest.mark.django_db
def test_prefill_fills_empty_fields_of_each_person_named_by_id(fake: FakeDatabase) -> None:
    values, filled = form_prefill(
        citizen=citizen_factory(),
        procedure=procedure(),
        form_data={
            "applicant.personal_id": "040 090 001 234",
            "father.personal_id": "040090001234",
            "mother.personal_id": "040190009999",
            "mother.full_name": "Lê Thị Mai",
        },
        consent=True,
    )
    assert values["applicant.full_name"] == "Nguyễn Văn Bình"
    assert values["father.full_name"] == "Nguyễn Văn Bình"
    assert values["father.birth_date"] == "1990-05-02"
    assert values["mother.full_name"] == "Lê Thị Mai"  # typed values are kept
    assert sorted(filled) == ["applicant", "father"]
    assert all("13/2023" in i.legal_basis for i in fake.inquiries)


@pytest.mark.django_db
def test_prefill_needs_consent(fake: FakeDatabase) -> None:
    with pytest.raises(ValidationFailed) as caught:
        form_prefill(
            citizen=citizen_factory(),
            procedure=procedure(),
            form_data={"applicant.personal_id": "040090001234"},
            consent=False,
        )
    assert caught.value.field == "consent" and fake.inquiries == []


@pytest.mark.django_db
def test_prefill_button_on_the_form(client: Any, fake: FakeDatabase) -> None:
    from hotich.portal.tests.test_web import citizen_client

    citizen_client(client)
    page = client.post(
        "/dich-vu-cong/nop/1.001193/",
        {"applicant.personal_id": "040090001234", "prefill": "1", "consent": "1"},
    ).content.decode()
    assert 'value="Nguyễn Văn Bình"' in page
    from hotich.portal.models import Dossier

    assert Dossier.objects.count() == 0
