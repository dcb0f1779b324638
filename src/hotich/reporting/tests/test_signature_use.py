"""Quarterly signature-use ranking: the form KSO-Q of the indicator engine, its computed
indicators read from hotich.signing.selectors.signature_counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hotich.accounts.vocabulary import Role
from hotich.core.errors import PermissionDenied, ValidationFailed
from hotich.reporting.signature_use import signature_ranking

pytestmark = pytest.mark.django_db


def _signed(unit, kind: str, when: dt.datetime, signer=None) -> None:
    from hotich.signing.models import SignedDocument

    n = SignedDocument.objects.count()
    SignedDocument.objects.create(
        verify_code=f"code{n}", kind=kind, title="Trích lục", unit=unit, source_type="test",
        source_id=str(n), sha256="0" * 64, size=1, signed_at=when, signed_by=signer,
    )  # fmt: skip


@pytest.fixture
def signed(units, make_user):
    tz = timezone.get_current_timezone()
    q3 = dt.datetime(2026, 8, 10, 9, tzinfo=tz)
    a, b = units["a"], units["b"]
    s1, s2 = make_user(Role.SIGNER, a), make_user(Role.SIGNER, a)
    for signer in (s1, s1, s2):
        _signed(a, "extract", q3, signer)
    _signed(a, "birth_certificate", q3, s1)
    for _i in range(4):
        _signed(b, "extract", q3)
    _signed(units["province"], "report", q3)
    _signed(a, "extract", dt.datetime(2026, 10, 1, 0, 30, tzinfo=tz))  # Q4
    _signed(a, "extract", dt.datetime(2026, 6, 30, 23, 30, tzinfo=tz))  # Q2
    _signed(units["other_province"], "extract", q3)  # outside Nghệ An


NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


def test_ranking_of_the_province(units, signed, make_user) -> None:
    ranking = signature_ranking(
        actor=make_user(Role.PROVINCE, units["province"]), unit=units["province"],
        year=2026, quarter=3, now=NOW,
    )  # fmt: skip
    rows = [(r.rank, r.unit_name, r.total, r.signers, r.by_kind) for r in ranking.rows]
    assert rows == [
        (1, "Phường Thành Vinh", 4, 2, {"birth_certificate": 1, "extract": 3}),
        (1, "Xã Quế Phong", 4, 0, {"extract": 4}),
        (3, "Tỉnh Nghệ An", 1, 0, {"report": 1}),
    ]
    assert ranking.total == 9
    assert (ranking.start, ranking.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert ranking.kinds == ["birth_certificate", "extract", "report"]
    assert ranking.kind_names["birth_certificate"] == "Giấy khai sinh"


def test_a_kind_the_category_does_not_list_counts_as_another_kind(units, make_user) -> None:
    tz = timezone.get_current_timezone()
    _signed(units["b"], "extract", dt.datetime(2026, 8, 1, 9, tzinfo=tz))
    _signed(units["b"], "paper_of_a_new_kind", dt.datetime(2026, 8, 2, 9, tzinfo=tz))
    ranking = signature_ranking(
        actor=make_user(Role.OFFICER, units["b"]), unit=units["b"], year=2026, quarter=3, now=NOW
    )
    assert [(r.total, r.by_kind) for r in ranking.rows] == [(2, {"extract": 1, "KHAC": 1})]
    assert ranking.kind_names["KHAC"] == "Loại khác"


def test_commune_sees_its_own_row_only(units, signed, make_user) -> None:
    officer = make_user(Role.OFFICER, units["b"])
    ranking = signature_ranking(actor=officer, unit=units["b"], year=2026, quarter=3, now=NOW)
    assert [(r.unit_name, r.total) for r in ranking.rows] == [("Xã Quế Phong", 4)]
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        signature_ranking(actor=officer, unit=units["province"], year=2026, quarter=3, now=NOW)
    with pytest.raises(ValidationFailed, match="chưa kết thúc"):
        signature_ranking(actor=officer, unit=units["b"], year=2026, quarter=4, now=NOW)


def test_a_year_out_of_range_is_named_as_the_year(units, make_user) -> None:
    officer = make_user(Role.OFFICER, units["b"])
    with pytest.raises(ValidationFailed, match="Năm phải từ 2000 đến 2999") as refused:
        signature_ranking(actor=officer, unit=units["b"], year=99999, quarter=1, now=NOW)
    assert refused.value.field == "year"


def test_page(units, signed, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    html = client.get("/bao-cao/chu-ky-so/?year=2026&quarter=3").content.decode()
    assert "Phường Thành Vinh" in html and "Không có văn bản" not in html
    assert (
        '<th scope="col">Trích lục hộ tịch</th>' in html
        and '<th scope="col">extract</th>' not in html
    )
    default = client.get("/bao-cao/chu-ky-so/").content.decode()
    today = timezone.localdate()
    ended = (today.month - 1) // 3 or 4
    year = today.year if ended != 4 or today.month > 3 else today.year - 1
    assert f"Đang xem quý {ended} năm {year}, quý đã kết thúc gần nhất" in default
    early = client.get("/bao-cao/chu-ky-so/?year=2099&quarter=1")
    assert early.status_code == 400 and "chưa kết thúc" in early.content.decode()


def test_api(units, signed, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    rows = client.get("/api/v1/reporting/signature-use?year=2026&quarter=3").json()
    assert rows == [
        {"rank": 1, "unit_id": units["a"].pk, "unit": "Phường Thành Vinh", "total": 4,
         "signers": 2, "by_kind": {"birth_certificate": 1, "extract": 3}},
    ]  # fmt: skip
    refused = client.get("/api/v1/reporting/signature-use?year=2026&quarter=3&unit=40")
    assert refused.status_code == 403
