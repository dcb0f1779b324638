"""Search by name with/without diacritics, wrong tone marks, year, parents; scope; CLI."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from hotich.audit.models import Entry
from hotich.registry.selectors import record_search
from hotich.registry.tests.factories import (
    BirthFactory,
    DeathFactory,
    UnitFactory,
    UserFactory,
    person_input,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    unit = UnitFactory()
    hang = BirthFactory(
        unit=unit,
        parties={
            "child": person_input(sex="F", full_name="Nguyễn Thị Hằng", birth_date="2024-03-05"),
            "father": person_input(sex="M", full_name="Nguyễn Văn Đức", birth_date="1990"),
            "mother": person_input(sex="F", full_name="Đặng Thị Lan", birth_date="1992"),
        },
        registration_date=dt.date(2024, 3, 20),
    )
    hang2 = DeathFactory(
        unit=unit,
        parties={
            "deceased": person_input(
                sex="F", full_name="Trần Thị Thu Hằng", birth_date=dt.date(1950, 1, 1)
            )
        },
        registration_date=dt.date(2024, 5, 2),
        data={"death_date": "2024-05-01", "death_place": "Vinh"},
    )
    hangnga = BirthFactory(
        unit=unit,
        parties={
            "child": person_input(sex="F", full_name="Nguyễn Hằng Nga", birth_date="2023-01-01")
        },
        registration_date=dt.date(2023, 1, 20),
    )
    other = BirthFactory(
        parties={
            "child": person_input(sex="F", full_name="Nguyễn Thị Hằng", birth_date="2022-01-01")
        },
        registration_date=dt.date(2022, 1, 20),
    )
    return {"unit": unit, "hang": hang, "hang2": hang2, "hangnga": hangnga, "other": other}


@pytest.mark.parametrize(
    "query",
    [
        "Nguyễn Thị Hằng",
        "nguyen thi hang",
        "Nguyễn Thị Hăng",
        "NGUYEN THI HANG",
        "Nguyen Thi Hàng",
        "nguy th ha",
    ],
)
def test_name_with_without_diacritics_or_wrong_tone(people, query):
    ids = [h.id for h in record_search(actor=None, query=query)]
    assert people["hang"].pk in ids and people["other"].pk in ids
    assert people["hang2"].pk not in ids


def test_relevance_exact_then_given_then_others(people):
    hits = record_search(actor=None, query="hang")
    ids = [h.id for h in hits]
    assert set(ids) >= {people["hang"].pk, people["hang2"].pk, people["hangnga"].pk}
    # given name Hằng ranks before a middle name Hằng
    assert ids.index(people["hangnga"].pk) > ids.index(people["hang2"].pk)
    hits = record_search(actor=None, query="Trần Thị Thu Hằng")
    assert hits[0].id == people["hang2"].pk and hits[0].relevance == 0


def test_birth_year_and_date(people):
    hits = record_search(actor=None, query="hang", birth_year=2024)
    assert [h.id for h in hits] == [people["hang"].pk]
    hits = record_search(actor=None, query="", birth_date=dt.date(2024, 3, 5))
    assert [h.id for h in hits] == [people["hang"].pk]
    assert hits[0].birth_date == "2024-03-05"


def test_parents_personal_id_book_entry(people):
    assert [h.id for h in record_search(actor=None, query="hang", parent="dang lan")] == [
        people["hang"].pk
    ]
    record = people["hang"]
    hits = record_search(actor=None, book=record.book_id, entry_number=record.entry_number)
    assert [h.id for h in hits] == [record.pk]
    child = BirthFactory(
        parties={"child": person_input(with_id=True, birth_date=dt.date(2024, 1, 2))}
    )
    number = child.parties.get().person.personal_id
    assert [h.id for h in record_search(actor=None, query=number)] == [child.pk]


def test_scope_and_audit(people):
    officer = UserFactory(unit=people["unit"])
    ids = [h.id for h in record_search(actor=officer, query="nguyen thi hang")]
    assert ids == [people["hang"].pk]
    entry = Entry.objects.filter(action="read").latest("seq")
    assert entry.detail["count"] == 1
    assert "hang" not in json.dumps(entry.detail)
    assert record_search(actor=officer, query="") == []


def test_records_find_cli(people):
    out = StringIO()
    call_command("records", "find", "nguyen thi hang", "--birth-year", "2024", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows == [
        {
            "id": people["hang"].pk,
            "event_type": "birth",
            "full_name": "Nguyễn Thị Hằng",
            "birth_date": "2024-03-05",
            "unit": people["unit"].name,
            "book": people["hang"].book_id,
            "entry_number": people["hang"].entry_number,
        }
    ]
    assert "Nguyễn" in out.getvalue()  # ensure_ascii=False
    out = StringIO()
    call_command("records", "find", "Hằng", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0].split()[:3] == ["id", "event_type", "full_name"]
    assert "Trần Thị Thu Hằng" in text


@pytest.mark.parametrize("query", ["nguyen thi hang", "hang", "nguy th ha", "tran hang"])
def test_common_word_paths_give_the_same_answer(people, monkeypatch, query):
    """With a tiny candidate cap every word counts as "very common": the search then takes the
    SQL paths (exact full name, or the database join) and must still answer the same."""
    from hotich.registry import search_index

    expected = [(h.id, h.relevance) for h in record_search(actor=None, query=query)]
    assert expected
    for limit in (1, 2):  # a page the given-name tier fills, or does not
        page = record_search(actor=None, query=query, limit=limit)
        assert [(h.id, h.relevance) for h in page] == expected[:limit]
    monkeypatch.setattr(search_index, "CANDIDATE_CAP", 0)
    assert search_index.persons_matching(search_index.query_words(query)) is None
    assert [(h.id, h.relevance) for h in record_search(actor=None, query=query)] == expected
    limited = record_search(actor=None, query=query, limit=1)
    assert [(h.id, h.relevance) for h in limited] == expected[:1]


def test_name_index_follows_a_margin_note(people):
    from hotich.registry.services import amendment_add

    amendment_add(
        actor=None,
        record=people["hangnga"],
        changes={"child.full_name": "Nguyễn Hồng Nga"},
        legal_basis="Quyết định cải chính",
    )
    assert people["hangnga"].pk not in [h.id for h in record_search(actor=None, query="hang nga")]
    assert [h.id for h in record_search(actor=None, query="hong nga")] == [people["hangnga"].pk]


def test_only_principal_persons_are_indexed_until_they_become_principal(people):
    from hotich.registry.models import NameToken
    from hotich.registry.tests.factories import MarriageFactory

    born = dt.date(1990, 5, 5)
    birth = BirthFactory(
        unit=people["unit"],
        parties={
            "child": person_input(sex="M", birth_date="2024-01-02"),
            "father": person_input(sex="M", full_name="Hoàng Văn Quyết", birth_date=born),
        },
        registration_date=dt.date(2024, 1, 10),
    )
    father = birth.parties.get(role="father").person
    assert not NameToken.objects.filter(person_id=father.pk).exists()
    assert record_search(actor=None, query="hoang van quyet") == []
    assert [h.id for h in record_search(actor=None, query="", parent="hoang quyet")] == [birth.pk]
    marriage = MarriageFactory(
        unit=people["unit"],
        parties={
            "husband": {**person_input(sex="M", birth_date=born), "person_id": father.pk},
            "wife": person_input(sex="F", birth_date=dt.date(1992, 2, 2)),
        },
    )
    assert marriage.parties.get(role="husband").person_id == father.pk
    ids = [h.id for h in record_search(actor=None, query="hoang van quyet")]
    assert ids == [marriage.pk]


def test_first_persons_path_gives_the_same_page(people, monkeypatch):
    """Many persons match: the page is looked for among the persons that rank first, ties at
    the cut kept, and the whole list is ranked when that page is short (another unit's
    persons left out by the scope)."""
    from hotich.registry import selectors

    unit = people["unit"]
    BirthFactory(
        unit=unit,
        parties={"child": person_input(sex="M", full_name="Lê Văn Anh", birth_date="2001-01-01")},
    )
    for birth_date, where in [
        ("2001-07-01", unit),
        ("2001-05-05", None),
        ("2001-02-03", unit),
        ("2001-02-03", None),
        ("2001-02-03", unit),
    ]:
        BirthFactory(
            unit=where or UnitFactory(),
            parties={"child": person_input(sex="M", full_name="Lê Văn An", birth_date=birth_date)},
        )
    officer = UserFactory(unit=unit)
    cases = [
        (actor, query, year)
        for actor in (None, officer)
        for query, year in [("le van an", 2001), ("Lê Văn An", None), ("an", 2001)]
    ]
    expected = {
        case: [
            (h.id, h.relevance)
            for h in record_search(actor=case[0], query=case[1], birth_year=case[2], audit=False)
        ]
        for case in cases
    }
    assert len(expected[(None, "le van an", 2001)]) == 6
    assert len(expected[(officer, "le van an", 2001)]) == 4
    for first in (1, 2, 3):
        monkeypatch.setattr(selectors, "FIRST_PERSONS", first)
        for (actor, query, year), page in expected.items():
            for limit in (1, 2, 3, 50):
                hits = record_search(
                    actor=actor, query=query, birth_year=year, limit=limit, audit=False
                )
                assert [(h.id, h.relevance) for h in hits] == page[:limit]
