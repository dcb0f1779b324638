"""The quarterly digital-signature report per agency: certificates issued and in force, outgoing
documents signed digitally and their share, the ranking and its commendations, on the office
statistics page and as XLSX; each agency sees its own row, the province's People's Committee
the whole tree."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from conftest import verified_client
from django.utils import timezone
from openpyxl import load_workbook

from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add
from hotich.agencies.vocabulary import Position
from hotich.documents.selectors_ranking import signature_ranking
from hotich.documents.tests.factories import outgoing_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from hotich.documents.vocabulary import Status
from hotich.signing.models import SigningIdentity

pytestmark = pytest.mark.django_db


def _certificate(user: Any, unit: Any, serial: str) -> SigningIdentity:
    now = timezone.now()
    return SigningIdentity.objects.create(
        usage="official", unit=unit, user=user, subject=f"CN={user}", issuer="CN=CA",
        serial=serial, not_before=now - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=365), cert_pem="-", backend="software", key_ref="k",
    )  # fmt: skip


def test_agencies_are_ranked_by_their_share_of_documents_signed_digitally(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
    make_user: Any,
) -> None:
    tree, province = office["tree"], units["province"]
    finance = office["outsider"].memberships.get().organization
    now = timezone.now()
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    n = iter(range(1, 100))

    def signed(org: Any, digital: bool, at: dt.datetime = now) -> None:
        outgoing_factory(
            province, organization=org, status=Status.ISSUED, signed_at=at,
            signed_digitally=digital, sequence=next(n), year=at.year,
        )  # fmt: skip

    for _ in range(4):
        signed(tree.justice, True)
    signed(tree.justice, False)  # signed on paper: 4 of 5, 80 %
    for _ in range(3):
        signed(finance, True)  # 3 of 3
    signed(finance, False, now - dt.timedelta(days=200))  # another quarter: not counted
    _certificate(office["leader"], province, "01")
    _certificate(office["head"], province, "02")  # a section's head counts for the agency
    _certificate(office["outsider"], province, "03").__class__.objects.filter(serial="03").update(
        revoked_at=now - dt.timedelta(hours=1)
    )

    chairman = make_user(Role.PROVINCE, province, full_name="Nguyễn Đức Trung")
    membership_add(
        actor=None, user=chairman, organization=tree.province, position=Position.CHAIRMAN
    )
    rows = signature_ranking(actor=chairman, year=today.year, quarter=quarter)
    got = [
        (r.rank, r.name, r.certificates_issued, r.certificates_in_force, r.outgoing, r.signed,
         r.share, r.commended)
        for r in rows
    ]  # fmt: skip
    assert got == [
        (1, "Sở Tài chính", 1, 0, 3, 3, 100.0, True),
        (2, tree.justice.name, 2, 2, 5, 4, 80.0, False),
    ]
    # an agency sees its own row only
    [own] = signature_ranking(actor=office["leader"], year=today.year, quarter=quarter)
    assert own.name == tree.justice.name and own.rank == 1

    client = verified_client(chairman)
    page = client.get("/thong-ke-van-phong/", {"year": today.year, "quarter": quarter})
    html = page.content.decode()
    assert "Xếp hạng ký số của quý" in html and "Đề nghị khen thưởng</strong>" in html
    answer = client.get(
        "/thong-ke-van-phong/xep-hang-ky-so.xlsx", {"year": today.year, "quarter": quarter}
    )
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ["Hạng", "Cơ quan"]
    assert values[1] == [1, "Sở Tài chính", 1, 0, 3, 3, 100, "Có"]
    assert values[2][1] == tree.justice.name and values[2][-1] is None
    # the whole year has no ranking; a bad quarter is not a page
    assert (
        "Xếp hạng ký số"
        not in client.get(
            "/thong-ke-van-phong/", {"year": today.year, "quarter": 0}
        ).content.decode()
    )
    assert client.get("/thong-ke-van-phong/xep-hang-ky-so.xlsx", {"year": 2026}).status_code == 404
