"""Vietnamese working days: weekends and public holidays (the ``holidays`` package, which knows
Tết and the other lunar holidays and the government's substituted days off) are skipped.

Every deadline in working days uses these (the portal's dossiers, the official documents'
handling). The pure functions take an optional ``overrides`` map ``date → is_working`` so that a
province can declare extra days off or make-up working days (the portal's ``CalendarDay`` rows,
loaded by :func:`hotich.portal.selectors.calendar_overrides`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

import holidays

COUNTRY = "VN"
ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(COUNTRY, years=[year]).keys())


def holiday_name(day: dt.date) -> str:
    return str(holidays.country_holidays(COUNTRY, years=[day.year]).get(day) or "")


def is_working_day(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(
    start: dt.date, count: int, overrides: Mapping[dt.date, bool] | None = None
) -> dt.date:
    """The date ``count`` working days after ``start`` (before it when negative); ``start``
    itself when ``count`` is 0."""
    step = ONE_DAY if count >= 0 else -ONE_DAY
    day, left = start, abs(count)
    while left:
        day += step
        if is_working_day(day, overrides):
            left -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, overrides: Mapping[dt.date, bool] | None = None
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start, overrides)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, overrides):
            count += 1
    return count
