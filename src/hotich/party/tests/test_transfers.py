"""Transfers: the letter signed and sent through the e-office, the receiving cell accepts, the
record follows; a member is never in two cells nor in none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotich.core.errors import Conflict, FormInvalid, NotFound, PermissionDenied
from hotich.documents.models import Document
from hotich.party import services as s
from hotich.party.models import Member, Transfer
from hotich.party.selectors import member_get, members_list
from hotich.party.tests.factories import committee, member
from hotich.signing.verify import pdf_verify

pytestmark = pytest.mark.django_db


def test_an_official_transfer_from_letter_to_acceptance(units, make_user):
    party = committee(units, make_user, cells=1)
    other = committee(units, make_user, cells=1)
    sender, receiver = party.cell_secretaries[0], other.cell_secretaries[0]
    lan = member(party.cells[0], full_name="Trần Thị Lan")
    transfer = s.transfer_create(
        actor=sender, member=lan, to_cell=other.cells[0], kind="official", reason="Chuyển công tác"
    )
    with pytest.raises(NotFound):  # the receiving cell knows nothing of it yet: a draft
        s.transfer_transition(
            actor=make_user("signer", units["a"]), transfer=transfer, action="cancel_transfer"
        )
    with pytest.raises(PermissionDenied):
        s.transfer_transition(actor=receiver, transfer=transfer, action="sign_letter")
    with pytest.raises(Conflict):
        s.transfer_transition(actor=receiver, transfer=transfer, action="accept_transfer")
    transfer = s.transfer_transition(actor=sender, transfer=transfer, action="sign_letter")
    with pytest.raises(PermissionDenied):
        s.transfer_transition(actor=sender, transfer=transfer, action="accept_transfer")
    assert transfer.status == "sent" and transfer.letter_number.startswith("01-GGT/")
    incoming = Document.objects.get(pk=transfer.document_id)
    assert (incoming.direction, incoming.unit_id, incoming.organization_id) == (
        "in",
        other.cells[0].unit_id,
        other.cells[0].pk,
    )
    assert incoming.signature_valid is True
    with default_storage.open(incoming.file_path, "rb") as handle:
        report = pdf_verify(handle.read())
    assert len(report.signatures) == 2 and not report.problems
    assert report.verify_code == transfer.letter_signed.verify_code
    # not yet theirs: the receiving cell does not see the member's record before accepting
    with pytest.raises(NotFound):
        member_get(receiver, lan.pk)
    s.transfer_transition(actor=receiver, transfer=transfer, action="accept_transfer")
    lan.refresh_from_db()
    assert lan.cell == other.cells[0] and lan.attending is None
    assert list(members_list(receiver, other.cells[0])) == [lan]
    assert list(members_list(sender, party.cells[0])) == []


def test_a_temporary_transfer_keeps_the_membership(units, make_user):
    party = committee(units, make_user, cells=2)
    hung = member(party.cells[0])
    with pytest.raises(FormInvalid) as caught:
        s.transfer_create(
            actor=party.secretary,
            member=hung,
            to_cell=party.cells[1],
            kind="temporary",
            reason="Học",
        )
    assert "until" in caught.value.errors
    until = dt.date.today() + dt.timedelta(days=120)
    transfer = s.transfer_create(
        actor=party.secretary, member=hung, to_cell=party.cells[1], kind="temporary",
        reason="Đi học dài hạn", until=until,
    )  # fmt: skip
    with pytest.raises(FormInvalid):
        s.transfer_create(
            actor=party.secretary, member=hung, to_cell=party.cells[1], kind="official", reason="x"
        )
    s.transfer_transition(actor=party.secretary, transfer=transfer, action="sign_letter")
    s.transfer_transition(actor=party.secretary, transfer=transfer, action="accept_transfer")
    hung.refresh_from_db()
    assert (hung.cell, hung.attending) == (party.cells[0], party.cells[1])


def test_the_database_refuses_two_open_transfers_and_attending_ones_own_cell(units, make_user):
    party = committee(units, make_user, cells=2)
    hung = member(party.cells[0])
    s.transfer_create(
        actor=None, member=hung, to_cell=party.cells[1], kind="official", reason="Chuyển"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            member=hung, kind="official", from_cell=party.cells[0], to_cell=party.cells[1]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=hung.pk).update(attending=party.cells[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=hung.pk).update(cell=None)


ACTIONS = ["create", "sign_letter", "accept_transfer", "refuse_transfer", "cancel_transfer"]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 2),
        st.sampled_from(["official", "temporary"]),
    ),
    max_size=8,
)  # fmt: skip


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_whatever_happens_a_member_is_in_exactly_one_cell(units, make_user, steps):
    with transaction.atomic():
        party = committee(units, make_user, cells=3)
        hung = member(party.cells[0])
        for name, target, kind in steps:
            open_ = Transfer.objects.filter(member=hung, status__in=["draft", "sent"]).first()
            try:
                if name == "create":
                    s.transfer_create(
                        actor=party.secretary, member=hung, to_cell=party.cells[target],
                        kind=kind, reason="Chuyển", until=dt.date.today() + dt.timedelta(days=30),
                    )  # fmt: skip
                elif open_ is not None:
                    s.transfer_transition(
                        actor=party.secretary, transfer=open_, action=name, note="Lý do"
                    )
            except (FormInvalid, Conflict):
                pass
            hung.refresh_from_db()
            holding = [
                c for c in party.cells if members_list(party.secretary, c).filter(pk=hung.pk)
            ]
            assert holding == [hung.cell]
            assert hung.attending_id != hung.cell_id
            assert Transfer.objects.filter(member=hung, status__in=["draft", "sent"]).count() <= 1
        transaction.set_rollback(True)


def test_a_temporary_transfer_ends_and_the_member_returns(units, make_user):
    party = committee(units, make_user, cells=2)
    home, host = party.cell_secretaries
    hung = member(party.cells[0])
    transfer = s.transfer_create(
        actor=home, member=hung, to_cell=party.cells[1], kind="temporary",
        reason="Đi học dài hạn", until=dt.date.today() + dt.timedelta(days=90),
    )  # fmt: skip
    with pytest.raises(Conflict):  # not accepted yet
        s.transfer_transition(actor=host, transfer=transfer, action="end_temporary")
    s.transfer_transition(actor=home, transfer=transfer, action="sign_letter")
    s.transfer_transition(actor=host, transfer=transfer, action="accept_transfer")
    assert member_get(host, hung.pk) == hung
    transfer = s.transfer_transition(actor=host, transfer=transfer, action="end_temporary")
    hung.refresh_from_db()
    assert (hung.cell, hung.attending) == (party.cells[0], None)
    assert transfer.status == "member_returned" and transfer.returned_on == dt.date.today()
    with pytest.raises(NotFound):  # the host cell no longer sees the member
        member_get(host, hung.pk)
    with pytest.raises(Conflict):
        s.transfer_transition(actor=home, transfer=transfer, action="end_temporary")
    # an official transfer has nothing to end
    official = s.transfer_create(
        actor=home, member=hung, to_cell=party.cells[1], kind="official", reason="Chuyển"
    )
    s.transfer_transition(actor=home, transfer=official, action="sign_letter")
    s.transfer_transition(actor=host, transfer=official, action="accept_transfer")
    with pytest.raises(Conflict):
        s.transfer_transition(actor=host, transfer=official, action="end_temporary")


def test_the_letter_is_signed_for_the_committee_or_for_the_cell(units, make_user):
    from hotich.party.scope import signature_block
    from hotich.party.services.transfers import letter_html

    party = committee(units, make_user, cells=1)
    cell = party.cells[0]
    by_cell = signature_block(party.cell_secretaries[0], cell)
    by_committee = signature_block(party.secretary, cell)
    assert (by_cell.on_behalf, by_cell.position) == ("T/M CHI ỦY", "BÍ THƯ")
    assert (by_committee.on_behalf, by_committee.organization) == (
        "T/M ĐẢNG ỦY",
        party.organization,
    )
    transfer = s.transfer_create(
        actor=party.secretary, member=member(cell), to_cell=committee(units, make_user, cells=1)
        .cells[0], kind="official", reason="Chuyển công tác",
    )  # fmt: skip
    html = letter_html(transfer, number="01-GGT/X", code="c", signer="A", block=by_committee)
    assert "T/M ĐẢNG ỦY" in html and "T/M CHI ỦY" not in html
    assert party.organization.name.upper() in html
    html = letter_html(transfer, number="01-GGT/X", code="c", signer="A", block=by_cell)
    assert "T/M CHI ỦY" in html and "T/M ĐẢNG ỦY" not in html
