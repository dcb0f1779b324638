"""Double keying, arbitration, QA, publishing into the register and undoing it."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed
from hotich.digitization import services
from hotich.digitization.fields import normalize
from hotich.digitization.models import Entry, EntryStatus
from hotich.digitization.selectors import clerk_stats, entry_next_for_keying, qa_pending
from hotich.digitization.tests.conftest import keyed, page_bytes
from hotich.registry.models import Record

pytestmark = pytest.mark.django_db


def _entry(book: Any, people: Any, number: int = 1, seed: int = 20) -> Entry:
    page = services.page_import(
        actor=people["clerk1"], book=book, name=f"p{seed}.png", data=page_bytes(seed)
    ).pages[0]
    return services.entry_mark(
        actor=people["clerk1"],
        page=page,
        entry_number=number,
        region={"x": 0.05, "y": 0.1, "w": 0.9, "h": 0.3},
    )


BASE = {
    "registration_date": "12/3/1985",
    "child__full_name": "Nguyễn Văn An",
    "child__sex": "Nam",
    "child__birth_date": "1985-03-10",
    "child__birth_place": "Xã Nghi Phú",
    "father__full_name": "Nguyễn Văn Bình",
    "mother__full_name": "!illegible",
}


def test_normalization() -> None:
    assert normalize({"v": " nguyễn  văn AN", "m": ""}) == normalize(
        {"v": "Nguyễn Văn An", "m": ""}
    )
    # NFD input (decomposed diacritics) agrees with NFC
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Hằng")
    assert normalize({"v": nfd, "m": ""}) == normalize({"v": "Hằng", "m": ""})
    assert normalize({"v": "", "m": "blank"}) != normalize({"v": "", "m": "illegible"})


def test_agreeing_keyings_are_verified(book: Any, people: Any) -> None:
    entry = _entry(book, people)
    services.keying_submit(actor=people["clerk1"], entry=entry, values=keyed(**BASE))
    second = {**BASE, "child__full_name": "nguyễn  văn an"}
    services.keying_submit(actor=people["clerk2"], entry=entry, values=keyed(**second))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED
    assert entry.values["registration_date"]["v"] == "1985-03-12"
    assert entry.values["child.sex"]["v"] == "M"
    assert entry.values["mother.full_name"] == {"v": "", "m": "illegible"}


def test_same_clerk_cannot_key_twice_and_is_not_offered_again(book: Any, people: Any) -> None:
    entry = _entry(book, people)
    services.keying_submit(actor=people["clerk1"], entry=entry, values=keyed(**BASE))
    with pytest.raises(Conflict):
        services.keying_submit(actor=people["clerk1"], entry=entry, values=keyed(**BASE))
    assert entry_next_for_keying(people["clerk1"], book) is None
    assert entry_next_for_keying(people["clerk2"], book) == entry


def test_bad_date_is_refused(book: Any, people: Any) -> None:
    entry = _entry(book, people)
    with pytest.raises(ValidationFailed) as caught:
        services.keying_submit(
            actor=people["clerk1"],
            entry=entry,
            values=keyed(**{**BASE, "child__birth_date": "30/2/1985"}),
        )
    assert caught.value.field == "child.birth_date"
    assert not entry.keyings.exists()


def _through_arbitration(book: Any, people: Any, number: int = 1, seed: int = 20) -> Entry:
    entry = _entry(book, people, number, seed)
    services.keying_submit(actor=people["clerk1"], entry=entry, values=keyed(**BASE))
    other = {**BASE, "father__full_name": "Nguyễn Văn Bính"}
    services.keying_submit(actor=people["clerk2"], entry=entry, values=keyed(**other))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ARBITRATION
    assert list(entry.decisions.values_list("field", flat=True)) == ["father.full_name"]
    with pytest.raises(PermissionDenied):  # clerks do not arbitrate
        services.entry_arbitrate(
            actor=people["clerk1"], entry=entry, decisions={"father.full_name": ("first", None)}
        )
    services.entry_arbitrate(
        actor=people["reviewer"], entry=entry, decisions={"father.full_name": ("second", None)}
    )
    entry.refresh_from_db()
    return entry


def test_arbitration_and_clerk_accuracy(book: Any, people: Any) -> None:
    entry = _through_arbitration(book, people)
    assert entry.status == EntryStatus.VERIFIED
    assert entry.values["father.full_name"]["v"] == "Nguyễn Văn Bính"
    stats = {s.username: s for s in clerk_stats(None)}
    one, two = stats[people["clerk1"].username], stats[people["clerk2"].username]
    assert two.accuracy == 1.0
    assert one.fields_total - one.fields_kept == 1


def test_third_value_from_the_arbitrator(book: Any, people: Any) -> None:
    entry = _entry(book, people)
    services.keying_submit(actor=people["clerk1"], entry=entry, values=keyed(**BASE))
    services.keying_submit(
        actor=people["clerk2"],
        entry=entry,
        values=keyed(**{**BASE, "child__birth_place": "Nghi Phu"}),
    )
    services.entry_arbitrate(
        actor=people["reviewer"],
        entry=entry,
        decisions={"child.birth_place": ("third", {"v": "Xã Nghi Phú, huyện Nghi Lộc", "m": ""})},
    )
    entry.refresh_from_db()
    assert entry.values["child.birth_place"]["v"] == "Xã Nghi Phú, huyện Nghi Lộc"


def _ready_book(book: Any, people: Any) -> list[Entry]:
    entries = [_through_arbitration(book, people, n, 30 + n) for n in (1, 2)]
    services.book_settings_update(
        actor=people["reviewer"], book=book, qa_share=0.5, closing_pages=2, closing_entries=2
    )
    return entries


def test_publish_requires_qa_then_creates_historic_records(book: Any, people: Any) -> None:
    _ready_book(book, people)
    with pytest.raises(Conflict):
        services.book_publish(actor=people["reviewer"], book=book)
    state = services.digitized_book_for(book)
    sample = services.qa_draw_sample(book_state=state)
    assert len(sample) == 1
    services.qa_check(actor=people["reviewer"], entry=Entry.objects.get(pk=sample[0]), passed=True)
    assert not qa_pending(book).exists()
    assert services.book_publish(actor=people["reviewer"], book=book) == 2
    records = Record.objects.filter(book=book).order_by("entry_number")
    assert [r.entry_number for r in records] == [1, 2]
    first = records[0]
    entry = Entry.objects.get(book=book, entry_number=1)
    assert first.is_historic and first.status == "registered"
    assert first.page_image_id == entry.page_id and first.page_region == entry.region
    assert first.page_number == entry.page.number
    assert first.parties.get(role="child").as_written["full_name"] == "Nguyễn Văn An"
    # Idempotent
    assert services.book_publish(actor=people["reviewer"], book=book) == 0
    assert Record.objects.filter(book=book).count() == 2
    # Undo, then publish again
    assert services.book_unpublish(actor=people["reviewer"], book=book) == 2
    assert not Record.objects.filter(book=book).exists()
    assert services.book_publish(actor=people["reviewer"], book=book) == 2


def test_undo_refused_after_an_amendment(book: Any, people: Any) -> None:
    from hotich.registry.services import amendment_add

    _ready_book(book, people)
    sample = services.qa_draw_sample(book_state=services.digitized_book_for(book))
    services.qa_check(actor=people["reviewer"], entry=Entry.objects.get(pk=sample[0]), passed=True)
    services.book_publish(actor=people["reviewer"], book=book)
    record = Record.objects.filter(book=book).first()
    assert record is not None
    amendment_add(
        actor=people["officer"],
        record=record,
        changes={"child.birth_place": "Xã Nghi Phú, Nghi Lộc"},
        legal_basis="Quyết định cải chính số 1/QĐ",
    )
    with pytest.raises(Conflict):
        services.book_unpublish(actor=people["reviewer"], book=book)
    assert Record.objects.filter(book=book).count() == 2


def test_failed_qa_corrects_and_widens_the_sample(book: Any, people: Any) -> None:
    _ready_book(book, people)
    sample = services.qa_draw_sample(book_state=services.digitized_book_for(book))
    entry = Entry.objects.get(pk=sample[0])
    services.qa_check(
        actor=people["reviewer"],
        entry=entry,
        passed=False,
        corrections=keyed(child__full_name="Nguyễn Văn Ân"),
    )
    entry.refresh_from_db()
    assert entry.values["child.full_name"]["v"] == "Nguyễn Văn Ân"
    assert Entry.objects.filter(book=book, qa_sampled=True).count() == 2
    assert qa_pending(book).count() == 1


def test_publish_refused_when_totals_do_not_match(book: Any, people: Any) -> None:
    _ready_book(book, people)
    services.book_settings_update(
        actor=people["reviewer"], book=book, qa_share=1, closing_pages=2, closing_entries=3
    )
    state = services.digitized_book_for(book)
    for pk in services.qa_draw_sample(book_state=state):
        services.qa_check(actor=people["reviewer"], entry=Entry.objects.get(pk=pk), passed=True)
    with pytest.raises(Conflict) as caught:
        services.book_publish(actor=people["reviewer"], book=book)
    assert "thiếu 1" in str(caught.value)
    assert not Record.objects.filter(book=book).exists()
