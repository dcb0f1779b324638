"""The yearly summary of the approved values (ADR 0034): a pivot read from it gives the table a
pivot read from the values gives, for every view it answers, and keeps doing so through the
approval steps, a correction after a reopen and cells saved into approved values; refreshed
piece by piece it holds what a full rebuild computes."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

import pytest

from hotich.reporting.analytics import (
    COMBO,
    INDICATOR,
    ORGANIZATION,
    PERIOD,
    PivotQuery,
    _aggregate,
    summarized,
)
from hotich.reporting.approval_flags import approved_refresh
from hotich.reporting.datasets import form_assign, form_report_act, form_save, value_save
from hotich.reporting.models import DataValue, FormReport, Indicator, ValueSummary
from hotich.reporting.summaries import summary_rebuild
from hotich.reporting.tests import indicator_fixture as fx

pytestmark = pytest.mark.django_db
CODES = ["DS_TONG", "KS_GT", "BHYT_TL", "HT_KH_LAN_DAU_CO_TUOI", "HT_KH_TUOI_TB"]
YEARS = (2024, 2025)
MONTHS = [f"{y}-M{m:02d}" for y in YEARS for m in range(1, 13)]
#: the views the summary answers: periods added up to years, or not shown
VIEWS = [
    ((INDICATOR,), (PERIOD,)),
    ((INDICATOR,), (ORGANIZATION,)),
    ((ORGANIZATION,), (INDICATOR,)),
    ((INDICATOR, COMBO), (PERIOD,)),
    ((INDICATOR, COMBO), ()),
    ((INDICATOR, ORGANIZATION), (COMBO,)),
    ((ORGANIZATION, PERIOD), (INDICATOR,)),
    ((INDICATOR,), ()),
]


@pytest.fixture
def world(units, make_user):
    """Two communes reporting a monthly form of every time rule (average, sum by sex, last,
    the weighted mean age and its weight) for two years, with months and combinations left
    empty at random, most months approved."""
    world = fx.build(units, make_user)
    form = form_save(actor=None, code="KTXH-M", name="Biểu tháng", regime="monthly",
                     indicators=CODES, rules=[])  # fmt: skip
    communes = [world.tree.commune, world.tree.commune_b]
    form_assign(actor=None, form=form, organizations=communes)
    ind = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    rng = random.Random(34)
    rows = []
    for org, period in itertools.product(communes, MONTHS):
        for code, combo in [("DS_TONG", ""), ("KS_GT", "M"), ("KS_GT", "F"), ("BHYT_TL", ""),
                            ("HT_KH_LAN_DAU_CO_TUOI", "M"), ("HT_KH_LAN_DAU_CO_TUOI", "F"),
                            ("HT_KH_TUOI_TB", "M"), ("HT_KH_TUOI_TB", "F")]:  # fmt: skip
            if rng.random() < 0.2:
                continue  # not reported that month
            value = Decimal(rng.randint(0, 4000)) / (4 if code == "HT_KH_TUOI_TB" else 1)
            rows.append(DataValue(indicator=ind[code], organization=org, period_code=period,
                                  combo=combo, value=value))  # fmt: skip
        status = "approved" if rng.random() < 0.8 else "submitted"
        FormReport.objects.create(form=form, organization=org, period_code=period, status=status)
    FormReport.objects.filter(organization=world.tree.commune, period_code="2025-M12").update(
        status="approved"
    )
    DataValue.objects.bulk_create(rows)
    approved_refresh(indicator_ids=[i.pk for i in ind.values()])
    world.form = form
    return world


def _indicators():
    return list(Indicator.objects.filter(code__in=CODES).order_by("code"))


def _same_tables(world) -> None:
    """Every view, over the province and over one commune, by year and over both years, each
    combination and one: the summary's figures are the values'."""
    for (rows, columns), root, combo in itertools.product(
        VIEWS, [world.tree.province, world.tree.commune], [None, "M"]
    ):
        query = PivotQuery(rows=rows, columns=columns, indicators=tuple(CODES), org=root.code,
                           year_from=YEARS[0], year_to=YEARS[1], grain="year",
                           combo=combo)  # fmt: skip
        assert summarized(query)
        args = {"indicators": _indicators(), "root": root, "query": query}
        from_values = _rounded(_aggregate(**args, from_summary=False))
        from_summary = _rounded(_aggregate(**args, from_summary=True))
        assert from_values, (rows, columns, root, combo)
        assert from_summary == from_values, (rows, columns, root, combo)


def _rounded(records):
    return sorted((i, o, p, c, round(v, 6)) for i, o, p, c, v in records)


def _summary_rows():
    return set(ValueSummary.objects.values_list(
        "indicator_id", "organization_id", "year", "combo", "total", "periods", "last_value",
        "weighted_total", "weight_total",
    ))  # fmt: skip


def test_the_summary_answers_every_view_by_years_as_the_values_do(world) -> None:
    _same_tables(world)
    by_month = PivotQuery(rows=(INDICATOR,), columns=(PERIOD,), indicators=("DS_TONG",),
                          year_from=2025, year_to=2025)  # fmt: skip
    assert not summarized(by_month)  # months and quarters are read from the values
    unapproved = PivotQuery(rows=(INDICATOR,), columns=(), indicators=("DS_TONG",),
                            year_from=2025, year_to=2025, approved_only=False)  # fmt: skip
    assert not summarized(unapproved)
    assert ValueSummary.objects.filter(combo=".").exists()


def test_the_summary_follows_a_reopen_a_correction_and_a_new_approval(world) -> None:
    commune, period = world.tree.commune, "2025-M12"
    today = dt.date(2026, 1, 5)

    def act(form, actor, action, note=""):
        form_report_act(actor=actor, form=form, organization=commune, period_code=period,
                        action=action, note=note)  # fmt: skip

    def enter(form, code, combo, raw):
        value_save(actor=world.officer, form=form, organization=commune, period_code=period,
                   indicator_code=code, combo=combo, raw=raw, today=today)  # fmt: skip

    act(world.form, world.approver, "reopen", "Đính chính số liệu")
    _same_tables(world)
    enter(world.form, "DS_TONG", "", "123456")
    enter(world.form, "KS_GT", "F", "")
    enter(world.form, "BHYT_TL", "", "77.5")
    act(world.form, world.officer, "submit")
    act(world.form, world.approver, "approve")
    _same_tables(world)
    stored = DataValue.objects.get(
        indicator__code="DS_TONG", organization=commune, period_code=period
    )
    assert stored.approved and stored.value == 123456
    # a second, open form holding an approved indicator: its cells write approved values
    other = form_save(actor=None, code="KS-M", name="Khai sinh", regime="monthly",
                      indicators=["KS_GT", "BHYT_TL"], rules=[])  # fmt: skip
    form_assign(actor=None, form=other, organizations=[commune])
    enter(other, "KS_GT", "M", "999")
    enter(other, "KS_GT", "F", "1")
    enter(other, "BHYT_TL", "", "")
    assert DataValue.objects.get(
        indicator__code="KS_GT", organization=commune, period_code=period, combo="F"
    ).approved
    _same_tables(world)
    # what was kept piece by piece is what a full rebuild computes
    kept = _summary_rows()
    summary_rebuild()
    assert _summary_rows() == kept
