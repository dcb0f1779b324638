"""The life cycle (status → actions), margin notes, books."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotich.audit.models import Entry
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.registry.models import Book, Record
from hotich.registry.selectors import record_detail
from hotich.registry.services import (
    amendment_add,
    book_close,
    book_open,
    current_values,
    record_create,
    record_transition,
)
from hotich.registry.services.records import RECORD_LIFECYCLE
from hotich.registry.tests.factories import (
    BirthFactory,
    UnitFactory,
    UserFactory,
    historic_book,
    person_input,
)
from hotich.registry.vocabulary import EventType, Status

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def officer():
    return UserFactory(role="officer")


def test_status_table_is_complete():
    table = RECORD_LIFECYCLE.table
    assert set(table) == set(Status.values)
    assert set(table[Status.DRAFT]) == {"register", "discard"}
    assert set(table[Status.REGISTERED]) == {"amend", "revoke"}


def test_draft_then_register(officer):
    record = BirthFactory(actor=officer, unit=officer.unit, register=False)
    assert record.status == Status.DRAFT and record.entry_number is None
    record = record_transition(actor=officer, record=record, action="register")
    assert record.status == Status.REGISTERED and record.entry_number == 1
    actions = list(record.transitions.values_list("action", "to_status"))
    assert actions == [("create", "draft"), ("register", "registered")]
    audited = Entry.objects.filter(object_type="registry.record", object_id=str(record.pk))
    assert set(audited.values_list("action", flat=True)) == {"create", "transition"}


def test_discard_draft(officer):
    record = BirthFactory(actor=officer, unit=officer.unit, register=False)
    record = record_transition(actor=officer, record=record, action="discard")
    assert record.status == Status.DISCARDED
    with pytest.raises(Conflict):
        record_transition(actor=officer, record=record, action="register")


@pytest.mark.parametrize("action", ["register", "discard"])
def test_registered_cannot_be_registered_or_discarded(officer, action):
    record = BirthFactory(actor=officer, unit=officer.unit)
    with pytest.raises(Conflict) as exc:
        record_transition(actor=officer, record=record, action=action)
    assert exc.value.code == "invalid_transition"


def test_draft_cannot_be_amended_or_revoked(officer):
    record = BirthFactory(actor=officer, unit=officer.unit, register=False)
    for action in ("amend", "revoke"):
        with pytest.raises(Conflict):
            record_transition(actor=officer, record=record, action=action, legal_basis="QĐ 1")


def test_revoke_needs_basis_and_is_final(officer):
    record = BirthFactory(actor=officer, unit=officer.unit)
    with pytest.raises(ValidationFailed) as exc:
        record_transition(actor=officer, record=record, action="revoke")
    assert exc.value.field == "legal_basis"
    record = record_transition(
        actor=officer, record=record, action="revoke", legal_basis="Quyết định số 5/QĐ-UBND"
    )
    assert record.status == Status.REVOKED
    for action in ("amend", "revoke", "register"):
        with pytest.raises(Conflict):
            record_transition(actor=officer, record=record, action=action, legal_basis="x")


def test_unknown_action_refused(officer):
    record = BirthFactory(actor=officer, unit=officer.unit)
    with pytest.raises(ValidationFailed):
        record_transition(actor=officer, record=record, action="delete")


@pytest.mark.parametrize("role", ["clerk", "auditor", "signer", "reviewer"])
def test_roles_without_permission_refused(role):
    unit = UnitFactory()
    record = BirthFactory(unit=unit)
    user = UserFactory(role=role, unit=unit)
    with pytest.raises(PermissionDenied):
        record_transition(actor=user, record=record, action="revoke", legal_basis="QĐ")
    with pytest.raises(PermissionDenied):
        BirthFactory(actor=user, unit=unit)


def test_officer_of_other_commune_gets_not_found(officer):
    record = BirthFactory(unit=UnitFactory())
    with pytest.raises(NotFound):
        record_transition(actor=officer, record=record, action="revoke", legal_basis="QĐ")
    with pytest.raises(NotFound):
        BirthFactory(actor=officer, unit=UnitFactory())


def test_amendment_current_values_and_history(officer):
    record = BirthFactory(
        actor=officer,
        unit=officer.unit,
        parties={
            "child": person_input(
                sex="F", full_name="Lê Thị Hăng", birth_date=TODAY - dt.timedelta(days=30)
            )
        },
    )
    first = amendment_add(
        actor=officer,
        record=record,
        changes={"child.full_name": "Lê Thị Hằng"},
        legal_basis="Cải chính theo tờ khai ngày 1/2/2025",
        note="Sai dấu",
    )
    assert first.seq == 1
    assert {"field": "child.given", "old": "Hăng", "new": "Hằng"} in first.changes
    amendment_add(
        actor=officer,
        record=record,
        changes={"child.ethnicity": "Thái"},
        legal_basis="Xác định lại dân tộc, QĐ 3",
    )
    values = current_values(record)
    assert values["parties"]["child"]["full_name"] == "Lê Thị Hằng"
    assert values["parties"]["child"]["ethnicity"] == "Thái"
    # The base (the book) is unchanged; the person's current values follow the notes.
    party = record.parties.get(role="child")
    assert party.as_written["full_name"] == "Lê Thị Hăng"
    assert party.person.full_name == "Lê Thị Hằng" and party.person.given_folded == "hang"
    detail = record_detail(actor=officer, record_id=record.pk)
    assert [a.seq for a in detail.amendments] == [1, 2]
    assert [t.action for t in detail.history] == ["create", "register", "amend", "amend"]
    assert "child.full_name" in detail.changed_fields


def test_amendment_validated(officer):
    record = BirthFactory(actor=officer, unit=officer.unit)
    cases = [
        ({"child.full_name": "x" * 200}, "child.full_name"),
        ({"child.birth_date": "2023-02-30"}, "child.birth_date"),
        ({"colour": "xanh"}, "colour"),
        ({"wife.full_name": "Ai Đó"}, "wife.full_name"),
        ({}, "changes"),
    ]
    for changes, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            amendment_add(actor=officer, record=record, changes=changes, legal_basis="QĐ 1")
        assert exc.value.field == field, changes
    with pytest.raises(ValidationFailed) as exc:
        amendment_add(
            actor=officer, record=record, changes={"child.residence": "Vinh"}, legal_basis=""
        )
    assert exc.value.field == "legal_basis"
    assert record.amendments.count() == 0


def test_correction_record_writes_margin_note(officer):
    birth = BirthFactory(actor=officer, unit=officer.unit)
    correction = record_create(
        actor=officer,
        event_type=EventType.CORRECTION,
        related_record=birth,
        registration_date=TODAY,
        parties={"subject": {"person_id": birth.parties.get(role="child").person_id}},
        data={"kind": "correct", "reason": "Sai ngày sinh"},
        changes={"child.home_town": "Nam Đàn, Nghệ An"},
    )
    note = birth.amendments.get()
    assert note.source_record == correction
    assert current_values(birth)["parties"]["child"]["home_town"] == "Nam Đàn, Nghệ An"
    assert str(correction.entry_number) in note.legal_basis


def test_cancelling_decision_revokes_target():
    unit = UnitFactory()
    subject = person_input()
    decision = {
        "decision_number": "1/2024/QĐST",
        "decision_date": "2024-01-05",
        "authority": "TAND huyện Nam Đàn",
    }
    missing = record_create(
        actor=None,
        event_type=EventType.MISSING,
        unit=unit,
        registration_date="2024-01-10",
        parties={"subject": subject},
        data=decision,
    )
    person_id = missing.parties.get().person_id
    record_create(
        actor=None,
        event_type=EventType.MISSING_CANCELLED,
        unit=unit,
        registration_date="2024-06-10",
        related_record=missing,
        parties={"subject": {"person_id": person_id}},
        data={**decision, "decision_number": "9/2024/QĐST", "decision_date": "2024-06-01"},
    )
    missing.refresh_from_db()
    assert missing.status == Status.REVOKED


def test_decision_fields_required():
    with pytest.raises(ValidationFailed) as exc:
        record_create(
            actor=None,
            event_type=EventType.ADOPTION,
            unit=UnitFactory(),
            registration_date="2024-01-10",
            parties={"child": person_input()},
            data={"decision_number": "3"},
        )
    assert exc.value.field == "decision_date"
    with pytest.raises(ValidationFailed) as exc:
        record_create(
            actor=None,
            event_type=EventType.ABROAD_MARRIAGE,
            unit=UnitFactory(),
            registration_date="2024-01-10",
            parties={"husband": person_input(sex="M"), "wife": person_input(sex="F")},
            data={"decision_date": "2023-01-01", "authority": "Seoul"},
        )
    assert exc.value.field == "country"


def test_every_event_type_can_be_registered():
    unit = UnitFactory()
    birth = BirthFactory(unit=unit)
    other_sex = "F" if birth.parties.get(role="child").person.sex == "M" else "M"
    for event_type, spec in __import__(
        "hotich.registry.vocabulary"
    ).registry.vocabulary.SPECS.items():
        if event_type in (EventType.MARRIAGE, EventType.CORRECTION):
            continue
        born = {"child": dt.date(2015, 1, 1)}
        parties = {
            p.role: person_input(
                sex=p.sex or ("M" if p.role == "parent" else None),  # recognition: nhận cha
                birth_date=born.get(p.role, dt.date(1980, 1, 1)),
            )
            for p in spec.parties
        }
        data = {}
        for f in spec.fields:
            if f.required:
                data[f.name] = {"date": "2024-01-02", "sex": other_sex}.get(
                    f.kind, f.choices[0][0] if f.choices else "Giá trị"
                )
        target = None
        if spec.target_required or event_type == EventType.SEX_REDETERMINATION:
            target = birth
        if spec.target_types and spec.target_required and EventType.BIRTH not in spec.target_types:
            continue
        record = record_create(
            actor=None,
            event_type=event_type,
            unit=unit,
            registration_date="2024-02-01",
            parties=parties,
            data=data,
            related_record=target,
        )
        assert record.status == Status.REGISTERED, event_type


def test_entry_numbers_locked_under_concurrency_path():
    unit = UnitFactory()
    BirthFactory(unit=unit)
    with CaptureQueriesContext(connection) as ctx:
        BirthFactory(unit=unit)
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in q["sql"] for q in ctx.captured_queries)


def test_historic_entry_number_conflict():
    book = historic_book(unit=UnitFactory(), year=1980)
    kwargs = dict(
        actor=None,
        event_type=EventType.BIRTH,
        book=book,
        registration_date="1980",
        parties={"child": {"full_name": "Hồ Văn Nam", "birth_date": "1980"}},
    )
    record_create(**kwargs, entry_number=3)
    with pytest.raises(Conflict) as exc:
        record_create(**kwargs, entry_number=3)
    assert exc.value.field == "entry_number"
    assert record_create(**kwargs).entry_number == 4


def test_new_registration_cannot_choose_entry_number():
    with pytest.raises(ValidationFailed):
        BirthFactory(entry_number=5)


def test_book_close_totals_and_refusals(officer):
    last_year = TODAY.year - 1
    for _ in range(3):
        BirthFactory(actor=officer, unit=officer.unit, registration_date=dt.date(last_year, 6, 1))
    book = Book.objects.get(scope_unit=officer.unit, year=last_year)
    with pytest.raises(ValidationFailed):
        book_close(actor=officer, book=book, on=dt.date(last_year, 12, 30))
    book = book_close(actor=officer, book=book, total_pages=2)
    assert (book.status, book.total_entries, book.total_pages) == ("closed", 3, 2)
    with pytest.raises(Conflict):
        book_close(actor=officer, book=book)
    with pytest.raises(Conflict) as exc:  # closed books take no more entries
        BirthFactory(actor=officer, unit=officer.unit, registration_date=dt.date(last_year, 7, 1))
    assert exc.value.field == "book"


def test_book_close_outside_scope(officer):
    book = book_open(actor=None, unit=UnitFactory(), event_type="death", year=TODAY.year - 1)
    with pytest.raises(NotFound):
        book_close(actor=officer, book=book)


def test_historic_book_carries_legacy_and_current_unit():
    unit = UnitFactory()
    book = historic_book(unit=unit, year=1979)
    assert book.unit.era == "o" and book.scope_unit == unit and book.is_historic
    assert Record.objects.count() == 0
