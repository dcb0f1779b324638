"""Member records: checks, the spreadsheet import (all or nothing), who reads them, the audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from hotich.audit.models import Entry
from hotich.core.errors import FormInvalid, NotFound
from hotich.party import services
from hotich.party.models import Member
from hotich.party.selectors import MemberFilters, member_get, members_list, probation
from hotich.party.tests.factories import committee, member

pytestmark = pytest.mark.django_db

HEADER = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Số định danh",
    "Số thẻ đảng",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Mã chi bộ",
    "Lý luận chính trị",
]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_wrong_field_is_named(units, make_user):
    party = committee(units, make_user, cells=1)
    with pytest.raises(FormInvalid) as caught:
        services.member_create(
            actor=party.secretary,
            cell=party.cells[0],
            full_name="An",
            sex="x",
            birth_date=dt.date(2000, 1, 1),
            admitted_on=dt.date(2015, 1, 1),
            personal_id="040099000001",
        )
    assert set(caught.value.errors) >= {"full_name", "sex", "admitted_on"}
    assert "18 tuổi" in str(caught.value.errors["admitted_on"])


def test_a_sheet_with_a_bad_row_imports_nothing_and_names_each_error(units, make_user):
    party = committee(units, make_user, cells=2)
    code = party.cells[1].code
    data = xlsx(
        [
            [
                "Trần Thị Lan",
                "Nữ",
                "12/04/1985",
                "Kinh",
                "",
                "A001",
                "03/02/2010",
                "03/02/2011",
                code,
                "Trung cấp",
            ],
            [
                "Lê Văn Hùng",
                "Nam",
                "31/02/1990",
                "Tày",
                "",
                "A001",
                "01/01/2015",
                "",
                "000.99.99.H43",
                "Cao cấp",
            ],
        ]
    )
    with pytest.raises(services.ImportFailed) as caught:
        services.members_import(actor=party.secretary, committee=party.organization, data=data)
    fields = {(e.row, e.field) for e in caught.value.errors}
    assert fields == {(3, "Ngày sinh"), (3, "Số thẻ đảng"), (3, "Mã chi bộ")}
    assert "Không có chi bộ mã 000.99.99.H43" in " ".join(e.message for e in caught.value.errors)
    assert Member.objects.count() == 0


def test_a_good_sheet_is_imported_into_the_cells(units, make_user):
    party = committee(units, make_user, cells=2)
    data = xlsx(
        [
            [
                "Trần Thị Lan",
                "Nữ",
                dt.datetime(1985, 4, 12),
                "Kinh",
                "040185000123",
                "A001",
                "03/02/2010",
                "03/02/2011",
                party.cells[0].code,
                "Trung cấp",
            ],
            [
                "Lê Văn Hùng",
                "nam",
                "20/10/1990",
                "Tày",
                "",
                "",
                "01/06/2026",
                "",
                party.cells[1].code,
                "",
            ],
        ]
    )
    result = services.members_import(
        actor=party.secretary, committee=party.organization, data=data, name="dv.xlsx"
    )
    assert result.created == 2
    lan = Member.objects.get(card_number="A001")
    assert (lan.cell, lan.sex, lan.theory) == (party.cells[0], "female", "intermediate")
    hung = Member.objects.get(full_name="Lê Văn Hùng")
    assert probation(hung, dt.date(2027, 6, 2)).overdue
    assert probation(hung, dt.date(2026, 12, 6)).ends_on == dt.date(2027, 6, 1)


def test_a_committee_sees_every_cell_below_it_and_filters(units, make_user):
    party = committee(units, make_user, cells=2)
    young = member(
        party.cells[0],
        sex="female",
        birth_date=dt.date(2000, 1, 1),
        official_on=None,
        admitted_on=dt.date(2026, 1, 1),
    )
    old = member(party.cells[1], theory="advanced")
    today = dt.date(2026, 12, 6)
    everyone = members_list(party.secretary, party.organization, today=today)
    assert set(everyone) == {young, old}
    assert list(
        members_list(party.secretary, party.organization, MemberFilters(probationary=True))
    ) == [young]
    assert list(
        members_list(
            party.secretary, party.organization, MemberFilters(age_band="under_30"), today=today
        )
    ) == [young]
    assert list(
        members_list(party.secretary, party.organization, MemberFilters(theory="advanced"))
    ) == [old]
    assert list(
        members_list(
            party.secretary, party.organization, MemberFilters(cell=party.cells[1].pk, sex="male")
        )
    ) == [old]
    # a cell's secretary sees their own cell only
    assert list(members_list(party.cell_secretaries[0], party.cells[0])) == [young]
    with pytest.raises(NotFound):
        members_list(party.cell_secretaries[0], party.cells[1])


def test_another_committee_sees_none_of_it_and_each_read_is_audited(units, make_user):
    party = committee(units, make_user, cells=1)
    other = committee(units, make_user, cells=1)
    someone = member(party.cells[0])
    with pytest.raises(NotFound):
        member_get(other.secretary, someone.pk)
    with pytest.raises(NotFound):
        members_list(other.secretary, party.organization)
    assert someone not in members_list(other.secretary, other.organization)
    reads = Entry.objects.filter(
        action="read", object_type="party.member", object_id=str(someone.pk)
    )
    assert reads.count() == 0
    member_get(party.secretary, someone.pk)
    assert reads.get().username == party.secretary.username
