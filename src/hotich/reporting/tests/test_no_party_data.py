"""Party data never goes to the national reporting system: with party members in the unit, the
pushed payload names none of them and counts nothing of theirs; and no module of reporting
imports party (an import contract in pyproject.toml)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from hotich.accounts.vocabulary import Role
from hotich.party.tests.factories import committee, member
from hotich.reporting.adapters.national import NationalReportingClient
from hotich.reporting.periods import Period
from hotich.reporting.services import submission_push
from hotich.reporting.tests import fixture

pytestmark = pytest.mark.django_db


def test_the_push_carries_no_party_data(units, make_user, receiver) -> None:
    fixture.build(units)
    officer = make_user(Role.OFFICER, units["a"])
    party = committee(units, make_user, cells=1, unit="a")
    lan = member(
        party.cells[0],
        full_name="Đảng Viên Bímật",
        card_number="PX0000001",
        birth_date=dt.date(1975, 2, 3),
        personal_id="",
    )
    client = NationalReportingClient(receiver.url, retries=1, backoff=0, timeout=5)
    sub = submission_push(
        actor=officer, unit=officer.unit, period=Period("yearly", 2025), client=client,
        today=fixture.TODAY,
    )  # fmt: skip
    sent = json.dumps(receiver.reports[sub.receipt_id]["payload"], ensure_ascii=False)
    for secret in (lan.full_name, lan.card_number, party.cells[0].name, "party", "dang_vien"):
        assert secret not in sent
    assert sub.payload == receiver.reports[sub.receipt_id]["payload"]


def test_reporting_may_not_import_party() -> None:
    config = tomllib.loads(
        (Path(__file__).resolve().parents[4] / "pyproject.toml").read_text(encoding="utf-8")
    )
    contracts = config["tool"]["importlinter"]["contracts"]
    assert any(
        c["type"] == "forbidden"
        and "hotich.reporting" in c["source_modules"]
        and "hotich.party" in c["forbidden_modules"]
        for c in contracts
    )


def test_the_party_work_report_goes_up_the_party_tree_and_never_out(
    units, make_user, receiver, django_capture_on_commit_callbacks
) -> None:
    """A secret quarterly form assigned to a committee and its cell: the cell's secretary enters
    and submits it, the committee's secretary approves it (another committee's may not), and
    nothing is queued for, built for or sent to the national system; no one outside the party
    tree reads it."""
    from hotich.agencies.services import membership_add
    from hotich.core.errors import NotFound
    from hotich.reporting.adapters.national import SecretRefused
    from hotich.reporting.datasets import form_assign, form_report_act, form_save, value_save
    from hotich.reporting.exports import form_report_payload
    from hotich.reporting.models import FormReport, Indicator, Submission
    from hotich.reporting.services import form_report_push

    party = committee(units, make_user, cells=1, unit="a")
    keeper = make_user(Role.SIGNER, units["a"], full_name="Bí thư chi bộ ký")
    membership_add(actor=None, user=keeper, organization=party.cells[0], position="bi_thu")
    other = committee(units, make_user, cells=1, unit="a")
    Indicator.objects.create(
        code="DV_TONG", name="Tổng số đảng viên", value_type="integer",
        aggregation_units="sum", aggregation_time="last", is_secret=True,
    )  # fmt: skip
    form = form_save(actor=None, code="CTD-Q", name="Báo cáo công tác đảng", regime="quarterly",
                     indicators=["DV_TONG"], is_secret=True)  # fmt: skip
    form_assign(actor=None, form=form, organizations=[party.organization, party.cells[0]])
    today = dt.date(2026, 1, 20)
    args = {"form": form, "organization": party.cells[0], "period_code": "2025-Q4"}
    value_save(actor=keeper, indicator_code="DV_TONG", combo="", raw="31", today=today, **args)
    form_report_act(actor=keeper, action="submit", **args)
    with pytest.raises(NotFound):  # not the committee above this cell: not even seen
        form_report_act(actor=other.secretary, action="approve", **args)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        form_report_act(actor=party.secretary, action="approve", **args)
    report = FormReport.objects.get(form=form, organization=party.cells[0])
    assert report.status == "approved" and queued == []
    client = NationalReportingClient(receiver.url, retries=1, backoff=0, timeout=5)
    assert form_report_push(actor=None, report=report, client=client) is None
    with pytest.raises(SecretRefused):
        form_report_payload(report)
    assert not Submission.objects.exists() and receiver.requests == 0

    # the figures stay in the party tree: the commune's leader, who may read secret forms, does
    # not see the cell's report; the committee above it does
    from hotich.accounts.authz import permits
    from hotich.reporting.analytics import analytics_organizations
    from hotich.reporting.datasets import form_completeness, form_grid

    leader = make_user(Role.SIGNER, units["a"], full_name="Chủ tịch UBND xã")
    assert permits(leader, "reporting.secret")
    with pytest.raises(NotFound):
        form_grid(actor=leader, **args)
    assert form_completeness(actor=leader, form=form, period_code="2025-Q4") == []
    assert form_grid(actor=party.secretary, **args).organization == party.cells[0]
    assert {c.organization for c in form_completeness(
        actor=party.secretary, form=form, period_code="2025-Q4"
    )} == {party.organization, party.cells[0]}  # fmt: skip
    assert party.cells[0] not in analytics_organizations(leader)  # nor in the pivot
    assert party.cells[0] in analytics_organizations(party.secretary)
