"""Handling deadlines in Vietnamese working days (weekends and public holidays skipped, the
``holidays`` package knowing Tết and the other lunar holidays).

The portal has the same rule with per-province overrides (``hotich.portal.workdays``), but the
portal sits above this context in the layers, so it cannot be imported here; the rule is small
enough to keep twice until it moves into ``hotich.core``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` (≥ 0) working days after ``start``."""
    day, left = start, max(count, 0)
    while left:
        day += ONE_DAY
        if is_working_day(day):
            left -= 1
    return day
