"""Rules of party membership that need no database: the end of probation, age and age band,
years of membership."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hotich.party.vocabulary import AGE_BANDS, FEE_ROUNDING, PROBATION_MONTHS


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month is its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def probation_ends(admitted_on: dt.date) -> dt.date:
    """The day the 12 months of probation are over: the cell must consider recognizing the
    member as official from then on."""
    return add_months(admitted_on, PROBATION_MONTHS)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_range(band: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The birth dates of the people in ``band`` on ``today``: (earliest, latest), None: open."""
    youngest, oldest = AGE_BANDS[band]
    latest = add_months(today, -12 * youngest) if youngest is not None else None
    earliest = None
    if oldest is not None:
        earliest = add_months(today, -12 * (oldest + 1)) + dt.timedelta(days=1)
    return earliest, latest


def age_band(birth_date: dt.date, today: dt.date) -> str:
    age = age_on(birth_date, today)
    for band, (youngest, oldest) in AGE_BANDS.items():
        if (youngest is None or age >= youngest) and (oldest is None or age <= oldest):
            return band
    raise AssertionError("bands cover every age")


def fee_due(*, percent: Decimal, fixed: int, minimum: int, base: int) -> int:
    """A member's monthly fee: ``percent`` of their income ``base`` rounded to the nearest
    ``FEE_ROUNDING`` đồng (halves up) and at least ``minimum``, or the ``fixed`` amount when the
    category has no percentage."""
    if percent <= 0:
        return fixed
    exact = Decimal(base) * percent / 100
    rounded = int((exact / FEE_ROUNDING).quantize(Decimal("1"), ROUND_HALF_UP)) * FEE_ROUNDING
    return max(rounded, minimum)


def fee_split(collected: int, kept_percent: int) -> tuple[int, int]:
    """(kept, sent up) of ``collected``: the kept share rounded down to the đồng, so that what
    goes up is never less than its share."""
    kept = collected * kept_percent // 100
    return kept, collected - kept


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_parse(text: str) -> tuple[int, int] | None:
    """``2026-11`` → (2026, 11); None when it is not a month."""
    parts = (text or "").strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    year, month = int(parts[0]), int(parts[1])
    return (year, month) if 1 <= month <= 12 and year >= 1930 else None


def badge_years(years: int) -> bool:
    """Whether ``years`` of membership earn a party badge: 30 and 40 years, then every five
    years from 45."""
    return years in (30, 40) or (years >= 45 and years % 5 == 0)


def badge_due(admitted_on: dt.date, occasion: dt.date) -> int | None:
    """The badge (in years of membership) a member admitted on ``admitted_on`` reached in the
    year up to ``occasion``, to be awarded then; None when there is none."""
    years = age_on(admitted_on, occasion)
    before = age_on(admitted_on, add_months(occasion, -12))
    return years if years > before and badge_years(years) else None
