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
