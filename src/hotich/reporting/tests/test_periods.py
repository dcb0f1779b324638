from __future__ import annotations

import datetime as dt
import itertools

import pytest

from hotich.core.errors import ValidationFailed
from hotich.reporting.definitions import deadline_calendar, get_definition
from hotich.reporting.periods import Period, period_containing, periods_of_year

D = dt.date


@pytest.mark.parametrize(
    ("regime", "index", "start", "end", "code"),
    [
        ("monthly", 1, D(2024, 12, 15), D(2025, 1, 14), "2025-M01"),
        ("monthly", 3, D(2025, 2, 15), D(2025, 3, 14), "2025-M03"),
        ("quarterly", 1, D(2024, 12, 15), D(2025, 3, 14), "2025-Q1"),
        ("quarterly", 4, D(2025, 9, 15), D(2025, 12, 14), "2025-Q4"),
        ("half_yearly", 1, D(2024, 12, 15), D(2025, 6, 14), "2025-H1"),
        ("half_yearly", 2, D(2025, 6, 15), D(2025, 12, 14), "2025-H2"),
        ("yearly", 1, D(2024, 12, 15), D(2025, 12, 14), "2025-Y"),
    ],
)
def test_decree_09_cut_offs(regime, index, start, end, code) -> None:
    period = Period(regime, 2025, index)
    assert (period.start, period.end, period.code) == (start, end, code)
    assert Period.parse(code) == period


def test_periods_tile_the_year_without_gaps() -> None:
    for regime in ("monthly", "quarterly", "half_yearly"):
        periods = periods_of_year(regime, 2025)
        assert periods[0].start == D(2024, 12, 15) and periods[-1].end == D(2025, 12, 14)
        for left, right in itertools.pairwise(periods):
            assert right.start == left.end + dt.timedelta(days=1)


def test_period_containing_and_has_ended() -> None:
    assert period_containing("yearly", D(2025, 12, 15)).code == "2026-Y"
    assert period_containing("yearly", D(2025, 12, 14)).code == "2025-Y"
    assert period_containing("quarterly", D(2025, 3, 15)).code == "2025-Q2"
    assert period_containing("monthly", D(2025, 1, 14)).code == "2025-M01"
    period = Period("yearly", 2025)
    assert not period.has_ended(D(2025, 12, 14)) and period.has_ended(D(2025, 12, 15))


def test_configurable_cut_off_and_deadline(settings) -> None:
    settings.HOTICH_REPORTING = {"civil_status": {"cutoff_day": 20, "deadline_days": {"yearly": 3}}}
    definition = get_definition("civil_status")
    period = definition.period("yearly", 2025)
    assert (period.start, period.end) == (D(2024, 12, 20), D(2025, 12, 19))
    assert definition.deadline(period) == D(2025, 12, 22)
    assert definition.deadline(definition.period("quarterly", 2025, 1)) == D(2025, 3, 24)


def test_bad_periods_get_clear_messages() -> None:
    with pytest.raises(ValidationFailed, match="từ 1 đến 4"):
        Period("quarterly", 2025, 5)
    with pytest.raises(ValidationFailed, match="không hợp lệ"):
        Period.parse("2025-X9")
    with pytest.raises(ValidationFailed, match="không hợp lệ"):
        Period("weekly", 2025)


def test_deadline_calendar() -> None:
    rows = deadline_calendar(2025)
    assert len(rows) == 12 + 4 + 2 + 1
    assert rows == sorted(rows, key=lambda r: (r.deadline, r.period.months))
    yearly = next(r for r in rows if r.period.regime == "yearly")
    assert yearly.deadline == D(2025, 12, 24)
    assert yearly.status(D(2025, 12, 1)) == "open"
    assert yearly.status(D(2025, 12, 20)) == "due"
    assert yearly.status(D(2025, 12, 25)) == "overdue"
