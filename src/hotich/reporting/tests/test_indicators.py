"""Indicators, forms, data entry with rules, approval up the tree, aggregation, DHIS2 JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed
from hotich.reporting.datasets import (
    form_completeness,
    form_grid,
    form_report_act,
    form_save,
    indicator_aggregate,
    rule_holds,
    value_save,
)
from hotich.reporting.dhis2 import export_values, from_dhis2_period, import_values, to_dhis2_period
from hotich.reporting.indicators import indicators_export, indicators_import
from hotich.reporting.models import DataValue, FormReportStatus, FormReportStep, Indicator
from hotich.reporting.tests import indicator_fixture as fx

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 1, 10)


@pytest.fixture
def world(units, make_user):
    return fx.build(units, make_user)


def _enter(world, officer=None, org=None, **cells):
    for key, raw in cells.items():
        code, _, combo = key.partition("__")
        value_save(
            actor=officer or world.officer,
            form=world.form,
            organization=org or world.tree.commune,
            period_code=fx.PERIOD,
            indicator_code=code,
            combo=combo,
            raw=raw,
            today=TODAY,
        )


def _sheet(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEAD = ["code", "name", "name_en", "unit_of_measure", "value_type", "aggregation_units",
        "aggregation_time", "categories", "legal_basis", "owner", "secret"]  # fmt: skip


# --- step 1: the catalogue ---------------------------------------------------------------


def test_catalogue_round_trips_through_xlsx(world) -> None:
    content = indicators_export(actor=None)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEAD
    assert ("KS_GT", "sex") in {(r[0], r[7]) for r in rows}
    Indicator.objects.filter(code="KS_GT").update(name="x")
    # the world's five and the platform's forms' own (reporting.report_forms): civil status
    # (HT_*), public services, signatures, digitization and documents
    platform = Indicator.objects.exclude(source="").count()
    assert platform == 12 + 12 + 3 + 5 + 4
    assert indicators_import(actor=None, content=content) == 5 + platform
    weighted = Indicator.objects.get(code="HT_KH_TUOI_TB")
    assert weighted.aggregation_units == "weighted" and weighted.weight is not None
    ks = Indicator.objects.get(code="KS_GT")
    assert ks.name == "Số trẻ được đăng ký khai sinh"
    assert [c.code for c in ks.categories.all()] == ["sex"]
    assert Indicator.objects.get(code="QP_MAT").is_secret


def test_catalogue_import_is_all_or_nothing_with_row_errors(world) -> None:
    content = _sheet(
        [
            HEAD,
            ["LUA_DT", "Diện tích lúa", "", "ha", "number", "sum", "sum", "", "", "", "không"],
            ["X1", "Sai kiểu", "", "", "text", "sum", "sum", "", "", "", ""],
            ["X2", "Phân tổ lạ", "", "", "integer", "sum", "sum", "dantoc", "", "", ""],
            ["X3", "Cơ quan lạ", "", "", "integer", "sum", "sum", "", "", "999.99.99.H99", ""],
        ]
    )
    with pytest.raises(ValidationFailed) as caught:
        indicators_import(actor=None, content=content)
    text = str(caught.value)
    assert "Dòng 3: kiểu giá trị “text” không hợp lệ" in text
    assert "Dòng 4: phân tổ không có trong danh mục: dantoc" in text
    assert "Dòng 5: không có cơ quan mã 999.99.99.H99" in text
    assert not Indicator.objects.filter(code="LUA_DT").exists()


# --- step 2 and 3: forms, entry, rules ------------------------------------------------------


def test_rules_are_evaluated_without_eval(world) -> None:
    assert rule_holds("A <= B", {"A": Decimal(1), "B": Decimal(2)}) is True
    assert rule_holds("A <= B", {"A": Decimal(3), "B": Decimal(2)}) is False
    assert rule_holds("A <= B", {"A": Decimal(3)}) is None
    assert rule_holds("__import__('os').system('true')", {}) is None
    with pytest.raises(ValidationFailed, match="chỉ tiêu không có trong biểu: ZZ"):
        form_save(actor=None, code="F", name="F", regime="yearly", indicators=["DS_TONG"],
                  rules=[{"expression": "DS_TONG <= ZZ"}])  # fmt: skip


def test_grid_shows_combos_and_broken_rule_then_fixed(world) -> None:
    _enter(world, DS_TONG="1000", DS_NU="1200", KS_GT__M="12", KS_GT__F="10")
    grid = form_grid(
        actor=world.officer, form=world.form, organization=world.tree.commune, period_code="2025-Y"
    )
    ks = next(r for r in grid.rows if r.indicator.code == "KS_GT")
    assert [(c.combo, c.label, c.value) for c in ks.cells] == [
        ("M", "Nam", Decimal(12)),
        ("F", "Nữ", Decimal(10)),
    ]
    assert [v.message for v in grid.violations] == ["Dân số nữ ≤ tổng"]
    assert (grid.filled, grid.expected) == (4, 5)  # the secret QP_MAT is not shown to them
    with pytest.raises(ValidationFailed, match="vi phạm quy tắc"):
        form_report_act(actor=world.officer, form=world.form, organization=world.tree.commune,
                        period_code="2025-Y", action="submit")  # fmt: skip
    _enter(world, DS_NU="510")
    grid = form_grid(
        actor=world.officer, form=world.form, organization=world.tree.commune, period_code="2025-Y"
    )
    assert grid.violations == []


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("DS_TONG", "12.5", "chỉ nhận số nguyên"),
        ("DS_TONG", "mười", "phải là một số"),
        ("BHYT_TL", "120", "từ 0 đến 100"),
        ("DS_TONG", "-3", "không được âm"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(world, code, raw, message) -> None:
    with pytest.raises(ValidationFailed, match=message):
        _enter(world, **{code: raw})
    assert not DataValue.objects.exists()


def test_entry_refused_for_unassigned_unit_future_period_and_other_scope(world) -> None:
    with pytest.raises(ValidationFailed, match="không được giao"):
        _enter(world, org=world.tree.province, officer=world.approver, DS_TONG="1")
    with pytest.raises(ValidationFailed, match="chưa mở"):
        value_save(actor=world.officer, form=world.form, organization=world.tree.commune,
                   period_code="2027-Y", indicator_code="DS_TONG", combo="", raw="1",
                   today=TODAY)  # fmt: skip
    with pytest.raises(ValidationFailed, match="không theo kỳ"):
        value_save(actor=world.officer, form=world.form, organization=world.tree.commune,
                   period_code="2025-Q1", indicator_code="DS_TONG", combo="", raw="1",
                   today=TODAY)  # fmt: skip
    from hotich.core.errors import NotFound

    with pytest.raises(NotFound):
        _enter(world, officer=world.officer_b, DS_TONG="1")


# --- step 4: approval up the tree, aggregation ----------------------------------------------


def _act(world, actor, action, note="", org=None):
    return form_report_act(
        actor=actor,
        form=world.form,
        organization=org or world.tree.commune,
        period_code="2025-Y",
        action=action,
        note=note,
    )


def test_submit_return_with_reason_resubmit_approve_and_reopen(world) -> None:
    _enter(world, DS_TONG="1000", DS_NU="510", KS_GT__M="12", KS_GT__F="10", BHYT_TL="92.5")
    assert _act(world, world.officer, "submit").status == FormReportStatus.SUBMITTED
    with pytest.raises(Conflict):
        _enter(world, DS_TONG="1001")
    with pytest.raises(PermissionDenied):
        _act(world, world.officer, "approve")
    with pytest.raises(ValidationFailed, match="lý do"):
        _act(world, world.approver, "return")
    report = _act(world, world.approver, "return", "Kiểm tra lại số trẻ khai sinh")
    assert (report.status, report.reason) == ("returned", "Kiểm tra lại số trẻ khai sinh")
    _enter(world, KS_GT__F="11")
    _act(world, world.officer, "submit")
    report = _act(world, world.approver, "approve")
    assert report.status == FormReportStatus.APPROVED and report.approved_at
    assert [s.action for s in FormReportStep.objects.filter(report=report)] == [
        "submit", "return", "submit", "approve",
    ]  # fmt: skip
    completeness = form_completeness(actor=world.approver, form=world.form, period_code="2025-Y")
    assert [(c.organization.code, c.filled, c.expected, c.status) for c in completeness] == [
        ("000.00.31.H41", 5, 6, "approved"),
        ("000.00.32.H41", 0, 6, "open"),
    ]
    with pytest.raises(ValidationFailed, match="lý do mở lại"):
        _act(world, world.approver, "reopen")
    assert _act(world, world.approver, "reopen", "Đính chính số liệu").status == "open"


def test_values_add_up_the_tree_by_each_indicators_aggregation(world) -> None:
    _enter(world, DS_TONG="1000", DS_NU="510", KS_GT__M="12", KS_GT__F="10", BHYT_TL="90")
    _enter(world, officer=world.officer_b, org=world.tree.commune_b,
           DS_TONG="3000", DS_NU="1500", KS_GT__M="5", KS_GT__F="7", BHYT_TL="80")  # fmt: skip
    by_code = {i.code: i for i in Indicator.objects.all()}

    def total(code, combo=None, approved_only=True):
        return indicator_aggregate(indicator=by_code[code], organization=world.tree.province,
                                   period_codes=["2025-Y"], combo=combo,
                                   approved_only=approved_only)  # fmt: skip

    assert total("DS_TONG") is None  # nothing approved yet
    assert total("DS_TONG", approved_only=False) == 4000
    assert total("BHYT_TL", approved_only=False) == 85
    assert total("KS_GT", "F", approved_only=False) == 17
    _act(world, world.officer, "submit")
    _act(world, world.approver, "approve")
    assert total("DS_TONG") == 1000
    assert total("KS_GT") == 22


# --- step 5: DHIS2 dataValueSets -----------------------------------------------------------


def test_dhis2_periods() -> None:
    pairs = [("2025-Y", "2025"), ("2025-H1", "2025S1"), ("2025-Q3", "2025Q3"),
             ("2025-M03", "202503")]  # fmt: skip
    for ours, theirs in pairs:
        assert to_dhis2_period(ours) == theirs
        assert from_dhis2_period(theirs) == ours
    with pytest.raises(ValidationFailed):
        from_dhis2_period("2025W12")


def test_export_holds_approved_non_secret_values_and_imports_back(world, tmp_path) -> None:
    _enter(world, DS_TONG="1000", DS_NU="510", KS_GT__M="12", KS_GT__F="10")
    _enter(world, officer=world.approver, QP_MAT="7")  # a secret indicator: only with the grant
    _enter(world, officer=world.officer_b, org=world.tree.commune_b, DS_TONG="3000")
    _act(world, world.officer, "submit")
    _act(world, world.approver, "approve")
    out = tmp_path / "values.json"
    call_command("indicators", "export", "--year", "2025", "--format", "dhis2", "--out", str(out))
    document = json.loads(out.read_text())
    assert document["dataValues"] == [
        {"dataElement": code, "period": "2025", "orgUnit": "000.00.31.H41",
         "categoryOptionCombo": combo, "value": value}
        for code, combo, value in [("DS_NU", "default", "510"), ("DS_TONG", "default", "1000"),
                                   ("KS_GT", "F", "10"), ("KS_GT", "M", "12")]
    ]  # fmt: skip
    assert "QP_MAT" not in out.read_text()
    # imported into the other commune (still open)
    for item in document["dataValues"]:
        item["orgUnit"] = "000.00.32.H41"
    assert import_values(actor=None, document=document) == 4
    assert (
        DataValue.objects.get(
            organization=world.tree.commune_b, indicator__code="KS_GT", combo="M"
        ).value
        == 12
    )
    assert len(export_values(actor=None, year=2025, period="2025")["dataValues"]) == 4
    with pytest.raises(ValidationFailed, match="không thuộc năm"):
        export_values(actor=None, year=2025, period="2024")


def test_import_is_all_or_nothing_with_one_line_errors(world, tmp_path) -> None:
    bad = {"dataValues": [
        {"dataElement": "DS_TONG", "period": "2025", "orgUnit": "000.00.32.H41", "value": "5"},
        {"dataElement": "NOPE", "period": "2025", "orgUnit": "000.00.32.H41", "value": "5"},
        {"dataElement": "DS_TONG", "period": "2025", "orgUnit": "XYZ", "value": "5"},
        {"dataElement": "KS_GT", "period": "2025", "orgUnit": "000.00.32.H41",
         "categoryOptionCombo": "Q", "value": "5"},
        {"dataElement": "DS_TONG", "period": "2025", "orgUnit": "000.00.32.H41", "value": "x"},
    ]}  # fmt: skip
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(CommandError) as caught:
        call_command("indicators", "import", str(path))
    text = str(caught.value)
    assert "\n" not in text
    assert "Giá trị 2: không có chỉ tiêu mã NOPE" in text
    assert "Giá trị 3: không có cơ quan, đơn vị mã XYZ" in text
    assert "Giá trị 4: phân tổ “Q” không đúng" in text
    assert "Giá trị 5: Giá trị phải là một số" in text
    assert not DataValue.objects.exists()
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("indicators", "import", str(path))


# --- the pages ------------------------------------------------------------------------------


def test_officer_enters_cells_through_json_and_sees_the_broken_rule(world, staff_client) -> None:
    client = staff_client(world.officer)
    base = "/bao-cao/bieu/KTXH-01/000.00.31.H41/2025-Y/"
    page = client.get(base)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-combo="F"' in html and "reporting/entry.js" in html
    assert "<script>" not in html

    def put(indicator, value, combo=""):
        body = {"indicator": indicator, "combo": combo, "value": value}
        return client.post(base + "o/", json.dumps(body), content_type="application/json")

    assert put("DS_TONG", "1000").json()["ok"]
    answer = put("DS_NU", "1200").json()
    rule = {"message": "Dân số nữ ≤ tổng", "indicators": ["DS_NU", "DS_TONG"]}
    assert answer["violations"] == [rule]
    wrong = put("DS_TONG", "abc")
    assert wrong.status_code == 400 and wrong.json()["error"] == "Giá trị phải là một số."
    assert put("DS_NU", "500").json()["violations"] == []
    assert put("KS_GT", "3", "F").json()["filled"] == 3
    assert "Vi phạm quy tắc" not in client.get(base).content.decode()
    client.post(base + "duyet/", {"action": "submit"})
    assert "Đã nộp" in client.get(base).content.decode()
    assert put("DS_TONG", "1").status_code == 409
    other = staff_client(world.officer_b).get(base)
    assert other.status_code == 404


def test_approver_returns_with_reason_and_sees_completeness(world, staff_client) -> None:
    _enter(world, DS_TONG="1000", DS_NU="500")
    _act(world, world.officer, "submit")
    client = staff_client(world.approver)
    base = "/bao-cao/bieu/KTXH-01/000.00.31.H41/2025-Y/"
    client.post(base + "duyet/", {"action": "return", "note": "Thiếu số khai sinh"})
    assert "Thiếu số khai sinh" in client.get(base).content.decode()
    page = client.get("/bao-cao/bieu/KTXH-01/?ky=2025-Y").content.decode()
    assert "2/6" in page and "Ủy ban nhân dân xã Quế Phong" in page
    listing = client.get("/bao-cao/chi-tieu/").content.decode()
    assert "KS_GT" in listing and "Giới tính" in listing
    assert client.get("/bao-cao/chi-tieu/xuat/").status_code == 200


# --- step 6: the demo ---------------------------------------------------------------------


def test_demo_indicators_last_year_approved_this_year_partly_entered(units, make_user) -> None:
    from django.utils import timezone

    from hotich.accounts.models import User
    from hotich.reporting.demo import demo_indicators
    from hotich.reporting.models import DataForm, DataValue, FormReport
    from hotich.reporting.periods import period_containing
    from hotich.reporting.report_forms import REPORT_FORMS

    keyed = {"thanhvinh": units["a"], "quephong": units["b"], "province": units["province"]}
    for name, unit in [("tonghop", "province"), ("thanhvinh.hotich", "thanhvinh")]:
        User.objects.create(username=name, role="province", unit=keyed[unit])
    # three years of approved history (the trend, the leaders' dashboard)
    # and last year's forms the platform fills itself: civil status (HT-01/BTP, yearly), public
    # services, signatures, digitization and documents (quarterly) of the two communes
    assert demo_indicators(units=keyed) == 3 * (2 + 2 + 3 * 4) + 2 + 4 * 4 * 2
    platform = [spec.code for spec in REPORT_FORMS]
    assert Indicator.objects.exclude(forms__code__in=platform).count() == 16
    computed = FormReport.objects.filter(
        form__code__in=platform, period_code__startswith=str(period_containing(
            "quarterly", timezone.localdate()).year - 1), status="approved",
    )  # fmt: skip
    assert computed.count() == 2 + 4 * 4 * 2
    signed = DataValue.objects.filter(indicator__code="KSO_VB", organization__in=computed.values(
        "organization"), period_code__in=computed.values("period_code"))  # fmt: skip
    assert signed.count() == 4 * 2 and not signed.filter(approved=False).exists()
    last = period_containing("yearly", timezone.localdate()).year - 1
    yearly = DataForm.objects.get(code="KTXH-XA-N")
    approved = FormReport.objects.filter(form=yearly, period_code=f"{last}-Y", status="approved")
    assert approved.count() == 2
    rows = form_completeness(actor=None, form=yearly, period_code=f"{last}-Y")
    assert all(r.filled == r.expected for r in rows)
    # the approvals made by the system flag their values, as the pivot and dashboard read them
    last_values = DataValue.objects.filter(period_code=f"{last}-Y", indicator__forms=yearly)
    assert last_values.exists() and not last_values.filter(approved=False).exists()
    this_year = form_completeness(actor=None, form=yearly, period_code=f"{last + 1}-Y")
    assert 0 < sum(r.filled for r in this_year) < sum(r.expected for r in this_year)
    document = export_values(actor=None, year=last)
    assert document["dataValues"] and "DQTV_HL" not in json.dumps(document)
    # last year's forms pushed and accepted, the secret one approved but never pushed
    from hotich.reporting.models import Submission

    pushed = Submission.objects.filter(form_report__isnull=False)
    assert pushed.count() == 2 + 3 * 4 and set(pushed.values_list("status", flat=True)) == {
        "accepted"
    }
    secret = FormReport.objects.filter(
        form__code="QP-XA-N", status="approved", period_code=f"{last}-Y"
    )
    assert secret.count() == 2 and not pushed.filter(form_code="QP-XA-N").exists()


def test_each_cell_save_is_audited_and_a_user_exports_only_their_scope(world) -> None:
    from hotich.audit.models import Entry

    _enter(world, DS_TONG="1000", DS_NU="500")
    _enter(world, officer=world.officer_b, org=world.tree.commune_b, DS_TONG="3000")
    entries = Entry.objects.filter(object_type="reporting.data_value")
    assert entries.count() == 3
    assert entries.filter(object_id="DS_TONG/000.00.31.H41/2025-Y/").exists()
    for officer, org in ((world.officer, world.tree.commune), (world.officer_b,
                                                                world.tree.commune_b)):  # fmt: skip
        form_report_act(actor=officer, form=world.form, organization=org, period_code="2025-Y",
                        action="submit")  # fmt: skip
        form_report_act(actor=world.approver, form=world.form, organization=org,
                        period_code="2025-Y", action="approve")  # fmt: skip
    mine = export_values(actor=world.officer, year=2025)["dataValues"]
    assert {v["orgUnit"] for v in mine} == {"000.00.31.H41"}
    assert len(export_values(actor=world.approver, year=2025)["dataValues"]) == 3
