"""A form's values in its own XLSX layout: download, fill, upload (every cell or none)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hotich.core.errors import Conflict, ValidationFailed
from hotich.reporting.datasets import form_report_act, value_save
from hotich.reporting.form_sheets import form_layout_xlsx, form_values_upload
from hotich.reporting.models import DataValue
from hotich.reporting.tests import indicator_fixture as fx

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def world(units, make_user):
    return fx.build(units, make_user)


def _layout(world, filled=False):
    content = form_layout_xlsx(actor=world.officer, form=world.form,
                               organization=world.tree.commune, period_code=fx.PERIOD,
                               filled=filled)  # fmt: skip
    return load_workbook(io.BytesIO(content))


def _cells(book):
    """(row, column) of each indicator × option key in the sheet."""
    sheet = book.active
    keys = {c.value.rsplit("[", 1)[1].rstrip("]"): c.column for c in sheet[4][3:]}
    rows = {sheet.cell(row=r, column=1).value: r for r in range(5, sheet.max_row + 1)}
    return sheet, rows, keys


def _upload(world, book, actor=None):
    out = io.BytesIO()
    book.save(out)
    return form_values_upload(actor=actor or world.officer, form=world.form,
                              organization=world.tree.commune, period_code=fx.PERIOD,
                              content=out.getvalue(), today=TODAY)  # fmt: skip


def _values():
    return {
        (v.indicator.code, v.combo): v.value for v in DataValue.objects.select_related("indicator")
    }


def test_empty_layout_filled_and_uploaded_stores_every_cell(world) -> None:
    book = _layout(world)
    sheet, rows, keys = _cells(book)
    assert set(rows) == {"DS_TONG", "DS_NU", "KS_GT", "BHYT_TL"}  # the secret row is not shown
    assert sheet["B1"].value == "KTXH-01" and sheet["F1"].value == "2025-Y"
    sheet.cell(rows["DS_TONG"], keys[""]).value = 1000
    sheet.cell(rows["DS_NU"], keys[""]).value = 1200  # breaks DS_NU <= DS_TONG: stored, shown
    sheet.cell(rows["KS_GT"], keys["M"]).value = 12
    sheet.cell(rows["KS_GT"], keys["F"]).value = "10"
    sheet.cell(rows["BHYT_TL"], keys[""]).value = 91.5
    saved = _upload(world, book)
    assert _values() == {("DS_TONG", ""): 1000, ("DS_NU", ""): 1200, ("KS_GT", "M"): 12,
                         ("KS_GT", "F"): 10, ("BHYT_TL", ""): Decimal("91.5")}  # fmt: skip
    assert (saved.filled, saved.expected) == (5, 5)
    assert [v.message for v in saved.violations] == ["Dân số nữ ≤ tổng"]
    # the filled layout comes back with the values; a blank cell clears one
    book = _layout(world, filled=True)
    sheet, rows, keys = _cells(book)
    assert sheet.cell(rows["KS_GT"], keys["F"]).value == 10
    sheet.cell(rows["DS_NU"], keys[""]).value = None
    _upload(world, book)
    assert ("DS_NU", "") not in _values() and len(_values()) == 4


def test_a_bad_cell_refuses_the_whole_file_naming_each_cell(world) -> None:
    value_save(actor=world.officer, form=world.form, organization=world.tree.commune,
               period_code=fx.PERIOD, indicator_code="DS_TONG", combo="", raw="500",
               today=TODAY)  # fmt: skip
    book = _layout(world)
    sheet, rows, keys = _cells(book)
    sheet.cell(rows["DS_TONG"], keys[""]).value = 1000
    sheet.cell(rows["DS_NU"], keys[""]).value = "mười"
    sheet.cell(rows["BHYT_TL"], keys[""]).value = 120
    sheet.cell(rows["DS_TONG"], keys["M"]).value = 3
    sheet.cell(sheet.max_row + 1, 1).value = "XYZ"
    with pytest.raises(ValidationFailed) as caught:
        _upload(world, book)
    message = str(caught.value.message)
    col = sheet.cell(1, keys[""]).column_letter
    assert f"Ô {col}{rows['DS_NU']} (DS_NU): Giá trị phải là một số." in message
    assert f"Ô {col}{rows['BHYT_TL']} (BHYT_TL): Tỷ lệ phần trăm phải từ 0 đến 100." in message
    assert "(DS_TONG): chỉ tiêu không có phân tổ này" in message
    assert "chỉ tiêu không có trong biểu: XYZ" in message
    assert _values() == {("DS_TONG", ""): 500}  # nothing saved


def test_upload_refused_on_a_submitted_form_and_for_another_form(world) -> None:
    book = _layout(world)
    sheet, rows, keys = _cells(book)
    sheet.cell(rows["DS_TONG"], keys[""]).value = 1000
    _upload(world, book)
    form_report_act(actor=world.officer, form=world.form, organization=world.tree.commune,
                    period_code=fx.PERIOD, action="submit")  # fmt: skip
    with pytest.raises(Conflict, match="đã nộp"):
        _upload(world, book)
    sheet["B1"].value = "KHAC-01"
    with pytest.raises(ValidationFailed, match="không phải biểu đang mở"):
        _upload(world, book)


def test_download_and_upload_through_the_pages(world, staff_client) -> None:
    client = staff_client(world.officer)
    base = f"/bao-cao/bieu/{world.form.code}/{world.tree.commune.code}/{fx.PERIOD}/"
    response = client.get(base + "xlsx/?trong=1")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet, rows, keys = _cells(book)
    sheet.cell(rows["DS_TONG"], keys[""]).value = 777
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "bieu.xlsx"
    response = client.post(base + "tai-len/", {"file": out}, follow=True)
    assert response.status_code == 200
    assert "Đã nhập số liệu từ tệp" in response.content.decode()
    assert _values() == {("DS_TONG", ""): 777}
