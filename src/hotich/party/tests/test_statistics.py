"""The statistics of a committee's members: counted by the database per cell, added up the tree,
by age band, sex, ethnicity, education, theory and last year's grade; another committee sees
nothing; the read is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from hotich.audit.models import Entry
from hotich.core.errors import NotFound
from hotich.party.models import Rating
from hotich.party.statistics import member_statistics
from hotich.party.tests.factories import committee, member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _table(stats, key):
    table = next(t for t in stats.tables if t.key == key)
    return {
        r.organization.pk: dict(zip([v for v, _l in table.columns], r.counts, strict=True))
        | {"total": r.total}
        for r in table.rows
    }


def test_counts_per_cell_and_for_the_committee(units, make_user):
    party = committee(units, make_user, cells=2)
    one, two = party.cells
    lan = member(
        one,
        sex="female",
        birth_date=dt.date(2000, 1, 1),
        ethnicity="Tày",
        admitted_on=dt.date(2020, 1, 1),
        official_on=dt.date(2021, 1, 1),
    )
    member(one, birth_date=dt.date(1986, 6, 1), education="university", theory="advanced")
    member(two, birth_date=dt.date(1960, 1, 1), education="master")
    Rating.objects.create(
        member=lan, year=2025, status="decided", self_grade="good", decided_grade="excellent"
    )
    Rating.objects.create(member_id=lan.pk + 1, year=2024, status="decided", self_grade="good",
                          decided_grade="good")  # fmt: skip
    stats = member_statistics(party.secretary, party.organization, today=TODAY)
    assert stats.total == 3 and stats.grade_year == 2025
    root, a, b = party.organization.pk, one.pk, two.pk
    sex = _table(stats, "sex")
    assert sex[root] == {"male": 2, "female": 1, "total": 3}
    assert sex[a]["female"] == 1 and sex[b] == {"male": 1, "female": 0, "total": 1}
    age = _table(stats, "age")
    # 26, exactly 40 on the day, 66
    assert (age[root]["under_30"], age[root]["from_30"], age[root]["over_60"]) == (1, 1, 1)
    assert age[b]["over_60"] == 1 and age[a]["over_60"] == 0
    ethnicity = _table(stats, "ethnicity")
    assert ethnicity[root] == {"Kinh": 2, "Tày": 1, "total": 3}
    education = _table(stats, "education")
    assert (education[root]["university"], education[root]["master"], education[root]["-"]) == (
        1,
        1,
        1,
    )
    assert _table(stats, "theory")[a]["advanced"] == 1
    grade = _table(stats, "grade")  # last year only: the 2024 grade is not counted
    assert grade[root]["excellent"] == 1 and grade[root]["good"] == 0 and grade[root]["-"] == 2
    assert Entry.objects.filter(object_type="party.member", detail__statistics=root).exists()


def test_a_cell_sees_its_own_and_another_committee_nothing(units, make_user):
    party = committee(units, make_user, cells=2)
    other = committee(units, make_user, cells=1)
    member(party.cells[0])
    member(party.cells[1])
    stats = member_statistics(party.cell_secretaries[0], party.cells[0], today=TODAY)
    assert [r.organization.pk for r in stats.tables[0].rows] == [party.cells[0].pk]
    assert stats.total == 1
    with pytest.raises(NotFound):
        member_statistics(party.cell_secretaries[0], party.organization, today=TODAY)
    with pytest.raises(NotFound):
        member_statistics(other.secretary, party.organization, today=TODAY)


def test_the_page(units, make_user, staff_client):
    party = committee(units, make_user, cells=1)
    member(party.cells[0], ethnicity="Mường")
    html = staff_client(party.secretary).get(f"/dang-vien/thong-ke/{party.organization.pk}/")
    assert html.status_code == 200
    text = html.content.decode()
    assert "Mường" in text and "Dân tộc" in text and party.cells[0].name in text
    other = committee(units, make_user, cells=1)
    page = staff_client(other.secretary).get(f"/dang-vien/thong-ke/{party.organization.pk}/")
    assert page.status_code == 404


def test_exports_are_signed_and_logged(units, make_user, staff_client):
    from io import BytesIO

    from openpyxl import load_workbook

    from hotich.signing.verify import pdf_verify

    party = committee(units, make_user, cells=2)
    member(party.cells[0], full_name="Trần Thị Lan", sex="female")
    member(party.cells[1], full_name="Lê Văn Hùng")
    client = staff_client(party.secretary)
    url = f"/dang-vien/xuat/{party.organization.pk}"
    response = client.post(f"{url}/members/", {"dinh_dang": "xlsx", "gioi_tinh": "female"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["Trần Thị Lan"]
    entry = Entry.objects.filter(action="export", object_type="party.export").latest("pk")
    assert entry.detail["export"] == "members" and entry.detail["sex"] == "female"
    assert entry.detail["rows"] == 1 and "Lan" not in str(entry.detail)
    book = load_workbook(BytesIO(client.post(f"{url}/statistics/", {"dinh_dang": "xlsx"}).content))
    assert "Dân tộc" in book.sheetnames
    pdf = client.post(f"{url}/fees/", {"dinh_dang": "pdf", "tu": "2025-01", "den": "2025-12"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    report = pdf_verify(pdf.content)
    assert len(report.signatures) == 2 and not report.problems
    entry = Entry.objects.filter(action="export", object_type="party.export").latest("pk")
    assert entry.detail["export"] == "fees" and entry.detail["verify_code"] == report.verify_code
    assert entry.detail["from"] == "2025-01"
    other = committee(units, make_user, cells=1)
    refused = staff_client(other.secretary).post(f"{url}/members/", {"dinh_dang": "xlsx"})
    assert refused.status_code == 404
