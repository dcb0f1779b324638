"""Historic records published from digitized books, and their withdrawal."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.core.errors import Conflict, NotFound, PermissionDenied
from hotich.registry.models import Person, Record
from hotich.registry.services import amendment_add, record_create
from hotich.registry.services.digitized import (
    digitized_record_publish,
    digitized_records_withdraw,
)
from hotich.registry.tests.factories import historic_book

pytestmark = pytest.mark.django_db

REGION = {"x": 0.0, "y": 0.1, "w": 1.0, "h": 0.3}


def _publish(actor: Any, book: Any, number: int = 1, image: int = 77) -> Record:
    return digitized_record_publish(
        actor=actor,
        book=book,
        entry_number=number,
        registration_date="1985-03",
        parties={"child": {"full_name": "Đinh Văn Sơn", "sex": "M", "birth_date": "1985"}},
        page_number=3,
        page_image_id=image,
        page_region=REGION,
    )


def test_publish_links_the_page_and_is_idempotent(units: Any, make_user: Any) -> None:
    book = historic_book(unit=units["b"])
    reviewer = make_user(Role.REVIEWER, units["b"])
    record = _publish(reviewer, book)
    assert record.is_historic and record.status == "registered" and record.entry_number == 1
    assert (record.page_number, record.page_image_id, record.page_region) == (3, 77, REGION)
    assert _publish(reviewer, book).pk == record.pk
    assert Record.objects.filter(book=book).count() == 1


def test_scope_and_permission(units: Any, make_user: Any) -> None:
    book = historic_book(unit=units["b"])
    with pytest.raises(NotFound):
        _publish(make_user(Role.REVIEWER, units["a"]), book)
    with pytest.raises(PermissionDenied):
        _publish(make_user(Role.CLERK, units["b"]), book)


def test_entry_number_taken_by_another_record(units: Any, make_user: Any) -> None:
    book = historic_book(unit=units["b"])
    record_create(
        actor=None,
        event_type="birth",
        registration_date="1985",
        parties={"child": {"full_name": "Lò Văn Pấng", "sex": "M", "birth_date": "1985"}},
        book=book,
        entry_number=1,
    )
    with pytest.raises(Conflict):
        _publish(None, book)


def test_withdraw_until_amended(units: Any, make_user: Any) -> None:
    book = historic_book(unit=units["b"])
    reviewer = make_user(Role.REVIEWER, units["b"])
    first, second = _publish(reviewer, book, 1, 70), _publish(reviewer, book, 2, 71)
    amendment_add(
        actor=make_user(Role.OFFICER, units["b"]),
        record=second,
        changes={"child.birth_place": "Xã Nghi Phú"},
        legal_basis="Quyết định 5/QĐ",
    )
    with pytest.raises(Conflict):
        digitized_records_withdraw(actor=reviewer, book=book, record_ids=[first.pk, second.pk])
    assert Record.objects.filter(book=book).count() == 2
    persons = Person.objects.count()
    assert digitized_records_withdraw(actor=reviewer, book=book, record_ids=[first.pk]) == 1
    assert not Record.objects.filter(pk=first.pk).exists()
    assert Person.objects.count() == persons - 1
