"""The pages: the committee's list with filters, a member's record, the import; an outsider 404."""

from __future__ import annotations

import datetime as dt

import pytest

from hotich.party.tests.factories import committee, member
from hotich.party.tests.test_members import xlsx

pytestmark = pytest.mark.django_db


def test_the_keeper_lists_filters_reads_and_records(units, make_user, staff_client):
    party = committee(units, make_user, cells=2)
    lan = member(party.cells[0], full_name="Trần Thị Lan", sex="female")
    member(party.cells[1], full_name="Lê Văn Hùng")
    client = staff_client(party.secretary)
    assert party.organization.name in client.get("/dang-vien/").content.decode()
    html = client.get(f"/dang-vien/to-chuc/{party.organization.pk}/").content.decode()
    assert "Trần Thị Lan" in html and "Lê Văn Hùng" in html
    html = client.get(
        f"/dang-vien/to-chuc/{party.organization.pk}/?gioi_tinh=female"
    ).content.decode()
    assert "Trần Thị Lan" in html and "Lê Văn Hùng" not in html
    page = client.get(f"/dang-vien/{lan.pk}/").content.decode()
    assert "Trần Thị Lan" in page and "Chi bộ" in page
    response = client.post(
        f"/dang-vien/{lan.pk}/khen-thuong-ky-luat/",
        {"kind": "discipline", "discipline": "", "title": "", "decided_on": "xx"},
    )
    assert response.status_code == 400
    assert "chọn hình thức kỷ luật" in response.content.decode()
    response = client.post(
        f"/dang-vien/{lan.pk}/khen-thuong-ky-luat/",
        {
            "kind": "commendation",
            "title": "Đảng viên hoàn thành xuất sắc nhiệm vụ 2025",
            "decided_on": "15/01/2026",
            "decided_by": "Đảng ủy",
        },
    )
    assert response.status_code == 302
    assert "xuất sắc nhiệm vụ 2025" in client.get(f"/dang-vien/{lan.pk}/").content.decode()


def test_the_import_page_shows_each_rows_error(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    client = staff_client(party.secretary)
    data = xlsx([["Trần Thị Lan", "Nữ", "12/04/1985", "Kinh", "", "", "3/2/2010", "", "", ""]])
    upload = {"committee": party.organization.pk, "file": _file(data)}
    html = client.post("/dang-vien/nhap/", upload).content.decode()
    assert "Mã chi bộ" in html and "Bắt buộc" in html
    data = xlsx(
        [
            [
                "Trần Thị Lan",
                "Nữ",
                "12/04/1985",
                "Kinh",
                "",
                "",
                "3/2/2010",
                "",
                party.cells[0].code,
                "",
            ]
        ]
    )
    upload = {"committee": party.organization.pk, "file": _file(data)}
    response = client.post("/dang-vien/nhap/", upload)
    assert response.status_code == 302
    assert "Trần Thị Lan" in client.get(response["Location"]).content.decode()


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("dv.xlsx", data)


def test_an_outsider_gets_404(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    other = committee(units, make_user, cells=1)
    someone = member(party.cells[0], birth_date=dt.date(1970, 1, 1))
    client = staff_client(other.secretary)
    assert client.get(f"/dang-vien/{someone.pk}/").status_code == 404
    assert client.get(f"/dang-vien/to-chuc/{party.organization.pk}/").status_code == 404
    assert party.organization.name not in client.get("/dang-vien/").content.decode()


def test_a_cell_records_and_closes_a_month_on_its_page(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    lan = member(party.cells[0], full_name="Trần Thị Lan", fee_base=8_000_000)
    client = staff_client(party.cell_secretaries[0])
    url = f"/dang-vien/dang-phi/{party.cells[0].pk}/"
    html = client.get(f"{url}?ky=2026-10").content.decode()
    assert "Trần Thị Lan" in html and "80.000 đồng" in html
    response = client.post(url, {"ky": "2026-10", "op": "collect", f"paid-{lan.pk}": "80.000"})
    assert response.status_code == 302
    client.post(url, {"ky": "2026-10", "op": "remit"})
    html = client.get(f"{url}?ky=2026-10").content.decode()
    assert "nộp cấp trên 56.000 đồng" in html
    boss = staff_client(party.secretary)
    report = boss.get(
        f"/dang-vien/dang-phi/{party.organization.pk}/bao-cao/?tu=2026-01&den=2026-12"
    )
    assert "80.000 đồng" in report.content.decode()


def test_the_badges_due_at_an_occasion(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    member(
        party.cells[0],
        full_name="Hồ Sỹ Toàn",
        admitted_on=dt.date(1997, 1, 10),
        birth_date=dt.date(1970, 1, 1),
    )
    member(
        party.cells[0],
        full_name="Lê Văn Thắng",
        admitted_on=dt.date(1992, 1, 10),
        birth_date=dt.date(1970, 1, 1),
    )
    html = (
        staff_client(party.secretary)
        .get(f"/dang-vien/huy-hieu/{party.organization.pk}/?dip=03/02/2027")
        .content.decode()
    )
    assert "Hồ Sỹ Toàn" in html and "30 năm tuổi Đảng" in html and "Lê Văn Thắng" not in html
