"""The shipped catalogue, form validation with field-level messages, and spreadsheet import."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from hotich.core.errors import ValidationFailed
from hotich.core.tests.sheets import bomb_xlsx, long_xlsx
from hotich.portal.forms_schema import FormInvalid, check_schema, clean_form, registry_input
from hotich.portal.models import Procedure
from hotich.portal.services import ImportFailed, catalogue_import
from hotich.portal.tests.factories import birth_form

HEADER = [
    "Mã thủ tục",
    "Tên thủ tục",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Căn cứ pháp lý",
    "Thành phần hồ sơ",
    "Lệ phí",
    "Thời hạn giải quyết",
    "Mức độ dịch vụ",
    "Mức độ cũ",
]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    [
        "1.000001",
        "Chứng thực bản sao từ bản chính",
        "Chứng thực",
        "xã",
        "Nghị định 23/2015",
        "*Bản chính; Bản sao",
        "2.000",
        1,
        "một phần",
        2,
    ],
    [
        "2.000002",
        "Cấp phiếu lý lịch tư pháp",
        "Lý lịch tư pháp",
        "tỉnh",
        "",
        "*Tờ khai",
        200000,
        10,
        "toàn trình",
        4,
    ],
]


@pytest.mark.django_db
def test_civil_status_procedures_are_shipped_with_valid_forms() -> None:
    # loaded by the data migration
    names = set(Procedure.objects.values_list("name", flat=True))
    for expected in (
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Đăng ký khai sinh quá hạn",
        "Đăng ký lại khai sinh",
        "Cấp bản sao trích lục hộ tịch",
        "Đăng ký nhận cha, mẹ, con",
        "Cấp giấy xác nhận tình trạng hôn nhân",
    ):
        assert expected in names
    for p in Procedure.objects.all():
        check_schema(p.form_schema)
        assert p.is_online


@pytest.mark.django_db
def test_form_errors_name_each_field_in_vietnamese(catalogue: None) -> None:
    schema = Procedure.objects.get(code="1.001193").form_schema
    bad = birth_form(
        **{
            "child.full_name": "",
            "child.birth_date": "2099-01-01",
            "child.sex": "X",
            "applicant.phone": "123",
        }
    )
    with pytest.raises(FormInvalid) as caught:
        clean_form(schema, bad)
    errors = {k: str(v) for k, v in caught.value.errors.items()}
    assert errors["child.full_name"] == "Họ, chữ đệm và tên: chưa nhập (bắt buộc)."
    assert errors["child.birth_date"] == "Ngày sinh: không được sau ngày hôm nay."
    assert "không có trong danh sách" in errors["child.sex"]
    assert "số điện thoại" in errors["applicant.phone"]
    assert set(errors) == {"child.full_name", "child.birth_date", "child.sex", "applicant.phone"}
    with translation.override("en"):
        assert str(caught.value.errors["child.full_name"]) == (
            "Họ, chữ đệm và tên: not entered (required)."
        )


@pytest.mark.django_db
def test_clean_form_maps_to_registry_input(catalogue: None) -> None:
    schema = Procedure.objects.get(code="1.001193").form_schema
    clean = clean_form(schema, birth_form(**{"child.birth_date": "10/01/2026"}))
    assert clean["child.birth_date"] == "2026-01-10"
    parties, data = registry_input(clean, fixed={"kind": "on_time"})
    assert parties["child"]["full_name"] == "Nguyễn Thị Hằng"
    assert set(parties) == {"child", "mother", "father"}
    assert data == {"kind": "on_time"}


def test_malformed_schema_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        check_schema(
            {"sections": [{"title": "x", "fields": [{"name": "a", "label": "A", "type": "weird"}]}]}
        )


@pytest.mark.django_db
def test_import_saves_every_row() -> None:
    assert catalogue_import(actor=None, data=xlsx(GOOD)) == 2
    p = Procedure.objects.get(code="2.000002")
    assert p.authority_level == "province" and p.service_class == "full" and p.fee == 200000
    first = Procedure.objects.get(code="1.000001")
    assert first.fee == 2000
    assert first.required_documents[0] == {"key": "tp1", "name": "Bản chính", "required": True}


@pytest.mark.django_db
def test_import_is_all_or_nothing_with_per_row_errors() -> None:
    before = Procedure.objects.count()
    rows = [
        *GOOD,
        ["", "Không mã", "", "xã", "", "", 0, 1, "một phần", 2],
        ["3.1", "Sai cấp", "", "huyện", "", "", 0, 1, "một phần", 2],
        ["1.000001", "Trùng mã", "", "xã", "", "", 0, 1, "một phần", 2],
    ]
    with pytest.raises(ImportFailed) as caught:
        catalogue_import(actor=None, data=xlsx(rows))
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (4, "code"),
        (5, "authority_level"),
        (6, "code"),
    ]
    assert Procedure.objects.count() == before


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_a_spreadsheet() -> None:
    with pytest.raises(ValidationFailed):
        catalogue_import(actor=None, data=b"not a spreadsheet")


@pytest.mark.django_db
def test_import_refuses_a_million_rows_without_reading_them() -> None:
    content = long_xlsx(HEADER, ["1.1"], 1_000_000)
    assert len(content) < 200_000
    start = time.perf_counter()
    with pytest.raises(ValidationFailed) as caught:
        catalogue_import(actor=None, data=content)
    assert time.perf_counter() - start < 3
    assert caught.value.in_language("vi") == (
        "Tệp có hơn 5.000 dòng; hãy chia thành nhiều tệp nhỏ hơn."
    )


@pytest.mark.django_db
def test_import_refuses_a_zip_bomb() -> None:
    with pytest.raises(ValidationFailed) as caught:
        catalogue_import(actor=None, data=bomb_xlsx(150 * 1024 * 1024))
    assert "giải nén quá lớn" in caught.value.in_language("vi")


@pytest.mark.django_db
def test_public_api_lists_procedures_without_login(client: Client) -> None:
    rows = client.get("/api/v1/portal/procedures").json()
    codes = {r["code"] for r in rows}
    assert "1.001193" in codes
    detail = client.get("/api/v1/portal/procedures/1.001193").json()
    assert detail["processing_days"] == 1 and detail["form_schema"]["sections"]
    assert client.get("/api/v1/portal/procedures/khong-co").status_code == 404
