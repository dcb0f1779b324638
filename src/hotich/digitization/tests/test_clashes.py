"""A digitized book whose entry numbers clash with records registered directly: the pairs side
by side, and each way out (supplementary book, same event, not published) as a real action."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hotich.core.errors import Conflict, ValidationFailed
from hotich.digitization import services
from hotich.digitization.models import Entry, EntryStatus
from hotich.digitization.selectors import book_clashes
from hotich.digitization.tests.test_keying_publish import _ready_book
from hotich.registry.models import Book, Record
from hotich.registry.services import record_create

pytestmark = pytest.mark.django_db


def _direct_record(book: Any, number: int) -> Record:
    """A record written into ``book`` directly (not from a scanned page) under ``number``."""
    return record_create(
        actor=None,
        event_type=book.event_type,
        registration_date="1985-04-02",
        parties={"child": {"full_name": "Trần Thị Lan", "sex": "F", "birth_date": "1985-03-30"}},
        data={},
        book=book,
        entry_number=number,
        legal_basis="Nhập trực tiếp",
    )


def _qa_done(book: Any, people: Any) -> None:
    sample = services.qa_draw_sample(book_state=services.digitized_book_for(book))
    for pk in sample:
        services.qa_check(actor=people["reviewer"], entry=Entry.objects.get(pk=pk), passed=True)


@pytest.fixture
def clashing(book: Any, people: Any) -> tuple[Any, Record]:
    _ready_book(book, people)
    _qa_done(book, people)
    return book, _direct_record(book, 1)


def test_publishing_a_clashing_book_shows_the_pairs(clashing: Any, people: Any) -> None:
    book, direct = clashing
    with pytest.raises(Conflict) as refused:
        services.book_publish(actor=people["reviewer"], book=book)
    assert refused.value.code == "entry_clash"
    clashes = book_clashes(people["reviewer"], book)
    assert [c.entry.entry_number for c in clashes] == [1]
    rows = {str(label): (paper, theirs) for label, paper, theirs in clashes[0].rows}
    assert rows["Ngày đăng ký"] == ("12/03/1985", "02/04/1985")
    assert any(
        theirs == "Trần Thị Lan" and paper == "Nguyễn Văn An" for paper, theirs in rows.values()
    )
    assert clashes[0].record == direct


def test_renumber_into_a_supplementary_book(clashing: Any, people: Any) -> None:
    book, direct = clashing
    entry = Entry.objects.get(book=book, entry_number=1)
    services.entry_clash_resolve(actor=people["reviewer"], entry=entry, way="supplement")
    assert services.book_publish(actor=people["reviewer"], book=book) == 2
    supplement = Book.objects.get(unit=book.unit, year=book.year, volume=book.volume + 1)
    assert supplement.is_historic
    moved = Record.objects.get(book=supplement)
    assert moved.entry_number == 1 and moved.page_image_id == entry.page_id
    assert Record.objects.get(book=book, entry_number=1) == direct
    # Withdrawing the book takes the supplementary record back too, never the direct one.
    assert services.book_unpublish(actor=people["reviewer"], book=book) == 2
    assert list(Record.objects.filter(book__in=[book, supplement])) == [direct]


def test_link_as_the_same_event(clashing: Any, people: Any) -> None:
    book, direct = clashing
    entry = Entry.objects.get(book=book, entry_number=1)
    services.entry_clash_resolve(actor=people["reviewer"], entry=entry, way="linked")
    assert services.book_publish(actor=people["reviewer"], book=book) == 1
    entry.refresh_from_db()
    assert entry.record_id == direct.pk and entry.status == EntryStatus.PUBLISHED
    assert Record.objects.filter(book=book).count() == 2
    assert services.book_unpublish(actor=people["reviewer"], book=book) == 1
    assert Record.objects.filter(pk=direct.pk).exists()


def test_withdraw_the_digitized_entry(clashing: Any, people: Any) -> None:
    book, direct = clashing
    entry = Entry.objects.get(book=book, entry_number=1)
    services.entry_clash_resolve(actor=people["reviewer"], entry=entry, way="withdrawn")
    assert services.book_publish(actor=people["reviewer"], book=book) == 1
    entry.refresh_from_db()
    assert entry.record_id is None and entry.status == EntryStatus.VERIFIED
    assert list(Record.objects.filter(book=book, entry_number=1)) == [direct]


def test_a_way_out_only_for_a_real_clash(clashing: Any, people: Any) -> None:
    book, _direct = clashing
    other = Entry.objects.get(book=book, entry_number=2)
    with pytest.raises(Conflict):
        services.entry_clash_resolve(actor=people["reviewer"], entry=other, way="linked")
    entry = Entry.objects.get(book=book, entry_number=1)
    with pytest.raises(ValidationFailed):
        services.entry_clash_resolve(actor=people["reviewer"], entry=entry, way="merge")


def test_book_page_offers_the_ways_out(staff_client: Any, clashing: Any, people: Any) -> None:
    book, direct = clashing
    client = staff_client(people["reviewer"])
    page = client.get(reverse("digitization:book", args=[book.pk])).content.decode()
    assert 'data-clash="1"' in page and "Trần Thị Lan" in page and "Nguyễn Văn An" in page
    entry = Entry.objects.get(book=book, entry_number=1)
    url = reverse("digitization:clash_resolve", args=[book.pk, entry.pk])
    for way in ("supplement", "linked", "withdrawn"):
        assert f'value="{way}"' in page
    response = client.post(url, {"way": "linked"})
    assert response.status_code == 302 and response["Location"].endswith("#clashes")
    entry.refresh_from_db()
    assert entry.clash == "linked"
    client.post(reverse("digitization:publish", args=[book.pk]))
    entry.refresh_from_db()
    assert entry.record_id == direct.pk
