"""The rules of the Law as the services enforce them."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.utils import translation

from hotich.core.errors import ValidationFailed
from hotich.registry.models import Party, Person, Record
from hotich.registry.services import record_create
from hotich.registry.tests.factories import (
    BirthFactory,
    DeathFactory,
    MarriageFactory,
    UnitFactory,
    historic_book,
    person_input,
)
from hotich.registry.vocabulary import EventType, Status

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _marriage(unit, husband, wife, *, when=None):
    return record_create(
        actor=None,
        event_type=EventType.MARRIAGE,
        unit=unit,
        registration_date=when or TODAY - dt.timedelta(days=1),
        parties={"husband": husband, "wife": wife},
    )


def _refused(exc_info, field: str, vi_word: str) -> None:
    assert exc_info.value.field == field
    assert vi_word in exc_info.value.in_language("vi")


def test_birth_registered_with_number_and_linked_persons():
    record = BirthFactory()
    assert record.status == Status.REGISTERED
    assert record.entry_number == 1
    assert record.book.year == record.registration_date.year
    roles = set(record.parties.values_list("role", flat=True))
    assert roles == {"child", "father", "mother"}


def test_entry_numbers_follow_in_a_book():
    unit = UnitFactory()
    numbers = [BirthFactory(unit=unit).entry_number for _ in range(3)]
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize(
    ("sex", "age", "ok"), [("M", 20, True), ("M", 19, False), ("F", 18, True), ("F", 17, False)]
)
def test_marriage_age(sex, age, ok):
    unit = UnitFactory()
    when = TODAY - dt.timedelta(days=1)
    born = dt.date(when.year - age, when.month, min(when.day, 28))
    if born > dt.date(when.year - age, when.month, when.day if when.day <= 28 else 28):
        born = born.replace(day=1)
    other_sex = "F" if sex == "M" else "M"
    party = person_input(sex=sex, birth_date=born)
    other = person_input(sex=other_sex, birth_date=dt.date(1990, 1, 1))
    roles = {"M": "husband", "F": "wife"}
    parties = {roles[sex]: party, roles[other_sex]: other}
    if ok:
        _marriage(unit, parties["husband"], parties["wife"], when=when)
    else:
        with pytest.raises(ValidationFailed) as exc:
            _marriage(unit, parties["husband"], parties["wife"], when=when)
        _refused(exc, f"{roles[sex]}.birth_date", "chưa đủ tuổi kết hôn")
        assert exc.value.code == "marriage_age"
        with translation.override("vi"):
            assert "Chồng" in str(exc.value) or "Vợ" in str(exc.value)


def test_marriage_age_counts_to_the_registration_day():
    unit = UnitFactory()
    when = dt.date(2024, 6, 10)
    husband = person_input(sex="M", birth_date=dt.date(2004, 6, 11))  # 20 tomorrow
    wife = person_input(sex="F", birth_date=dt.date(2000, 1, 1))
    with pytest.raises(ValidationFailed):
        _marriage(unit, husband, wife, when=when)
    husband["birth_date"] = "2004-06-10"
    assert _marriage(unit, husband, wife, when=when).status == Status.REGISTERED


def test_party_in_marriage_in_force_refused_until_divorce():
    unit = UnitFactory()
    first = MarriageFactory(unit=unit, registration_date=dt.date(2020, 5, 1))
    husband = first.parties.get(role="husband").person
    new_wife = person_input(sex="F", birth_date=dt.date(1995, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        _marriage(unit, {"person_id": husband.pk}, new_wife)
    _refused(exc, "husband.full_name", "một vợ một chồng")
    assert exc.value.code == "already_married"
    # The court's divorce, recorded against the marriage, ends it.
    record_create(
        actor=None,
        event_type=EventType.DIVORCE,
        unit=unit,
        related_record=first,
        registration_date=TODAY - dt.timedelta(days=3),
        parties={
            "husband": {"person_id": husband.pk},
            "wife": {"person_id": first.parties.get(role="wife").person_id},
        },
        data={
            "decision_number": "12/2024/HNGĐ-ST",
            "decision_date": "2024-03-01",
            "authority": "Tòa án nhân dân tỉnh Nghệ An",
        },
    )
    second = _marriage(unit, {"person_id": husband.pk}, new_wife)
    assert second.status == Status.REGISTERED
    assert first.amendments.count() == 1  # the divorce is noted in the margin


def test_death_of_spouse_ends_marriage():
    unit = UnitFactory()
    first = MarriageFactory(unit=unit, registration_date=dt.date(2019, 5, 1))
    wife = first.parties.get(role="wife").person
    DeathFactory(unit=unit, parties={"deceased": {"person_id": wife.pk}})
    husband = first.parties.get(role="husband").person
    again = _marriage(
        unit, {"person_id": husband.pk}, person_input(sex="F", birth_date=dt.date(1990, 2, 2))
    )
    assert again.status == Status.REGISTERED


def test_dead_person_cannot_marry_or_die_twice():
    unit = UnitFactory()
    death = DeathFactory(unit=unit)
    person = death.parties.get().person
    with pytest.raises(ValidationFailed) as exc:
        DeathFactory(unit=unit, parties={"deceased": {"person_id": person.pk}})
    _refused(exc, "deceased.full_name", "khai tử")


def test_death_not_before_birth():
    with pytest.raises(ValidationFailed) as exc:
        DeathFactory(
            parties={"deceased": person_input(birth_date=dt.date(1950, 5, 5))},
            data={"death_date": "1950-05-04", "death_place": "Vinh"},
        )
    _refused(exc, "death_date", "trước ngày sinh")


def test_death_of_linked_person_not_before_birth():
    birth = BirthFactory(registration_date=dt.date(2020, 3, 1))
    child = birth.parties.get(role="child").person
    with pytest.raises(ValidationFailed) as exc:
        DeathFactory(
            parties={"deceased": {"person_id": child.pk}},
            data={"death_date": "2019-01-01", "death_place": "Vinh"},
        )
    assert exc.value.field == "death_date"


@pytest.mark.parametrize(
    ("field", "parties", "data", "reg"),
    [
        ("registration_date", None, None, TODAY + dt.timedelta(days=1)),
        ("child.birth_date", {"child": {"birth": TODAY + dt.timedelta(days=3)}}, None, None),
    ],
)
def test_no_future_dates(field, parties, data, reg):
    kwargs = {}
    if reg:
        kwargs["registration_date"] = reg
    if parties:
        kwargs["parties"] = {"child": person_input(birth_date=parties["child"]["birth"])}
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(**kwargs)
    assert exc.value.field == field
    assert "tương lai" in exc.value.in_language("vi")


def test_death_date_in_future_refused():
    with pytest.raises(ValidationFailed) as exc:
        DeathFactory(
            data={"death_date": (TODAY + dt.timedelta(days=5)).isoformat(), "death_place": "Vinh"}
        )
    assert exc.value.field == "death_date"


def test_birth_after_registration_refused():
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(
            registration_date=dt.date(2024, 1, 1),
            parties={"child": person_input(birth_date=dt.date(2024, 1, 5))},
        )
    _refused(exc, "child.birth_date", "sau ngày đăng ký")


@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-01", "2023-00-10", "30/02/2023", "abc"])
def test_impossible_or_malformed_dates(value):
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(birth_date=value)})
    assert exc.value.field == "child.birth_date"


def test_partial_dates_only_in_historic_books():
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(birth_date="2020-05")})
    _refused(exc, "child.birth_date", "sổ cũ")
    unit = UnitFactory()
    book = historic_book(unit=unit, year=1985)
    record = record_create(
        actor=None,
        event_type=EventType.BIRTH,
        book=book,
        entry_number=17,
        registration_date="1985",
        parties={"child": {"full_name": "NGUYEN VAN AN", "sex": "M", "birth_date": "1985-03"}},
    )
    assert record.is_historic and record.entry_number == 17
    assert record.unit == unit  # scope: today's unit
    assert book.unit.era == "o"
    child = record.parties.get().person
    assert child.birth_date_text == "1985-03"
    assert child.birth_year == 1985
    assert record.registration.iso() == "1985"


def test_historic_record_year_must_match_book():
    book = historic_book(unit=UnitFactory(), year=1985)
    with pytest.raises(ValidationFailed) as exc:
        record_create(
            actor=None,
            event_type=EventType.BIRTH,
            book=book,
            registration_date="1986-01-02",
            parties={"child": person_input(birth_date="1986-01-01")},
        )
    assert exc.value.field == "registration_date"


def test_parent_year_of_birth_allowed():
    record = BirthFactory(
        parties={
            "child": person_input(birth_date=TODAY - dt.timedelta(days=30)),
            "father": person_input(sex="M", birth_date="1990"),
        }
    )
    assert record.parties.get(role="father").person.birth_date_text == "1990"


def test_personal_id_malformed_refused():
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(personal_id="04012345")})
    assert exc.value.field == "child.personal_id"
    assert "12 chữ số" in exc.value.in_language("vi")


def test_personal_id_inconsistent_with_sex_or_year():
    born = TODAY - dt.timedelta(days=40)
    digit_f = "3"
    bad_sex = f"040{digit_f}{born.year % 100:02d}123456"
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(sex="M", birth_date=born, personal_id=bad_sex)})
    _refused(exc, "child.personal_id", "Giới tính")
    bad_year = "040" + "2" + f"{(born.year - 3) % 100:02d}" + "123456"
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(
            parties={"child": person_input(sex="M", birth_date=born, personal_id=bad_year)}
        )
    _refused(exc, "child.personal_id", "Năm sinh")


def test_consistent_personal_id_links_the_same_person():
    born = TODAY - dt.timedelta(days=40)
    child = person_input(sex="M", birth_date=born, with_id=True)
    birth = BirthFactory(parties={"child": child})
    death = DeathFactory(
        parties={"deceased": dict(child)},
        registration_date=TODAY - dt.timedelta(days=1),
        data={"death_date": (TODAY - dt.timedelta(days=1)).isoformat(), "death_place": "Vinh"},
    )
    assert birth.parties.get(role="child").person_id == death.parties.get().person_id


def test_names_stored_nfc_and_split():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị Ngọc   Hằng")
    record = BirthFactory(parties={"child": person_input(sex="F", full_name=decomposed)})
    person = record.parties.get(role="child").person
    assert person.full_name == "Nguyễn Thị Ngọc Hằng"
    assert unicodedata.is_normalized("NFC", person.full_name)
    assert (person.surname, person.middle, person.given) == ("Nguyễn", "Thị Ngọc", "Hằng")
    assert person.name_folded == "nguyen thi ngoc hang"
    as_written = record.parties.get(role="child").as_written
    assert as_written["full_name"] == "Nguyễn Thị Ngọc Hằng"


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Nguyễn " + "A" * 120, "dài quá"),
        ("Nguyễn Văn " + "B" * 45, "dài quá"),
        ("Nguyễn Văn 3", "chữ cái"),
        ("", "bắt buộc"),
    ],
)
def test_bad_names_refused(name, word):
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(full_name=name)})
    _refused(exc, "child.full_name", word)


def test_over_long_field_refused():
    with pytest.raises(ValidationFailed) as exc:
        DeathFactory(
            data={
                "death_date": (TODAY - dt.timedelta(days=1)).isoformat(),
                "death_place": "x" * 300,
            }
        )
    _refused(exc, "death_place", "dài quá")


def test_required_and_unknown_fields():
    with pytest.raises(ValidationFailed) as exc:
        DeathFactory(data={"death_date": (TODAY - dt.timedelta(days=1)).isoformat()})
    _refused(exc, "death_place", "bắt buộc")
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(data={"colour": "xanh"})
    assert exc.value.field == "colour"
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(), "uncle": person_input()})
    assert exc.value.field == "uncle"


def test_role_sex_enforced():
    with pytest.raises(ValidationFailed) as exc:
        MarriageFactory(
            parties={
                "husband": person_input(sex="F", birth_date="1990-01-01"),
                "wife": person_input(sex="F", birth_date="1990-01-01"),
            }
        )
    assert exc.value.field == "husband.sex"


def test_nothing_half_saved():
    counts = (Record.objects.count(), Person.objects.count(), Party.objects.count())
    with pytest.raises(ValidationFailed):
        # The mother is refused after the child and father would have been written.
        BirthFactory(
            parties={
                "child": person_input(),
                "father": person_input(sex="M"),
                "mother": person_input(sex="F", personal_id="123"),
            }
        )
    unit = UnitFactory()
    first = MarriageFactory(unit=unit)
    husband = first.parties.get(role="husband").person_id
    with pytest.raises(ValidationFailed):  # refused at registration, after the draft was written
        _marriage(unit, {"person_id": husband}, person_input(sex="F", birth_date="1990-01-01"))
    assert Record.objects.count() == counts[0] + 1
    assert Person.objects.count() == counts[1] + 2
    assert Party.objects.count() == counts[2] + 2


def test_english_messages_through_gettext():
    with pytest.raises(ValidationFailed) as exc:
        BirthFactory(parties={"child": person_input(birth_date="2023-02-30")})
    assert "2023-02-30" in exc.value.bilingual()
