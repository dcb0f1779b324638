"""The passing rule and the quorum, as pure functions (no database, no clock).

A People's Council passes a resolution with more than half of ALL its delegates (Law on the
Organization of Local Government, art. 97), not of those present; other bodies decide by more than
half of the members present unless the item names another rule. A meeting is quorate with at
least two thirds of its members present (the council's sessions and the party's cell meetings
alike).

A party cell holds a regular meeting every month and a thematic one every quarter; a period
is missed when it ended without a meeting of that kind held with minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from hotich.agencies.vocabulary import OrganizationKind
from hotich.meetings.vocabulary import PeriodState, Rule


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    #: members present when the vote closed
    present: int
    #: members of the body (delegates), present or not
    members: int


def effective_rule(*, rule: str, organization_kind: str, is_resolution: bool) -> str:
    """The rule an item is decided by: its own, or the body's."""
    if rule != Rule.BODY:
        return rule
    if organization_kind == OrganizationKind.PEOPLES_COUNCIL and is_resolution:
        return Rule.ALL_MEMBERS
    return Rule.PRESENT


def votes_needed(rule: str, *, present: int, members: int) -> int:
    """The fewest votes for that pass under ``rule`` (an effective rule, not ``body``)."""
    if rule == Rule.PRESENT:
        return present // 2 + 1
    if rule == Rule.ALL_MEMBERS:
        return members // 2 + 1
    if rule == Rule.TWO_THIRDS:
        return -(-2 * members // 3)  # ceil(2 × members / 3)
    raise ValueError(rule)


def passes(tally: Tally, rule: str) -> bool:
    """Whether the item passes: enough votes for, and never when nobody counts."""
    if tally.members <= 0 or tally.yes <= 0:
        return False
    return tally.yes >= votes_needed(rule, present=tally.present, members=tally.members)


def quorum(*, present: int, members: int) -> int:
    """How many members make the meeting quorate: two thirds of them, rounded up."""
    return -(-2 * members // 3)


def quorate(*, present: int, members: int) -> bool:
    return members > 0 and present >= quorum(present=present, members=members)


# --- a party cell's schedule ---------------------------------------------------------------------


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def regular_period(year: int, month: int) -> str:
    """The period of a cell's regular meeting: ``2026-11``."""
    return f"{year:04d}-{month:02d}"


def thematic_period(year: int, quarter: int) -> str:
    """The period of a cell's thematic meeting: ``2026-Q4``."""
    return f"{year:04d}-Q{quarter}"


def first_working_day_from(
    day: dt.date, is_working: Callable[[dt.date], bool], *, limit: int = 31
) -> dt.date:
    """``day`` or the first working day after it (never more than ``limit`` days on)."""
    for offset in range(limit):
        candidate = day + dt.timedelta(days=offset)
        if is_working(candidate):
            return candidate
    return day


def period_state(
    *, held: bool, ends: dt.date, today: dt.date, tracked_from: dt.date | None = None
) -> str:
    """A period's state for a cell: held (a meeting held with minutes by its end), missed (it
    ended without one), due (not over yet), or untracked (it ended before the cell's first
    meeting on the platform, ``tracked_from``; none at all: nothing is tracked yet)."""
    if held:
        return PeriodState.HELD
    if tracked_from is None or ends < tracked_from:
        return PeriodState.UNTRACKED
    if today > ends:
        return PeriodState.MISSED
    return PeriodState.DUE
