"""Deadlines in Vietnamese working days, on real 2026/2027 dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from hotich.core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday + 1: the weekend is skipped
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # Tết 2026: 16–20 Feb off, then a weekend
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),  # National Day 2026: 31 Aug (swapped), 1–2 Sep
        (D(2026, 4, 24), 3, D(2026, 5, 4)),  # Hùng Kings (observed 27 Apr), 30 Apr, 1 May
        (D(2027, 2, 3), 1, D(2027, 2, 11)),  # Tết 2027: 4–10 Feb
        (D(2027, 9, 1), 1, D(2027, 9, 6)),  # National Day 2027: 2–3 Sep, then a weekend
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # New Year's Day, then a weekend
        (D(2026, 3, 9), 0, D(2026, 3, 9)),
        (D(2026, 2, 23), -1, D(2026, 2, 13)),  # backwards across Tết
    ],
)
def test_add_working_days(start: dt.date, count: int, expected: dt.date) -> None:
    assert add_working_days(start, count) == expected


def test_holidays_and_weekends() -> None:
    assert not is_working_day(D(2026, 2, 17))  # Mùng 1 Tết Bính Ngọ
    assert not is_working_day(D(2026, 9, 2))
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert is_working_day(D(2026, 3, 10))
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == -5


def test_overrides_add_days_off_and_makeup_days() -> None:
    off = {D(2026, 3, 10): False}
    assert add_working_days(D(2026, 3, 9), 1, off) == D(2026, 3, 11)
    makeup = {D(2026, 3, 7): True}
    assert add_working_days(D(2026, 3, 6), 1, makeup) == D(2026, 3, 7)


@pytest.mark.django_db
def test_command_prints_the_date() -> None:
    out = io.StringIO()
    call_command("workdays", "add", "2026-02-13", "1", stdout=out)
    assert out.getvalue().strip() == "2026-02-23"


@pytest.mark.django_db
def test_command_uses_the_calendar_table() -> None:
    from hotich.portal.models import CalendarDay

    CalendarDay.objects.create(date=D(2026, 2, 23), is_working=False, note="nghỉ bù")
    out = io.StringIO()
    call_command("workdays", "add", "2026-02-13", "1", stdout=out)
    assert out.getvalue().strip() == "2026-02-24"


@pytest.mark.parametrize("args", [("2026-02-30", "1"), ("2026-02-13", "x"), ("26-2-13", "1")])
def test_command_refuses_bad_input(args: tuple[str, str]) -> None:
    with pytest.raises(CommandError):
        call_command("workdays", "add", *args)
