from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.documents.services import document_create, document_transition
from hotich.interconnect.adapters.axis.http import HttpAxis


@pytest.fixture
def people(units: dict[str, Any], make_user: Any) -> dict[str, Any]:
    return {
        "officer": make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương"),
        "signer": make_user(Role.SIGNER, units["a"], full_name="Nguyễn Văn Hùng"),
        "officer_b": make_user(Role.OFFICER, units["b"], full_name="Lê Văn Nam"),
    }


@pytest.fixture
def agencies(units: dict[str, Any]) -> dict[str, Any]:
    """The province's People's Committee with its Department of Justice (and a section of it)
    and the People's Committees of two communes."""
    from hotich.agencies.services import organization_create
    from hotich.agencies.vocabulary import OrganizationKind as K

    def make(code: str, name: str, kind: str, unit: str, parent: Any = None) -> Any:
        return organization_create(
            actor=None, code=code, name=name, kind=kind, unit=units[unit], parent=parent
        )

    province = make(
        "000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", K.PEOPLES_COMMITTEE, "province"
    )
    justice = make("000.00.07.H41", "Sở Tư pháp", K.DEPARTMENT, "province", province)
    make("000.01.07.H41", "Văn phòng Sở Tư pháp", K.SECTION, "province", justice)
    a = make(
        "000.00.31.H41", "Ủy ban nhân dân phường Thành Vinh", K.PEOPLES_COMMITTEE, "a", province
    )
    b = make("000.00.32.H41", "Ủy ban nhân dân xã Quế Phong", K.PEOPLES_COMMITTEE, "b", province)
    return {"province": province, "justice": justice, "a": a, "b": b}


@pytest.fixture
def codes(agencies: dict[str, Any]) -> dict[str, str]:
    return {key: organization.code for key, organization in agencies.items()}


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
    client = HttpAxis(server.url, retries=2, backoff=0.0)
    try:
        yield client
    finally:
        client.close()
        server.shutdown()
        server.server_close()
        thread.join(5)
