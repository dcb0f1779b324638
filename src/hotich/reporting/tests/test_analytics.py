"""Analytics: the pivot aggregates in the database by each indicator's rules, within the user's
scope and secrecy; trend chart, XLSX export, saved views and the leaders' dashboard."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hotich.core.errors import NotFound, ValidationFailed
from hotich.reporting.analytics import (
    COMBO,
    INDICATOR,
    ORGANIZATION,
    PERIOD,
    PivotQuery,
    key_figures,
    pivot,
    pivot_xlsx,
    saved_view_save,
    saved_views,
    trend_svg,
)
from hotich.reporting.approval_flags import approved_refresh
from hotich.reporting.datasets import (
    form_assign,
    form_report_act,
    form_save,
    indicator_aggregate,
    value_save,
)
from hotich.reporting.models import DataValue, FormReport, Indicator
from hotich.reporting.tests import indicator_fixture as fx

pytestmark = pytest.mark.django_db
QUARTERS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


@pytest.fixture
def world(units, make_user):
    world = fx.build(units, make_user)
    quarterly = form_save(
        actor=None,
        code="KTXH-Q",
        name="Biểu quý",
        regime="quarterly",
        indicators=["DS_TONG", "KS_GT", "BHYT_TL", "QP_MAT"],
        rules=[],
    )
    form_assign(
        actor=None, form=quarterly, organizations=[world.tree.commune, world.tree.commune_b]
    )
    ind = {i.code: i for i in Indicator.objects.all()}
    rows = []
    for n, org in enumerate([world.tree.commune, world.tree.commune_b]):
        for q, period in enumerate(QUARTERS):
            base = 1000 * (n + 1) + 10 * q
            rows += [
                DataValue(indicator=ind["DS_TONG"], organization=org, period_code=period,
                          value=base),
                DataValue(indicator=ind["KS_GT"], organization=org, period_code=period,
                          combo="M", value=5 + q),
                DataValue(indicator=ind["KS_GT"], organization=org, period_code=period,
                          combo="F", value=4 + q),
                DataValue(indicator=ind["BHYT_TL"], organization=org, period_code=period,
                          value=90 + n + q),
                DataValue(indicator=ind["QP_MAT"], organization=org, period_code=period,
                          value=7),
            ]  # fmt: skip
            # the second commune's last quarter is entered but not approved
            status = "submitted" if (n, period) == (1, "2025-Q4") else "approved"
            FormReport.objects.create(form=quarterly, organization=org, period_code=period,
                                      status=status)  # fmt: skip
    DataValue.objects.bulk_create(rows)
    # the reports were made approved directly, not through the approval step: set the flag
    approved_refresh(indicator_ids=[i.pk for i in ind.values()])
    return world


def _query(**kw):
    base = {"form": "KTXH-Q", "year_from": 2025, "year_to": 2025}
    return PivotQuery(**{**base, **kw})


def test_rules_over_time_and_units_match_the_tree_aggregate(world) -> None:
    table = pivot(actor=world.approver, query=_query(rows=(INDICATOR,), columns=(ORGANIZATION,)))
    a, b = world.tree.commune.code, world.tree.commune_b.code
    assert [h.key for h in table.column_headers] == [a, b]
    # population: average over the quarters; births: sum; insurance: the last approved quarter
    assert table.value(("DS_TONG",), a) == Decimal(1015)
    assert table.value(("DS_TONG",), b) == Decimal(2010)  # Q4 not approved: Q1-Q3 only
    assert table.value(("KS_GT",), a) == Decimal(5 + 6 + 7 + 8 + 4 + 5 + 6 + 7)
    assert table.value(("BHYT_TL",), a) == Decimal("93.00")
    assert table.value(("BHYT_TL",), b) == Decimal("93.00")  # its Q3, the last approved
    # the province as one column: the same figures as the Python aggregate up the tree
    whole = pivot(actor=world.approver, query=_query(rows=(INDICATOR,), columns=()))
    for code in ("DS_TONG", "KS_GT", "BHYT_TL"):
        expected = indicator_aggregate(
            indicator=Indicator.objects.get(code=code),
            organization=world.tree.province,
            period_codes=QUARTERS,
        )
        assert expected is not None
        assert whole.value((code,), "") == expected.quantize(whole.value((code,), "") or 1)


def test_periods_combos_and_unapproved_values_on_request(world) -> None:
    table = pivot(
        actor=world.approver,
        query=_query(indicators=("KS_GT",), form="", rows=(COMBO,), columns=(PERIOD,)),
    )
    assert [h.key for h in table.column_headers] == QUARTERS
    assert [h[0].label for h in table.row_headers] == ["Nam", "Nữ"]
    assert table.value(("M",), "2025-Q4") == Decimal(8)  # the unapproved one left out
    every = pivot(
        actor=world.approver,
        query=_query(indicators=("KS_GT",), form="", rows=(COMBO,), columns=(PERIOD,),
                     approved_only=False),
    )  # fmt: skip
    assert every.value(("M",), "2025-Q4") == Decimal(16)
    yearly = pivot(
        actor=world.approver,
        query=_query(indicators=("KS_GT",), form="", rows=(ORGANIZATION,), columns=(PERIOD,),
                     grain="year", combo="F"),
    )  # fmt: skip
    assert yearly.value((world.tree.commune.code,), "2025") == Decimal(4 + 5 + 6 + 7)
    svg = str(trend_svg(every))
    assert svg.startswith("<svg") and svg.count("<polyline") == 2 and "<script" not in svg


def test_scope_and_secrecy(world) -> None:
    own = pivot(actor=world.officer, query=_query(rows=(ORGANIZATION,), columns=(INDICATOR,)))
    assert own.root == world.tree.commune
    assert [h[0].key for h in own.row_headers] == [world.tree.commune.code]
    assert "QP_MAT" not in [h.key for h in own.column_headers]  # secret: not for an officer
    with pytest.raises(NotFound):
        pivot(actor=world.officer, query=_query(org=world.tree.province.code))
    with pytest.raises(NotFound):
        pivot(actor=world.officer, query=_query(form="", indicators=("QP_MAT",)))
    province = pivot(actor=world.approver, query=_query(rows=(ORGANIZATION,), columns=(INDICATOR,)))
    assert province.root == world.tree.province
    assert "QP_MAT" in [h.key for h in province.column_headers]
    assert len(province.row_headers) == 2
    with pytest.raises(ValidationFailed, match="một chỉ tiêu"):
        pivot(actor=world.approver, query=_query(rows=(ORGANIZATION,), columns=(PERIOD,)))


def test_xlsx_export_and_saved_views_shared_with_the_organization(world, make_user) -> None:
    table = pivot(actor=world.approver, query=_query(rows=(INDICATOR,), columns=(ORGANIZATION,)))
    sheet = load_workbook(io.BytesIO(pivot_xlsx(table))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][0] == "Chỉ tiêu"
    assert rows[4][0].startswith("DS_TONG") and rows[4][1] == 1015
    mine = saved_view_save(actor=world.officer, name="Dân số  quý", query=_query(), share=False)
    shared = saved_view_save(actor=world.approver, name="Toàn tỉnh", query=_query(), share=True)
    assert mine.query["bieu"] == "KTXH-Q"
    assert set(saved_views(world.officer)) == {mine}
    assert set(saved_views(world.approver)) == {shared}
    with pytest.raises(ValidationFailed):
        saved_view_save(actor=world.officer, name=" ", query=_query(), share=False)


def test_key_figures_and_pages(world, staff_client) -> None:
    Indicator.objects.filter(code__in=["DS_TONG", "QP_MAT"]).update(is_key=True)
    root, figures = key_figures(actor=world.officer, year=2025)
    assert root == world.tree.commune
    (population,) = figures
    assert (population.period, population.value, population.previous) == (
        "2025-Q4", Decimal(1030), Decimal(1020),
    )  # fmt: skip
    assert population.change_text == "+10" and "<polyline" in population.sparkline
    client = staff_client(world.approver)
    html = client.get("/bao-cao/lanh-dao/?nam=2025").content.decode()
    assert "Chỉ tiêu quốc phòng" in html and "Dân số trung bình" in html
    page = client.get(
        "/bao-cao/phan-tich/?bieu=KTXH-Q&hang=indicator&cot=period&tu_nam=2025&den_nam=2025"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="pivot"' in text and "1.015" not in text and "2025-Q3" in text
    assert client.get("/bao-cao/phan-tich/").status_code == 200  # the first form, by default
    bad = client.get("/bao-cao/phan-tich/?bieu=KTXH-Q&hang=bogus")
    assert bad.status_code == 400 and "Chiều không hợp lệ." in bad.content.decode()
    xlsx = client.get("/bao-cao/phan-tich/xlsx/?bieu=KTXH-Q&hang=indicator&cot=period"
                      "&tu_nam=2025&den_nam=2025")  # fmt: skip
    assert xlsx["Content-Type"].startswith("application/vnd.openxml")
    saved = client.post(
        "/bao-cao/phan-tich/luu/",
        {"ten": "Quý 2025", "bieu": "KTXH-Q", "hang": "indicator", "cot": "period",
         "tu_nam": "2025", "den_nam": "2025", "chia_se": "1"},
    )  # fmt: skip
    assert saved.status_code == 302 and "bieu=KTXH-Q" in saved["Location"]


def test_the_approved_flag_follows_the_approval_steps_and_forms_sharing_an_indicator(
    units, make_user
) -> None:
    world = fx.build(units, make_user)
    commune, period = world.tree.commune, fx.PERIOD
    other = form_save(actor=None, code="DS-N", name="Biểu dân số", regime="yearly",
                      indicators=["DS_TONG"], rules=[])  # fmt: skip
    form_assign(actor=None, form=other, organizations=[commune])

    def act(form, actor, action, note=""):
        form_report_act(actor=actor, form=form, organization=commune, period_code=period,
                        action=action, note=note)  # fmt: skip

    def enter(form, code, raw):
        value_save(actor=world.officer, form=form, organization=commune, period_code=period,
                   indicator_code=code, combo="", raw=raw, today=dt.date(2026, 1, 10))  # fmt: skip

    def flags():
        stored = DataValue.objects.filter(organization=commune)
        return dict(stored.values_list("indicator__code", "approved"))

    def total(**kw):
        table = pivot(actor=None, query=_query(form="", indicators=("DS_TONG",), columns=(),
                                               year_from=2025, year_to=2025, **kw))  # fmt: skip
        return table.value(("DS_TONG",), "")

    enter(world.form, "DS_TONG", "1000")
    enter(world.form, "DS_NU", "510")
    act(world.form, world.officer, "submit")
    assert flags() == {"DS_TONG": False, "DS_NU": False}
    act(world.form, world.approver, "approve")
    assert flags() == {"DS_TONG": True, "DS_NU": True}
    assert total() == Decimal(1000)
    # DS_TONG typed again through the other form (open): still approved through the first one
    enter(other, "DS_TONG", "1001")
    assert flags()["DS_TONG"] is True
    act(world.form, world.approver, "reopen", "Đính chính")
    assert flags() == {"DS_TONG": False, "DS_NU": False}
    assert total() is None and total(approved_only=False) == Decimal(1001)
    act(other, world.officer, "submit")
    act(other, world.approver, "approve")
    assert flags() == {"DS_TONG": True, "DS_NU": False}
    # a form that drops the indicator no longer makes its values approved
    form_save(actor=None, code="DS-N", name="Biểu dân số", regime="yearly",
              indicators=["DS_NU"], rules=[])  # fmt: skip
    assert flags() == {"DS_TONG": False, "DS_NU": True}
    for indicator in Indicator.objects.filter(code__in=["DS_TONG", "DS_NU"]):
        assert total_of(indicator, commune) == (Decimal(510) if indicator.code == "DS_NU" else None)


def total_of(indicator, organization):
    return indicator_aggregate(indicator=indicator, organization=organization,
                               period_codes=[fx.PERIOD])  # fmt: skip


def test_a_weighted_mean_weighs_each_value_by_its_weight_indicator(world) -> None:
    """The civil-status form's mean age at first marriage (``weighted``) over two communes and
    two quarters: Σ(age × persons with a known age) / Σ(persons), the same in the pivot's SQL,
    in ``indicator_aggregate`` and by hand."""
    mean = Indicator.objects.get(code="HT_KH_TUOI_TB")
    persons = Indicator.objects.get(code="HT_KH_LAN_DAU_CO_TUOI")
    assert mean.aggregation_units == "weighted" and mean.weight_id == persons.pk
    form = form_save(actor=None, code="KH-Q", name="Kết hôn", regime="quarterly",
                     indicators=[persons.code, mean.code], rules=[])  # fmt: skip
    a, b = world.tree.commune, world.tree.commune_b
    figures = {  # (organization, quarter, sex): (mean age, persons)
        (a, "2025-Q1", "M"): ("28.5", 2), (a, "2025-Q2", "M"): ("31", 1),
        (b, "2025-Q1", "M"): ("25", 4), (a, "2025-Q1", "F"): ("24", 3),
        (b, "2025-Q2", "F"): ("27.25", 4),
    }  # fmt: skip
    for (org, period, sex), (age, n) in figures.items():
        DataValue.objects.create(indicator=mean, organization=org, period_code=period,
                                 combo=sex, value=Decimal(age))  # fmt: skip
        DataValue.objects.create(indicator=persons, organization=org, period_code=period,
                                 combo=sex, value=n)  # fmt: skip
        FormReport.objects.get_or_create(form=form, organization=org, period_code=period,
                                         defaults={"status": "approved"})  # fmt: skip
    approved_refresh(indicator_ids=[mean.pk, persons.pk])
    men = (Decimal("28.5") * 2 + 31 + 25 * 4) / 7
    table = pivot(
        actor=world.approver,
        query=_query(form="KH-Q", rows=(INDICATOR, COMBO), columns=(ORGANIZATION,)),
    )
    by_sex = pivot(
        actor=world.approver,
        query=_query(form="", indicators=(mean.code,), rows=(COMBO,), columns=()),
    )
    assert by_sex.value(("M",), "") == men.quantize(Decimal("0.01"))
    assert by_sex.value(("F",), "") == ((24 * 3 + Decimal("27.25") * 4) / 7).quantize(
        Decimal("0.01")
    )
    assert table.value((mean.code, "M"), a.code) == ((Decimal("28.5") * 2 + 31) / 3).quantize(
        Decimal("0.01")
    )
    assert table.value((persons.code, "M"), a.code) == 3
    expected = indicator_aggregate(
        indicator=mean, organization=world.tree.province, period_codes=QUARTERS, combo="M"
    )
    assert expected is not None and expected.quantize(Decimal("0.01")) == by_sex.value(("M",), "")
    everyone = indicator_aggregate(
        indicator=mean, organization=world.tree.province, period_codes=QUARTERS
    )
    whole = pivot(
        actor=world.approver,
        query=_query(form="", indicators=(mean.code,), rows=(INDICATOR,), columns=()),
    )
    assert everyone is not None
    assert whole.value((mean.code,), "") == everyone.quantize(Decimal("0.01"))
    assert everyone == (Decimal("28.5") * 2 + 31 + 100 + 72 + 109) / 14


def test_the_completeness_of_a_year_is_that_of_each_period_in_two_queries(
    world, staff_client, django_assert_max_num_queries
) -> None:
    from hotich.reporting.datasets import form_completeness, form_completeness_year
    from hotich.reporting.models import DataForm

    form = DataForm.objects.get(code="KTXH-Q")
    with django_assert_max_num_queries(8):  # values, reports, organizations, rows, categories
        year = form_completeness_year(actor=world.approver, form=form, year=2025)
    assert list(year) == QUARTERS
    for period, rows in year.items():
        one = form_completeness(actor=world.approver, form=form, period_code=period)
        assert [(r.organization, r.filled, r.status, r.on_time) for r in rows] == [
            (r.organization, r.filled, r.status, r.on_time) for r in one
        ]
    assert [(r.filled, r.expected, r.status) for r in year["2025-Q4"]] == [
        (5, 5, "approved"), (5, 5, "submitted"),
    ]  # fmt: skip
    html = staff_client(world.approver).get("/bao-cao/bieu/KTXH-Q/?ky=2025-Q4&nam=2025")
    text = html.content.decode()
    assert html.status_code == 200 and "Năm 2025" in text and text.count("100 %") >= 8


def test_the_civil_status_form_is_reported_like_any_form(world, staff_client) -> None:
    """HT-01-BTP assigned to a commune: its cells computed from the register when it is
    submitted, approved by the system, and its grid shows the system's steps."""
    from hotich.reporting.models import DataForm

    form = DataForm.objects.get(code="HT-01-BTP")
    commune = world.tree.commune
    form_assign(actor=None, form=form, organizations=[commune])
    for action in ("submit", "approve"):
        form_report_act(actor=None, form=form, organization=commune, period_code="2025-Y",
                        action=action)  # fmt: skip
    values = DataValue.objects.filter(organization=commune, period_code="2025-Y",
                                      indicator__forms=form)  # fmt: skip
    assert values.filter(indicator__code="HT_KS", combo="", value=0, approved=True).exists()
    assert values.filter(indicator__code="HT_KT_TUOI").count() == 6
    page = staff_client(world.approver).get(f"/bao-cao/bieu/HT-01-BTP/{commune.code}/2025-Y/")
    text = page.content.decode()
    assert page.status_code == 200 and "Hệ thống" in text and "Khai tử theo nhóm tuổi" in text
