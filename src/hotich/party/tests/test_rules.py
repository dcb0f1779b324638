"""The end of probation, ages and age bands."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hotich.party.rules import age_band, age_on, badge_due, badge_years, birth_range, probation_ends
from hotich.party.vocabulary import AgeBand


def test_probation_ends_twelve_months_after_admission() -> None:
    assert probation_ends(dt.date(2025, 3, 15)) == dt.date(2026, 3, 15)
    assert probation_ends(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def test_ages_and_bands() -> None:
    today = dt.date(2026, 12, 6)
    assert age_on(dt.date(1996, 12, 7), today) == 29
    assert age_band(dt.date(1996, 12, 7), today) == AgeBand.UNDER_30
    assert age_band(dt.date(1996, 12, 6), today) == AgeBand.FROM_30
    assert age_band(dt.date(1965, 12, 6), today) == AgeBand.OVER_60


@given(
    st.dates(dt.date(1930, 1, 1), dt.date(2008, 12, 31)),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
)
def test_a_birth_date_lies_in_the_range_of_its_band(birth: dt.date, today: dt.date) -> None:
    earliest, latest = birth_range(age_band(birth, today), today)
    assert earliest is None or earliest <= birth
    assert latest is None or birth <= latest
    for other in AgeBand.values:
        if other != age_band(birth, today):
            low, high = birth_range(other, today)
            assert not ((low is None or low <= birth) and (high is None or birth <= high))


def test_badges_are_due_in_the_year_a_milestone_is_reached() -> None:
    occasion = dt.date(2027, 2, 3)
    assert badge_due(dt.date(1997, 1, 10), occasion) == 30
    assert badge_due(dt.date(1997, 2, 3), occasion) == 30
    assert badge_due(dt.date(1997, 2, 4), occasion) is None  # reaches 30 after the occasion
    assert badge_due(dt.date(1996, 1, 10), occasion) is None  # 30 a year ago, 31 now
    assert badge_due(dt.date(1987, 1, 10), occasion) == 40
    assert badge_due(dt.date(1982, 1, 10), occasion) == 45
    assert badge_due(dt.date(1992, 1, 10), occasion) is None  # 35 years: no badge
    assert [y for y in range(25, 81) if badge_years(y)] == [30, 40, 45, 50, 55, 60, 65, 70, 75, 80]
