"""Rules between the persons of an entry (parents, adoption, guardianship, marriage, corrections)
and the warnings the officer confirms before saving, through the service, the form and the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from hotich.audit.models import Entry
from hotich.core.errors import ValidationFailed
from hotich.registry.models import Record
from hotich.registry.services import (
    WarningsUnconfirmed,
    amendment_add,
    record_create,
)
from hotich.registry.tests.factories import (
    BirthFactory,
    UnitFactory,
    UserFactory,
    historic_book,
    person_input,
)
from hotich.registry.vocabulary import EventType

pytestmark = pytest.mark.django_db
REG = dt.date(2024, 3, 1)
TODAY = dt.date(2024, 3, 10)
CHILD_BORN = dt.date(2024, 2, 1)
DECISION = {"decision_number": "5/2024/QĐ", "decision_date": "2024-02-20", "authority": "UBND"}


def _birth(*, father=None, mother=None, confirm=False, unit=None, child=None, **kwargs):
    parties = {"child": child or person_input(birth_date=CHILD_BORN)}
    if father is not None:
        parties["father"] = person_input(sex="M", birth_date=father)
    if mother is not None:
        parties["mother"] = person_input(sex="F", birth_date=mother)
    return record_create(
        actor=None,
        event_type=EventType.BIRTH,
        unit=unit or UnitFactory(),
        registration_date=REG,
        parties=parties,
        data={"kind": "on_time"},
        confirm_warnings=confirm,
        today=TODAY,
        **kwargs,
    )


def _codes(exc_info) -> list[str]:
    return [w.code for w in exc_info.value.warnings]


# --- parents -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "born"),
    [("father", dt.date(2024, 2, 2)), ("mother", dt.date(2024, 2, 2)), ("father", "2024-03")],
)
def test_parent_born_after_child_refused(role, born):
    with pytest.raises(ValidationFailed) as exc:
        _birth(**{role: born})
    assert exc.value.code == "parent_born_after_child"
    assert exc.value.field == f"{role}.birth_date"
    assert "sau ngày sinh của con" in exc.value.in_language("vi")
    assert "after the child" in exc.value.in_language("en")
    with pytest.raises(ValidationFailed):  # an error: confirming does not help
        _birth(confirm=True, **{role: born})
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    ("mother", "warned"),
    [
        (dt.date(2012, 2, 2), True),  # 11 years old at the birth
        (dt.date(2012, 2, 1), False),  # 12 that very day
        (dt.date(1958, 2, 2), False),  # 65
        (dt.date(1958, 2, 1), True),  # 66 that very day
    ],
)
def test_mother_age_at_the_birth_is_a_warning(mother, warned):
    if not warned:
        assert _birth(mother=mother).status == "registered"
        return
    with pytest.raises(WarningsUnconfirmed) as exc:
        _birth(mother=mother)
    assert exc.value.code == "warnings_unconfirmed" and exc.value.status == 409
    assert _codes(exc) in (["parent_too_young"], ["mother_too_old"])
    assert exc.value.warnings[0].field == "mother.birth_date"
    assert not Record.objects.exists()
    record = _birth(mother=mother, confirm=True)
    assert record.status == "registered"
    audit = Entry.objects.get(
        action="create", object_type="registry.record", object_id=str(record.pk)
    )
    assert audit.detail["warnings_confirmed"] == [f"{_codes(exc)[0]}:mother.birth_date"]


def test_father_under_12_is_a_warning_but_an_old_father_is_not():
    with pytest.raises(WarningsUnconfirmed) as exc:
        _birth(father=dt.date(2013, 1, 1))
    assert _codes(exc) == ["parent_too_young"]
    assert _birth(father=dt.date(1940, 1, 1)).status == "registered"


def test_mother_year_of_birth_warns_only_when_certain():
    # Born some day of 2012: 11 or 12 at the birth, so no warning; 2013: 10 or 11, a warning.
    assert _birth(mother="2012").status == "registered"
    with pytest.raises(WarningsUnconfirmed):
        _birth(mother="2013")


def test_confirming_other_warnings_does_not_confirm_these():
    with pytest.raises(WarningsUnconfirmed):
        _birth(mother=dt.date(2013, 1, 1), confirm={"mother_too_old:mother.birth_date"})
    assert _birth(mother=dt.date(2013, 1, 1), confirm={"parent_too_young:mother.birth_date"})


def test_historic_entries_are_recorded_as_written():
    unit = UnitFactory()
    record = record_create(
        actor=None,
        event_type=EventType.BIRTH,
        book=historic_book(unit=unit, year=1985),
        registration_date="1985-04-02",
        entry_number=7,
        parties={
            "child": person_input(birth_date="1985-03-01"),
            "mother": person_input(sex="F", birth_date="1978"),
        },
    )
    assert record.status == "registered"


def test_recognition_rules():
    unit = UnitFactory()

    def recognize(kind, parent):
        return record_create(
            actor=None,
            event_type=EventType.RECOGNITION,
            unit=unit,
            registration_date=REG,
            parties={"parent": parent, "child": person_input(birth_date=dt.date(2010, 5, 1))},
            data={"kind": kind},
            today=TODAY,
        )

    with pytest.raises(ValidationFailed) as exc:
        recognize("father", person_input(sex="F", birth_date=dt.date(1980, 1, 1)))
    assert exc.value.code == "recognition_sex" and exc.value.field == "parent.sex"
    with pytest.raises(ValidationFailed) as exc:
        recognize("child", person_input(sex="M", birth_date=dt.date(2011, 1, 1)))
    assert exc.value.code == "parent_born_after_child"
    assert recognize("mother", person_input(sex="F", birth_date=dt.date(1980, 1, 1)))


# --- adoption, guardianship, death -----------------------------------------------------------


def _adoption(*, child, father=None, mother=None, confirm=False):
    parties = {"child": person_input(birth_date=child)}
    if father:
        parties["father"] = person_input(sex="M", birth_date=father)
    if mother:
        parties["mother"] = person_input(sex="F", birth_date=mother)
    return record_create(
        actor=None,
        event_type=EventType.ADOPTION,
        unit=UnitFactory(),
        registration_date=REG,
        parties=parties,
        data=DECISION,
        confirm_warnings=confirm,
        today=TODAY,
    )


def test_adoption_needs_an_adopter():
    with pytest.raises(ValidationFailed) as exc:
        _adoption(child=dt.date(2020, 1, 1))
    assert exc.value.code == "adopter_missing"


def test_adoptee_of_18_refused_16_warned():
    with pytest.raises(ValidationFailed) as exc:
        _adoption(child=dt.date(2006, 2, 20), mother=dt.date(1970, 1, 1), confirm=True)
    assert exc.value.code == "adoptee_adult"
    with pytest.raises(WarningsUnconfirmed) as warned:
        _adoption(child=dt.date(2007, 2, 21), mother=dt.date(1970, 1, 1))
    assert _codes(warned) == ["adoptee_over_16"]  # 16 on the decision date
    assert _adoption(child=dt.date(2008, 2, 21), mother=dt.date(1970, 1, 1))


def test_adopter_must_be_adult_and_20_years_older():
    with pytest.raises(ValidationFailed) as exc:
        _adoption(child=dt.date(2020, 1, 1), father=dt.date(2006, 3, 1), confirm=True)
    assert exc.value.code == "adopter_minor" and exc.value.field == "father.birth_date"
    with pytest.raises(WarningsUnconfirmed) as warned:
        # 19 years and 11 months older: a step-parent, aunt or uncle may; the officer confirms.
        _adoption(child=dt.date(2015, 1, 1), father=dt.date(1995, 2, 1))
    assert _codes(warned) == ["adoption_age_gap"]
    assert warned.value.warnings[0].field == "father.birth_date"
    assert _adoption(child=dt.date(2015, 1, 1), father=dt.date(1995, 1, 1))
    assert _adoption(child=dt.date(2015, 1, 1), father=dt.date(1995, 2, 1), confirm=True)


def test_guardian_must_be_adult():
    def guardianship(guardian_born):
        return record_create(
            actor=None,
            event_type=EventType.GUARDIANSHIP,
            unit=UnitFactory(),
            registration_date=REG,
            parties={
                "guardian": person_input(birth_date=guardian_born),
                "ward": person_input(birth_date=dt.date(2015, 1, 1)),
            },
            today=TODAY,
        )

    with pytest.raises(ValidationFailed) as exc:
        guardianship(dt.date(2006, 3, 2))
    assert exc.value.code == "guardian_minor"
    assert guardianship(dt.date(2006, 3, 1))


def test_death_over_120_is_a_warning():
    def death(born, confirm=False):
        return record_create(
            actor=None,
            event_type=EventType.DEATH,
            unit=UnitFactory(),
            registration_date=REG,
            parties={"deceased": person_input(birth_date=born)},
            data={"death_date": "2024-02-25", "death_place": "Vinh"},
            confirm_warnings=confirm,
            today=TODAY,
        )

    with pytest.raises(WarningsUnconfirmed) as exc:
        death("1900")
    assert _codes(exc) == ["implausible_age"]
    assert death("1900", confirm=True)
    assert death("1904")


# --- rules that need the register ----------------------------------------------------------


def test_parent_and_child_may_not_marry():
    unit = UnitFactory()
    mother = person_input(sex="F", birth_date=dt.date(1970, 1, 1), with_id=True)
    son = person_input(sex="M", birth_date=dt.date(1995, 1, 1), with_id=True)
    record_create(
        actor=None,
        event_type=EventType.BIRTH,
        unit=unit,
        registration_date="1995-02-01",
        parties={"child": son, "mother": mother},
        today=TODAY,
    )
    with pytest.raises(ValidationFailed) as exc:
        record_create(
            actor=None,
            event_type=EventType.MARRIAGE,
            unit=unit,
            registration_date=REG,
            parties={"husband": son, "wife": mother},
            today=TODAY,
        )
    assert exc.value.code == "direct_line"
    assert Record.objects.filter(event_type=EventType.MARRIAGE).count() == 0


def test_a_birth_is_registered_once():
    child = person_input(birth_date=CHILD_BORN, with_id=True)
    first = _birth(child=child, mother=dt.date(1990, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        _birth(child=child, mother=dt.date(1990, 1, 1))
    assert exc.value.code == "birth_already_registered"
    assert str(first.pk) in exc.value.in_language("vi")
    assert Record.objects.filter(event_type=EventType.BIRTH).count() == 1


def test_divorce_not_decided_before_the_marriage():
    unit = UnitFactory()
    marriage = record_create(
        actor=None,
        event_type=EventType.MARRIAGE,
        unit=unit,
        registration_date="2020-06-01",
        parties={
            "husband": person_input(sex="M", birth_date=dt.date(1990, 1, 1)),
            "wife": person_input(sex="F", birth_date=dt.date(1992, 1, 1)),
        },
        today=TODAY,
    )
    parties = {
        "husband": person_input(sex="M", birth_date=dt.date(1990, 1, 1)),
        "wife": person_input(sex="F", birth_date=dt.date(1992, 1, 1)),
    }
    with pytest.raises(ValidationFailed) as exc:
        record_create(
            actor=None,
            event_type=EventType.DIVORCE,
            unit=unit,
            registration_date=REG,
            parties=parties,
            related_record=marriage,
            data={**DECISION, "decision_date": "2020-05-31"},
            today=TODAY,
        )
    assert exc.value.code == "ended_before_marriage" and exc.value.field == "decision_date"


# --- corrections and margin notes ----------------------------------------------------------


def _correction(target, changes, *, kind="correct", subject=None, confirm=False):
    return record_create(
        actor=None,
        event_type=EventType.CORRECTION,
        unit=target.unit,
        registration_date=REG,
        related_record=target,
        parties={"subject": subject or person_input(birth_date=dt.date(2000, 1, 1))},
        data={"kind": kind, "reason": "Ghi sai"},
        changes=changes,
        confirm_warnings=confirm,
        today=TODAY,
    )


def test_correction_cannot_make_a_parent_younger_than_the_child():
    birth = _birth(mother=dt.date(1990, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        _correction(birth, {"mother.birth_date": "2024-02-15"})
    assert exc.value.code == "parent_born_after_child"
    with pytest.raises(WarningsUnconfirmed) as warned:
        _correction(birth, {"mother.birth_date": "2013-01-01"})
    assert _codes(warned) == ["parent_too_young"]
    assert Record.objects.filter(event_type=EventType.CORRECTION).count() == 0
    _correction(birth, {"mother.birth_date": "2013-01-01"}, confirm=True)
    assert birth.amendments.count() == 1


def test_margin_note_checked_like_the_entry():
    birth = _birth(mother=dt.date(1990, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        amendment_add(
            actor=None, record=birth, changes={"child.birth_date": "1985-01-01"}, legal_basis="x"
        )
    assert exc.value.code == "parent_born_after_child" and exc.value.field == "mother.birth_date"
    with pytest.raises(WarningsUnconfirmed):
        amendment_add(
            actor=None, record=birth, changes={"child.birth_date": "2001-06-01"}, legal_basis="x"
        )
    assert birth.amendments.count() == 0
    amendment_add(
        actor=None,
        record=birth,
        changes={"child.birth_date": "2001-06-01"},
        legal_basis="x",
        confirm_warnings=True,
    )
    assert birth.amendments.count() == 1
    audit = Entry.objects.filter(action="transition", object_id=str(birth.pk)).latest("pk")
    assert audit.detail["warnings_confirmed"] == ["parent_too_young:mother.birth_date"]


def test_a_warning_already_confirmed_is_not_asked_again():
    birth = _birth(mother=dt.date(2013, 1, 1), confirm=True)
    amendment_add(actor=None, record=birth, changes={"child.birth_place": "Vinh"}, legal_basis="x")
    assert birth.amendments.count() == 1


def test_name_change_of_a_person_of_9_needs_their_consent():
    older = _birth(mother=dt.date(1990, 1, 1))
    amendment_add(
        actor=None, record=older, changes={"child.birth_date": "2014-06-01"}, legal_basis="x"
    )
    with pytest.raises(WarningsUnconfirmed) as exc:
        _correction(older, {"child.full_name": "Lê Văn An"}, kind="change")
    assert _codes(exc) == ["name_change_consent"]
    assert "đồng ý" in exc.value.warnings[0].as_json()["message"]
    assert "consent" in exc.value.warnings[0].as_json()["message_en"]
    younger = _birth(mother=dt.date(1990, 1, 1))
    assert _correction(younger, {"child.full_name": "Lê Văn An"}, kind="change")


def test_ethnicity_redetermination_changes_only_the_ethnicity():
    birth = _birth(mother=dt.date(1990, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        _correction(birth, {"child.full_name": "Lê Văn An"}, kind="ethnicity")
    assert exc.value.code == "ethnicity_only"
    assert _correction(birth, {"child.ethnicity": "Thái"}, kind="ethnicity")


# --- through the officer form and the API ----------------------------------------------------


@pytest.fixture
def officer_client(client):
    officer = UserFactory(role="officer")
    client.force_login(officer)
    client.officer = officer
    return client


def _form(**extra):
    today = dt.date.today()
    return {
        "registration_date": today.isoformat(),
        "child.full_name": "Phan Thị Ngọc Ánh",
        "child.sex": "F",
        "child.birth_date": (today - dt.timedelta(days=5)).isoformat(),
        "mother.full_name": "Phan Thị Mai",
        "mother.birth_date": str(today.year - 11),
        "kind": "on_time",
        **extra,
    }


def test_form_shows_warnings_and_saves_once_confirmed(officer_client):
    url = reverse("registry:record_new", args=["birth"])
    page = officer_client.post(url, _form())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-warning="parent_too_young"' in html
    assert "Tôi đã kiểm tra và xác nhận" in html
    assert 'value="parent_too_young:mother.birth_date"' in html
    assert not Record.objects.exists()
    # Ticked without the warnings having been shown: still shown, not saved.
    again = officer_client.post(url, _form(confirm_warnings="on"))
    assert again.status_code == 200 and not Record.objects.exists()
    saved = officer_client.post(
        url, _form(confirm_warnings="on", shown_warnings="parent_too_young:mother.birth_date")
    )
    assert saved.status_code == 302
    assert Record.objects.get().status == "registered"


def test_form_errors_are_refused_even_when_confirmed(officer_client):
    today = dt.date.today()
    page = officer_client.post(
        reverse("registry:record_new", args=["birth"]),
        _form(
            **{"mother.birth_date": (today - dt.timedelta(days=1)).isoformat()},
            confirm_warnings="on",
            shown_warnings="parent_too_young:mother.birth_date",
        ),
    )
    assert page.status_code == 200
    assert "sau ngày sinh của con" in page.content.decode()
    assert not Record.objects.exists()


def test_amendment_form_shows_warnings(officer_client):
    birth = BirthFactory(unit=officer_client.officer.unit)
    url = reverse("registry:amend", args=[birth.pk])
    mother_born = f"{dt.date.today().year - 11}-01-01"
    post = {"field": "mother.birth_date", "new_value": mother_born, "legal_basis": "QĐ 1"}
    page = officer_client.post(url, post)
    assert page.status_code == 200
    assert 'data-warning="parent_too_young"' in page.content.decode()
    assert birth.amendments.count() == 0
    done = officer_client.post(
        url,
        {**post, "confirm_warnings": "on", "shown_warnings": "parent_too_young:mother.birth_date"},
    )
    assert done.status_code == 302
    assert birth.amendments.count() == 1


def test_api_answers_warnings_until_confirmed(officer_client):
    today = dt.date.today()
    payload = {
        "event_type": "birth",
        "registration_date": today.isoformat(),
        "parties": {
            "child": {"full_name": "Hồ Văn Lực", "sex": "M", "birth_date": today.isoformat()},
            "mother": {"full_name": "Hồ Thị Mai", "birth_date": str(today.year - 70)},
        },
        "data": {"kind": "on_time"},
    }
    response = officer_client.post(
        "/api/v1/registry/records", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "warnings_unconfirmed"
    assert body["warnings"] == [
        {
            "code": "mother_too_old",
            "field": "mother.birth_date",
            "message": body["warnings"][0]["message"],
            "message_en": body["warnings"][0]["message_en"],
        }
    ]
    assert "trên 65 tuổi" in body["warnings"][0]["message"]
    assert "over 65" in body["warnings"][0]["message_en"]
    assert not Record.objects.exists()
    response = officer_client.post(
        "/api/v1/registry/records",
        data=json.dumps({**payload, "confirm_warnings": True}),
        content_type="application/json",
    )
    assert response.status_code == 201
    schema = officer_client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/registry/records"]["post"]
    assert "409" in create["responses"]


def test_api_errors_are_not_confirmable(officer_client):
    today = dt.date.today()
    payload = {
        "event_type": "birth",
        "registration_date": today.isoformat(),
        "parties": {
            "child": {"full_name": "Hồ Văn Lực", "sex": "M", "birth_date": "2020-01-01"},
            "father": {"full_name": "Hồ Văn Nam", "birth_date": "2021"},
        },
        "confirm_warnings": True,
    }
    response = officer_client.post(
        "/api/v1/registry/records", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parent_born_after_child"
    assert response.json()["field"] == "father.birth_date"
