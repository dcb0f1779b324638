"""The passing rule, by properties: a People's Council resolution needs more than half of ALL
delegates; other items more than half of those present unless they say otherwise."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hotich.meetings.rules import Tally, effective_rule, passes, quorate
from hotich.meetings.vocabulary import Rule


@st.composite
def tallies(draw: st.DrawFn) -> Tally:
    members = draw(st.integers(min_value=1, max_value=500))
    present = draw(st.integers(min_value=0, max_value=members))
    yes = draw(st.integers(min_value=0, max_value=present))
    no = draw(st.integers(min_value=0, max_value=present - yes))
    abstain = draw(st.integers(min_value=0, max_value=present - yes - no))
    return Tally(yes, no, abstain, present, members)


@given(tallies())
def test_all_members_rule_is_more_than_half_of_all(t: Tally) -> None:
    assert passes(t, Rule.ALL_MEMBERS) == (2 * t.yes > t.members)


@given(tallies())
def test_present_rule_is_more_than_half_of_those_present(t: Tally) -> None:
    assert passes(t, Rule.PRESENT) == (t.present > 0 and 2 * t.yes > t.present)


@given(tallies())
def test_passing_by_all_members_passes_by_present(t: Tally) -> None:
    if passes(t, Rule.ALL_MEMBERS):
        assert passes(t, Rule.PRESENT)


@given(tallies())
def test_two_thirds_needs_two_thirds_of_all(t: Tally) -> None:
    assert passes(t, Rule.TWO_THIRDS) == (t.yes > 0 and 3 * t.yes >= 2 * t.members)


@given(tallies(), st.integers(min_value=1, max_value=10))
def test_one_more_vote_for_never_turns_a_pass_into_a_fail(t: Tally, rule_index: int) -> None:
    rule = [Rule.PRESENT, Rule.ALL_MEMBERS, Rule.TWO_THIRDS][rule_index % 3]
    if t.yes < t.present and passes(t, rule):
        assert passes(Tally(t.yes + 1, t.no, t.abstain, t.present, t.members), rule)


@given(tallies())
def test_absent_members_never_help(t: Tally) -> None:
    """Fewer members present can only make the all-delegates rule harder, never easier."""
    if not passes(t, Rule.ALL_MEMBERS):
        assert not passes(Tally(t.yes, t.no, t.abstain, t.present, t.members + 1), Rule.ALL_MEMBERS)


def test_the_body_decides_which_rule() -> None:
    council = dict(organization_kind="hdnd")
    assert effective_rule(rule=Rule.BODY, is_resolution=True, **council) == Rule.ALL_MEMBERS
    assert effective_rule(rule=Rule.BODY, is_resolution=False, **council) == Rule.PRESENT
    assert (
        effective_rule(rule=Rule.BODY, is_resolution=True, organization_kind="chi_bo")
        == Rule.PRESENT
    )
    assert (
        effective_rule(rule=Rule.TWO_THIRDS, is_resolution=True, organization_kind="chi_bo")
        == Rule.TWO_THIRDS
    )


def test_a_council_of_nine_with_four_for_of_seven_present() -> None:
    tally = Tally(yes=4, no=2, abstain=1, present=7, members=9)
    assert passes(tally, Rule.PRESENT) and not passes(tally, Rule.ALL_MEMBERS)


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=0, max_value=500))
def test_quorum_is_two_thirds(members: int, present: int) -> None:
    assert quorate(present=min(present, members), members=members) == (
        3 * min(present, members) >= 2 * members
    )
