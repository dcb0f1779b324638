"""Fees: the due by the rate of the member's category, a cell's month recorded and closed, the
share sent up the tree, the report by period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotich.core.errors import Conflict, FormInvalid, ValidationFailed
from hotich.party import services as s
from hotich.party.rules import fee_due, fee_split
from hotich.party.selectors import fee_ledger, fee_report
from hotich.party.tests.factories import committee, member


def test_the_due_follows_the_rate() -> None:
    assert fee_due(percent=Decimal("1"), fixed=0, minimum=0, base=6_240_000) == 62_500
    assert fee_due(percent=Decimal("0.5"), fixed=0, minimum=0, base=5_000_000) == 25_000
    assert fee_due(percent=Decimal("0"), fixed=5_000, minimum=0, base=9_000_000) == 5_000
    assert fee_due(percent=Decimal("1"), fixed=0, minimum=3_000, base=0) == 3_000


@given(st.integers(0, 10**9), st.integers(0, 100))
def test_a_split_adds_up(collected: int, percent: int) -> None:
    kept, sent = fee_split(collected, percent)
    assert kept + sent == collected and 0 <= kept <= collected


@pytest.mark.django_db
def test_a_month_from_the_cells_to_the_committee(units, make_user, client):
    party = committee(units, make_user, cells=2)
    lan = member(party.cells[0], fee_category="salaried", fee_base=8_000_000)
    hung = member(party.cells[0], fee_category="retired", fee_base=6_000_000)
    mai = member(party.cells[1], fee_category="other_member")
    keeper = party.cell_secretaries[0]
    ledger = fee_ledger(keeper, party.cells[0], "2026-10")
    assert [(r.due, r.paid) for r in ledger.rows] == [(80_000, None), (30_000, None)]
    with pytest.raises(FormInvalid):
        s.fees_collect(actor=keeper, cell=party.cells[0], period="2026-10", paid={mai.pk: 5000})
    s.fees_collect(
        actor=keeper, cell=party.cells[0], period="2026-10", paid={lan.pk: 80_000, hung.pk: 30_000}
    )
    with pytest.raises(Conflict):  # the committee waits for every cell
        s.fees_remit(actor=party.secretary, organization=party.organization, period="2026-10")
    sent = s.fees_remit(actor=keeper, organization=party.cells[0], period="2026-10")
    assert (sent.collected, sent.kept, sent.remitted, sent.to) == (
        110_000, 33_000, 77_000, party.organization,
    )  # fmt: skip
    with pytest.raises(Conflict):  # closed: no more changes
        s.fees_collect(actor=keeper, cell=party.cells[0], period="2026-10", paid={lan.pk: 0})
    other = party.cell_secretaries[1]
    s.fees_collect(actor=other, cell=party.cells[1], period="2026-10", paid={mai.pk: 5_000})
    s.fees_remit(actor=other, organization=party.cells[1], period="2026-10")
    top = s.fees_remit(actor=party.secretary, organization=party.organization, period="2026-10")
    assert (top.collected, top.to) == (77_000 + 3_500, None)
    assert top.remitted == 0 and top.kept == top.collected
    rows = fee_report(party.secretary, party.organization, "2026-01", "2026-12")
    report = {r.organization: r for r in rows}
    assert report[party.cells[1]].collected == 5_000 and report[party.organization].months == 1
    with pytest.raises(ValidationFailed):
        s.fees_collect(
            actor=keeper, cell=party.cells[0], period=f"{dt.date.today().year + 1}-01", paid={}
        )
