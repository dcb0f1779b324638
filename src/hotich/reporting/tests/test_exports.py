from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from hotich.audit.models import Entry
from hotich.core.errors import ValidationFailed
from hotich.reporting.civil_status import civil_status_report
from hotich.reporting.exports import HEADER_ROW, report_payload, validate_payload
from hotich.reporting.periods import Period
from hotich.reporting.services import report_export
from hotich.reporting.tests import fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(units):
    fixture.build(units)
    return civil_status_report(
        actor=None, unit=units["province"], period=Period("yearly", 2025), today=fixture.TODAY
    )


def _values(payload, code):
    return {
        (r["indicator"], tuple(sorted(r.get("dimensions", {}).items()))): r["value"]
        for r in payload["data"]
        if r["unit"]["code"] == code
    }


def test_payload_validates_and_carries_every_figure(report) -> None:
    payload = report_payload(report)
    validate_payload(payload)
    assert payload["period"] == {
        "code": "2025-Y",
        "frequency": "yearly",
        "year": 2025,
        "index": 1,
        "from": "2024-12-15",
        "to": "2025-12-14",
        "deadline": "2025-12-24",
    }
    assert payload["reporting_unit"] == {"code": "40", "name": "Tỉnh Nghệ An", "level": "province"}
    for code, expected in (
        ("16681", fixture.EXPECTED_A),
        ("16738", fixture.EXPECTED_B),
        ("40", fixture.EXPECTED_TOTAL),
    ):
        values = _values(payload, code)
        assert {k[0]: v for k, v in values.items() if not k[1]} == expected
    assert _values(payload, "16738")[("KS_DAN_TOC", (("ethnicity", "Mông"),))] == 1
    assert _values(payload, "40")[("KS_DAN_TOC", (("ethnicity", "Thái"),))] == 2


def test_schema_refuses_a_broken_payload(report) -> None:
    payload = report_payload(report)
    broken = copy.deepcopy(payload)
    broken["period"]["code"] = "2025-Q5"
    with pytest.raises(ValidationFailed, match="period/code"):
        validate_payload(broken)
    broken = copy.deepcopy(payload)
    broken["data"][0]["value"] = "ba"
    with pytest.raises(ValidationFailed, match="data/0/value"):
        validate_payload(broken)
    broken = copy.deepcopy(payload)
    del broken["form"]
    with pytest.raises(ValidationFailed):
        validate_payload(broken)


def test_xlsx_in_form_layout(report, units) -> None:
    content = report_export(
        actor=None, unit=units["province"], period=Period("yearly", 2025), fmt="xlsx",
        today=fixture.TODAY,
    )  # fmt: skip
    wb = load_workbook(io.BytesIO(content))
    ws = wb["HT-01"]
    assert ws["A1"].value == "Biểu số: HT-01/BTP"
    assert ws["A2"].value == "Đơn vị báo cáo: Tỉnh Nghệ An"
    assert "Năm 2025" in ws["A6"].value and "15/12/2024" in ws["A6"].value
    top, sub = HEADER_ROW, HEADER_ROW + 1
    assert ws.cell(top, 3).value == "Khai sinh" and ws.cell(sub, 3).value == "Tổng số"
    assert ws.cell(top, 11).value == "Khai tử"
    headers = [ws.cell(sub, c).value for c in range(3, ws.max_column + 1)]
    codes = [i.code for i in report.indicators]
    assert len(headers) == len(codes)
    first = sub + 2
    assert ws.cell(first, 2).value == "Phường Thành Vinh"
    assert ws.cell(first + 1, 2).value == "Xã Quế Phong"
    assert ws.cell(first + 2, 2).value == "Tổng cộng"
    for offset, expected in enumerate(
        (fixture.EXPECTED_A, fixture.EXPECTED_B, fixture.EXPECTED_TOTAL)
    ):
        row = [ws.cell(first + offset, 3 + i).value for i in range(len(codes))]
        assert row == [expected[c] for c in codes]
    eth = wb["Dân tộc"]
    assert [eth.cell(HEADER_ROW, c).value for c in (3, 4, 5)] == ["Kinh", "Mông", "Thái"]
    assert [eth.cell(HEADER_ROW + 3, c).value for c in (2, 3, 4, 5)] == ["Tổng cộng", 2, 1, 2]
    assert Entry.objects.filter(action="export", object_type="reporting.report").count() == 1


def test_cli_writes_json_and_xlsx(report, tmp_path) -> None:
    out = tmp_path / "bc.json"
    call_command("report", "civil-status", "--province", "40", "--year", "2025",
                 "--format", "json", "--out", str(out))  # fmt: skip
    payload = json.loads(out.read_text())
    validate_payload(payload)
    assert {r["value"] for r in payload["data"] if r["indicator"] == "KS_TONG"} == {3, 2, 5}
    xlsx = tmp_path / "bc.xlsx"
    call_command("report", "civil-status", "--province", "40", "--year", "2025",
                 "--format", "xlsx", "--out", str(xlsx))  # fmt: skip
    assert load_workbook(xlsx)["HT-01"]["A1"].value == "Biểu số: HT-01/BTP"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--province", "99", "--year", "2025"], "Không có tỉnh"),
        (["--province", "40", "--year", "2999"], "chưa kết thúc"),
    ],
)
def test_cli_errors(report, tmp_path, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", "civil-status", *args, "--format", "json",
                     "--out", str(tmp_path / "x.json"))  # fmt: skip
    assert not (tmp_path / "x.json").exists()
