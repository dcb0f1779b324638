"""The annual rating: self-assessment, the cell's opinion, the committee's decision; the limits
after a discipline; organizations rated by the committee above; the history kept."""

from __future__ import annotations

import datetime as dt

import pytest

from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed
from hotich.party import services as s
from hotich.party.selectors import member_ratings, ratings_board
from hotich.party.tests.factories import committee, member

pytestmark = pytest.mark.django_db


def test_self_opinion_decision_and_the_limit_after_a_discipline(units, make_user):
    party = committee(units, make_user, cells=1)
    keeper, secretary = party.cell_secretaries[0], party.secretary
    lan = member(party.cells[0])
    rating = s.rating_self(actor=keeper, member=lan, year=2025, grade="excellent")
    with pytest.raises(Conflict):
        s.rating_self(actor=keeper, member=lan, year=2025, grade="good")
    with pytest.raises(Conflict):  # the decision waits for the cell's opinion
        s.rating_transition(actor=secretary, rating=rating, action="decide", grade="good")
    s.rating_transition(actor=keeper, rating=rating, action="review", grade="good")
    with pytest.raises(PermissionDenied):  # the cell does not decide for itself
        s.rating_transition(actor=keeper, rating=rating, action="decide", grade="good")
    s.distinction_add(
        actor=keeper, member=lan, kind="discipline", discipline="reprimand",
        title="Vi phạm", decided_on=dt.date(2025, 6, 1),
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        s.rating_transition(actor=secretary, rating=rating, action="decide", grade="good")
    rating = s.rating_transition(actor=secretary, rating=rating, action="decide", grade="fulfilled")
    assert (rating.self_grade, rating.review_grade, rating.decided_grade) == (
        "excellent", "good", "fulfilled",
    )  # fmt: skip
    assert [step.action for step in rating.steps.all()] == ["self", "review", "decide"]
    s.rating_self(actor=keeper, member=lan, year=2024, grade="good")
    assert [r.year for r in member_ratings(lan)] == [2025, 2024]


def test_a_cell_is_rated_by_the_committee_above(units, make_user):
    party = committee(units, make_user, cells=1)
    cell, keeper, secretary = party.cells[0], party.cell_secretaries[0], party.secretary
    rating = s.rating_self(actor=keeper, organization=cell, year=2025, grade="good")
    with pytest.raises(PermissionDenied):
        s.rating_transition(actor=keeper, rating=rating, action="review", grade="good")
    s.rating_transition(actor=secretary, rating=rating, action="review", grade="good")
    board = {r.label: r for r in ratings_board(secretary, party.organization, 2025)}
    assert board[cell.name].next_step == "decide"
    assert board[party.organization.name].next_step == "self"
