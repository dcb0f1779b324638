"""Data entry: warnings against the organization's own history, comments per cell (audited),
and computed cells filled from the register."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hotich.audit.models import Entry
from hotich.core.errors import ValidationFailed
from hotich.reporting.datasets import (
    form_computed_fill,
    form_grid,
    form_report_act,
    outlier_warning,
    value_comment,
    value_save,
)
from hotich.reporting.models import DataValue, FormRow, Indicator, Source
from hotich.reporting.tests import fixture as records
from hotich.reporting.tests import indicator_fixture as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(units, make_user):
    return fx.build(units, make_user)


def _save(world, code, raw, combo="", comment=""):
    return value_save(actor=world.officer, form=world.form, organization=world.tree.commune,
                      period_code=fx.PERIOD, indicator_code=code, combo=combo, raw=raw,
                      comment=comment)  # fmt: skip


def _grid(world):
    grid = form_grid(actor=world.officer, form=world.form, organization=world.tree.commune,
                     period_code=fx.PERIOD)  # fmt: skip
    return {(r.indicator.code, c.combo): c for r in grid.rows for c in r.cells}


def test_outlier_rule() -> None:
    history = [Decimal(v) for v in (1000, 1010, 990, 1005)]
    assert outlier_warning(Decimal(1003), history) == ""
    assert "trung vị 1002.5" in outlier_warning(Decimal(5000), history)
    assert outlier_warning(Decimal(200), history)  # under a third of the median
    assert outlier_warning(Decimal(5000), history[:2]) == ""  # too short a history


def test_unusual_value_warns_but_is_saved_and_comments_are_kept(world) -> None:
    total = Indicator.objects.get(code="DS_TONG")
    for year, value in ((2022, 1000), (2023, 1010), (2024, 990)):
        DataValue.objects.create(indicator=total, organization=world.tree.commune,
                                 period_code=f"{year}-Y", value=value)  # fmt: skip
    saved = _save(world, "DS_TONG", "10000")
    assert saved.value == 10000 and "khác thường" in saved.warning
    assert "khác thường" in _grid(world)[("DS_TONG", "")].warning
    assert _save(world, "DS_TONG", "1020").warning == ""

    with pytest.raises(ValidationFailed, match="chưa có số liệu"):
        value_comment(actor=world.officer, form=world.form, organization=world.tree.commune,
                      period_code=fx.PERIOD, indicator_code="DS_NU", combo="",
                      text="x")  # fmt: skip
    value_comment(actor=world.officer, form=world.form, organization=world.tree.commune,
                  period_code=fx.PERIOD, indicator_code="DS_TONG", combo="",
                  text="Số liệu của Chi cục Thống kê")  # fmt: skip
    _save(world, "DS_TONG", "1021")  # a new value keeps the comment
    assert _grid(world)[("DS_TONG", "")].comment == "Số liệu của Chi cục Thống kê"
    entry = Entry.objects.filter(object_type="reporting.data_value").order_by("-seq")[1]
    assert entry.detail == {"comment": True}


def test_computed_cells_fill_from_the_register_and_are_read_only(units, world) -> None:
    records.build(units)
    Indicator.objects.filter(code="KS_GT").update(source=Source.BIRTHS)
    marriages = Indicator.objects.create(code="KH_SL", name="Số cặp kết hôn", value_type="integer",
                                         aggregation_units="sum", aggregation_time="sum",
                                         source=Source.MARRIAGES)  # fmt: skip
    FormRow.objects.create(form=world.form, indicator=marriages, order=9)
    changed = form_computed_fill(
        actor=world.officer, form=world.form, organization=world.tree.commune,
        period_code=fx.PERIOD,
    )  # fmt: skip
    assert changed == 3
    cells = _grid(world)
    # the hand-counted figures of commune A for 2025 (reporting/tests/fixture.py)
    assert (cells[("KS_GT", "M")].value, cells[("KS_GT", "F")].value) == (1, 2)
    assert cells[("KH_SL", "")].value == 2 and cells[("KH_SL", "")].computed
    with pytest.raises(ValidationFailed, match="tự động"):
        _save(world, "KS_GT", "9", combo="M")
    _save(world, "DS_TONG", "1000")
    DataValue.objects.filter(indicator__code="KS_GT").delete()
    form_report_act(actor=world.officer, form=world.form, organization=world.tree.commune,
                    period_code=fx.PERIOD, action="submit")  # fmt: skip
    assert DataValue.objects.filter(indicator__code="KS_GT").count() == 2  # filled on submit
