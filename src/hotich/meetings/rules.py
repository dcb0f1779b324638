"""The passing rule and the quorum, as pure functions (no database, no clock).

A People's Council passes a resolution with more than half of ALL its delegates (Law on the
Organization of Local Government, art. 97), not of those present; other bodies decide by more than
half of the members present unless the item names another rule. A meeting is quorate with at
least two thirds of its members present (the council's sessions and the party's cell meetings
alike).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotich.agencies.vocabulary import OrganizationKind
from hotich.meetings.vocabulary import Rule


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
