from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from hotich.accounts.models import User
from hotich.accounts.vocabulary import Role
from hotich.agencies.models import Membership, Organization
from hotich.agencies.selectors import members_of, organization_by_code
from hotich.agencies.services import ImportFailed, organizations_import
from hotich.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã định danh", "Tên cơ quan", "Tên viết tắt", "Loại", "Mã cấp trên", "Mã ĐVHC",
    "Tên đăng nhập", "Họ và tên", "Chức vụ", "Vai trò", "Chính",
]  # fmt: skip
GOOD = [
    ["000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "UBND tỉnh", "Ủy ban nhân dân", "", "40",
     "", "", "", "", ""],
    ["000.00.17.H41", "Sở Tư pháp", "STP", "Sở, ban, ngành", "000.00.00.H41", "",
     "stp.giamdoc", "Nguyễn Văn Minh", "Giám đốc", "signer", "x"],
    ["000.00.17.H41", "", "", "", "", "", "stp.vanthu", "Trần Thị Hạnh", "văn thư", "officer", ""],
    ["000.01.17.H41", "Văn phòng Sở", "VP", "phong", "000.00.17.H41", "",
     "", "", "", "", ""],
    ["000.00.31.H41", "UBND phường Thành Vinh", "", "ubnd", "000.00.00.H41", "16681",
     "", "", "", "", ""],
]  # fmt: skip


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_creates_tree_users_and_memberships(units: dict[str, Any]) -> None:
    result = organizations_import(actor=None, data=_xlsx(GOOD), name="to-chuc.xlsx")
    assert (result.organizations_created, result.users_created, result.memberships) == (4, 2, 2)
    justice = organization_by_code("000.00.17.H41")
    assert justice is not None and justice.unit == units["province"]
    assert justice.parent == organization_by_code("000.00.00.H41")
    ward = organization_by_code("000.00.31.H41")
    assert ward is not None and ward.unit == units["a"]
    assert [(m.user.username, m.position) for m in members_of(justice)] == [
        ("stp.giamdoc", "giam_doc"),
        ("stp.vanthu", "van_thu"),
    ]
    director = User.objects.get(username="stp.giamdoc")
    assert director.role == Role.SIGNER and director.unit == units["province"]
    # importing again changes nothing but names
    again = organizations_import(actor=None, data=_xlsx(GOOD), name="to-chuc.xlsx")
    assert (again.organizations_created, again.organizations_updated, again.memberships) == (
        0,
        4,
        0,
    )


def test_any_bad_row_refuses_the_whole_file(units: dict[str, Any]) -> None:
    bad = [
        *GOOD,
        ["000.00.18.H41", "Sở Tài chính", "", "Bộ", "000.00.00.H41", "", "", "", "", "", ""],
        ["000.00.19.H41", "Sở Y tế", "", "so", "000.00.99.H41", "", "", "", "", "", ""],
        ["000.00.17.H41", "", "", "", "", "", "ai.do", "Ai Đó", "Vua", "officer", ""],
        ["12345", "Sở Nội vụ", "", "so", "", "40", "", "", "", "", ""],
        ["000.00.20.H41", "Sở Xây dựng", "", "so", "", "99999", "", "", "", "", ""],
    ]
    with pytest.raises(ImportFailed) as caught:
        organizations_import(actor=None, data=_xlsx(bad), name="to-chuc.xlsx")
    errors = {(e.row, e.field): e.message for e in caught.value.errors}
    assert "Loại tổ chức không hợp lệ" in errors[(7, "Loại")]
    assert "Không có cơ quan cấp trên" in errors[(8, "Mã cấp trên")]
    assert "Chức vụ không hợp lệ" in errors[(9, "Chức vụ")]
    assert "không đúng dạng" in errors[(10, "Mã định danh")]
    assert "Không có đơn vị hành chính" in errors[(11, "Mã ĐVHC")]
    assert "5 lỗi" in str(caught.value)
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()
    assert not User.objects.filter(username__startswith="stp.").exists()


def test_import_needs_manage(units: dict[str, Any], make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        organizations_import(
            actor=make_user(Role.OFFICER, units["a"]), data=_xlsx(GOOD), name="a.xlsx"
        )


def test_command(units: dict[str, Any], tmp_path: Path) -> None:
    good = tmp_path / "to-chuc.xlsx"
    good.write_bytes(_xlsx(GOOD))
    out = io.StringIO()
    call_command("agencies", "import", str(good), stdout=out)
    assert "4 tổ chức mới" in out.getvalue()
    tree = io.StringIO()
    call_command("agencies", "tree", stdout=tree)
    assert "000.01.17.H41      Văn phòng Sở" in tree.getvalue()
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(_xlsx([["000.00.40.H41", "Sở A", "", "xyz", "", "40"]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("agencies", "import", str(bad), stderr=err)
    assert "dòng/row 2 [Loại]" in err.getvalue()
