"""The demo builder takes a book through every stage."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.digitization.demo import demo_digitized_book
from hotich.digitization.models import Entry, PageImage
from hotich.registry.models import Record

pytestmark = pytest.mark.django_db


def test_demo_book_published(book: Any, people: Any) -> None:
    counts = demo_digitized_book(
        book=book,
        clerks=(people["clerk1"], people["clerk2"]),
        reviewer=people["reviewer"],
        stage="published",
        pages=1,
        entries_per_page=2,
    )
    assert counts == {"pages": 1, "entries": 2}
    assert PageImage.objects.filter(book=book, derivatives="ready").count() == 1
    assert set(Entry.objects.filter(book=book).values_list("status", flat=True)) == {"published"}
    assert Record.objects.filter(book=book, is_historic=True).count() == 2


def test_demo_book_in_arbitration(book: Any, people: Any) -> None:
    demo_digitized_book(
        book=book,
        clerks=(people["clerk1"], people["clerk2"]),
        reviewer=people["reviewer"],
        stage="arbitration",
        pages=1,
        entries_per_page=2,
    )
    statuses = sorted(Entry.objects.filter(book=book).values_list("status", flat=True))
    assert statuses == ["arbitration", "verified"]
