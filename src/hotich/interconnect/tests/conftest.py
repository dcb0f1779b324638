from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.documents.services import document_create, document_transition
from hotich.interconnect.adapters.axis.http import HttpAxis
from hotich.interconnect.agencies import agency_of_unit


@pytest.fixture
def people(units: dict[str, Any], make_user: Any) -> dict[str, Any]:
    return {
        "officer": make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương"),
        "signer": make_user(Role.SIGNER, units["a"], full_name="Nguyễn Văn Hùng"),
        "officer_b": make_user(Role.OFFICER, units["b"], full_name="Lê Văn Nam"),
    }


@pytest.fixture
def codes(units: dict[str, Any]) -> dict[str, str]:
    return {key: agency_of_unit(unit).code for key, unit in units.items()}  # type: ignore[union-attr]


@pytest.fixture
def issued(people: dict[str, Any], units: dict[str, Any]) -> Any:
    document = document_create(
        actor=people["officer"],
        doc_type="CV",
        title="Về việc phối hợp số hóa sổ hộ tịch",
        body="Đề nghị Ủy ban nhân dân xã phối hợp số hóa sổ hộ tịch năm 2026.",
        recipient_unit_id=units["province"].pk,
    )
    for who, action in (("officer", "submit"), ("signer", "approve"), ("signer", "sign")):
        document_transition(actor=people[who], document=document, action=action)
    return document_transition(actor=people["officer"], document=document, action="issue")


@pytest.fixture
def axis() -> Iterator[HttpAxis]:
    from hotich.interconnect.adapters.axis.standin import serve_in_thread

    server, thread = serve_in_thread()
    try:
        yield HttpAxis(server.url, retries=2, backoff=0.0)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
