"""Per-clerk accuracy with the estimate of the errors both keyers made identically (never 100 %),
on a small dataset whose figures are worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.digitization import services
from hotich.digitization.models import Entry, EntryStatus, Keying
from hotich.digitization.selectors import clerk_stats, error_rate, undetected_errors
from hotich.digitization.tests.conftest import page_bytes

pytestmark = pytest.mark.django_db


def _entries(book: Any, people: Any, pairs: list[tuple[str, int, str, int]]) -> None:
    """One verified entry of 14 fields per ``(clerk, kept, partner, kept)``."""
    page = services.page_import(
        actor=people["clerk1"], book=book, name="p.png", data=page_bytes(9)
    ).pages[0]
    start = Entry.objects.filter(book=book).count()
    for number, (one, kept_one, two, kept_two) in enumerate(pairs, start + 1):
        entry = Entry.objects.create(
            book=book,
            scope_unit=book.scope_unit,
            page=page,
            entry_number=number,
            status=EntryStatus.VERIFIED,
        )
        for seq, (clerk, kept) in enumerate(((one, kept_one), (two, kept_two)), 1):
            Keying.objects.create(
                entry=entry, seq=seq, clerk=people[clerk], fields_total=14, fields_kept=kept
            )


def test_error_rate_never_zero() -> None:
    assert error_rate(1, 98) == 2 / 100
    assert error_rate(0, 98) == 1 / 100
    assert error_rate(0, 0) == 1 / 2


def test_a_pair_of_keyers_by_hand(book: Any, people: Any) -> None:
    # clerk1: 98 fields, 1 error found -> a = 2/100; clerk2: 98 fields, 4 errors -> b = 5/100.
    # Undetected for each: a * b = 0.001 (0.10 %).
    # clerk1: 97/98 - 0.001 = 0.98880 -> "≥ 98.8 %"; clerk2: 94/98 - 0.001 = 0.95818 -> 95.8 %.
    pairs = [("clerk1", 14, "clerk2", 14)] * 7
    pairs[0] = ("clerk1", 13, "clerk2", 13)
    pairs[1] = ("clerk1", 14, "clerk2", 13)
    pairs[2] = ("clerk1", 14, "clerk2", 12)
    _entries(book, people, pairs)
    stats = {s.username: s for s in clerk_stats(None)}
    one, two = stats[people["clerk1"].username], stats[people["clerk2"].username]
    assert (one.fields_total, one.fields_kept) == (98, 97)
    assert (two.fields_total, two.fields_kept) == (98, 94)
    assert one.undetected == pytest.approx(0.001)
    assert two.undetected == pytest.approx(0.001)
    assert one.accuracy_at_least == 98.8 and one.undetected_at_most == 0.1
    assert two.accuracy_at_least == 95.8 and two.undetected_at_most == 0.1


def test_partners_weighted_by_fields() -> None:
    # clerk 1 keys 4 entries with clerk 2 and 3 with clerk 3 (14 fields each): 98 fields, 1
    # error -> 2/100; clerk 2: 56 fields, 3 errors -> 4/58; clerk 3: 42 fields, 0 errors -> 1/44.
    rows = [(e, 1, 14, 14 - (e == 1)) for e in range(1, 8)]
    rows += [(e, 2, 14, 14 - (e == 1) - (e == 2) * 2) for e in range(1, 5)]
    rows += [(e, 3, 14, 14) for e in range(5, 8)]
    u = undetected_errors(rows)
    assert u[1] == pytest.approx(2 / 100 * (56 * 4 / 58 + 42 * 1 / 44) / 98)
    assert u[2] == pytest.approx(4 / 58 * 2 / 100)
    assert u[3] == pytest.approx(1 / 44 * 2 / 100)
    # A partner whose keying is outside the rows counts at the rate of all rows together.
    alone = undetected_errors([(1, 1, 10, 9), (2, 2, 10, 10), (2, 3, 10, 10)])
    assert alone[1] == pytest.approx(2 / 12 * (1 + 1) / (30 + 2))


def test_two_perfect_keyers_are_not_100_percent(book: Any, people: Any) -> None:
    _entries(book, people, [("clerk1", 14, "clerk2", 14)] * 7)
    stats = {s.username: s for s in clerk_stats(None)}
    one = stats[people["clerk1"].username]
    assert one.accuracy == 1.0  # fields kept: every one
    assert one.undetected == pytest.approx(1 / 100 * 1 / 100)
    assert one.accuracy_at_least == 99.9 and one.undetected_at_most == 0.01


def test_page_shows_the_bound_and_says_why(book: Any, people: Any, staff_client: Any) -> None:
    pairs = [("clerk1", 14, "clerk2", 14)] * 7
    pairs[0] = ("clerk1", 13, "clerk2", 13)
    pairs[1] = ("clerk1", 14, "clerk2", 13)
    pairs[2] = ("clerk1", 14, "clerk2", 12)
    _entries(book, people, pairs)
    html = staff_client(people["reviewer"]).get("/so-hoa/nhan-vien/").content.decode()
    assert "≥ 98,8 % (ước tính lỗi không phát hiện ≤ 0,10 %)" in html
    assert "≥ 95,8 % (ước tính lỗi không phát hiện ≤ 0,10 %)" in html
    assert "giống hệt nhau" in html
    assert "100%" not in html and "100 %" not in html
