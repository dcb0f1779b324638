from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.interconnect.demo import demo_interconnect
from hotich.interconnect.models import Package

pytestmark = pytest.mark.django_db


def test_the_demo_sends_one_document_between_two_agencies(units: dict[str, Any], make_user) -> None:
    demo_units = {"province": units["province"], "thanhvinh": units["a"], "quephong": units["b"]}
    for username, role, unit in (
        ("thanhvinh.hotich", Role.OFFICER, units["a"]),
        ("thanhvinh.chutich", Role.SIGNER, units["a"]),
        ("quephong.hotich", Role.OFFICER, units["b"]),
    ):
        user = make_user(role, unit)
        user.username = username
        user.save()
    assert demo_interconnect(units=demo_units) == 3
    sent = Package.objects.get(direction="out")
    assert sent.state == "04" and sent.to_code == "000.00.32.H41"
    assert list(sent.statuses.values_list("code", flat=True)) == ["01", "03", "04"]
    received = Package.objects.get(direction="in")
    assert received.document.unit == units["b"] and received.document.status == "assigned"
