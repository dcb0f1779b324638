"""The service-metrics, signature-use and digitization reports are definitions of the indicator
engine (ADR 0035): an organization's grid of the forms DVC-766, KSO-Q, SHS-Q and VB-Q fills
itself with the figures the reports show on the same data, read-only and marked computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add
from hotich.agencies.tests.factories import make_tree
from hotich.agencies.vocabulary import Position
from hotich.core.errors import ValidationFailed
from hotich.reporting.datasets import form_assign, form_computed_fill, form_grid, value_save
from hotich.reporting.digitization_progress import digitization_progress
from hotich.reporting.models import DataForm
from hotich.reporting.periods import Period
from hotich.reporting.service_metrics import service_metrics_report
from hotich.reporting.signature_use import signature_ranking
from hotich.reporting.tests.test_digitization_progress import _file_store, books  # noqa: F401
from hotich.reporting.tests.test_service_metrics import dossiers  # noqa: F401
from hotich.reporting.tests.test_signature_use import _signed

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _grid(actor: Any, code: str, organization: Any, period: str) -> dict[tuple[str, str], Any]:
    """The organization's grid of the form after its computed cells are filled."""
    form = DataForm.objects.get(code=code)
    form_assign(actor=None, form=form, organizations=[organization])
    form_computed_fill(actor=actor, form=form, organization=organization, period_code=period)
    grid = form_grid(actor=actor, form=form, organization=organization, period_code=period)
    return {(r.indicator.code, c.combo): c for r in grid.rows for c in r.cells}


@pytest.fixture
def tree(units: Any) -> Any:
    return make_tree(units)


def _officer(make_user: Any, unit: Any, organization: Any) -> Any:
    officer = make_user(Role.PROVINCE, unit)
    membership_add(
        actor=None, user=officer, organization=organization, position=Position.SPECIALIST
    )
    return officer


def test_service_metrics_grid_has_the_reports_figures(units, dossiers, tree, make_user) -> None:  # noqa: F811
    officer = _officer(make_user, units["province"], tree.province)
    # 2025-Q1: 15/12/2024 to 14/03/2025, the two dossiers of Thành Vinh
    report = service_metrics_report(
        actor=officer, unit=units["province"], period=Period("quarterly", 2025, 1)
    )
    row = next(r for r in report.rows if r.unit.pk == units["a"].pk)
    assert [(f.key, f.value) for f in row.indicators][:3] == [
        ("on_time_rate", 50.0),
        ("avg_processing_days", 3.0),
        ("online_rate", 100.0),
    ]
    for organization, figures in ((tree.commune, row), (tree.province, report.total)):
        cells = _grid(officer, "DVC-766", organization, "2025-Q1")
        by_key = {f.key: f.value for f in figures.indicators}
        assert float(cells[("DVC_TL_DUNG_HAN", "")].value) == by_key["on_time_rate"]
        assert float(cells[("DVC_TG_GIAI_QUYET", "")].value) == by_key["avg_processing_days"]
        assert cells[("DVC_HS_GIAI_QUYET", "")].value == 2 and cells[("DVC_HS_TIEP_NHAN", "")]
        assert cells[("DVC_TL_HAI_LONG", "")].value is None  # nothing rated: no share
        assert cells[("DVC_TL_DUNG_HAN", "")].computed
    assert [label for label, _measure in report.labels][:2] == [
        "Tỷ lệ giải quyết đúng hạn",
        "Thời gian giải quyết trung bình",
    ]
    assert report.labels[1][1] == "ngày làm việc"


def test_signature_grid_has_the_rankings_figures(units, tree, make_user) -> None:
    a = units["a"]
    s1, s2 = make_user(Role.SIGNER, a), make_user(Role.SIGNER, a)
    for signer, kind in ((s1, "extract"), (s1, "extract"), (s2, "birth_certificate")):
        _signed(a, kind, dt.datetime(2026, 8, 10, 9, tzinfo=TZ), signer)
    _signed(units["b"], "extract", dt.datetime(2026, 8, 11, 9, tzinfo=TZ))
    officer = _officer(make_user, units["province"], tree.province)
    ranking = signature_ranking(
        actor=officer,
        unit=units["province"],
        year=2026,
        quarter=3,
        now=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    first = ranking.rows[0]
    assert (first.unit_name, first.total, first.signers) == ("Phường Thành Vinh", 3, 2)
    cells = _grid(officer, "KSO-Q", tree.commune, "2026-Q3")
    assert cells[("KSO_VB", "")].value == first.total
    assert cells[("KSO_NGUOI_KY", "")].value == first.signers
    by_kind = {combo: c.value for (code, combo), c in cells.items() if code == "KSO_VB_LOAI"}
    assert {k: v for k, v in by_kind.items() if v} == first.by_kind
    whole = _grid(officer, "KSO-Q", tree.province, "2026-Q3")
    assert whole[("KSO_VB", "")].value == ranking.total == 4


def test_digitization_grid_has_the_reports_figures(units, books, tree, make_user) -> None:  # noqa: F811
    officer = _officer(make_user, units["province"], tree.province)
    progress = digitization_progress(actor=officer, unit=units["province"])
    total = progress.total
    assert (total.books, total.pages, total.entries, total.stages["new"]) == (3, 4, 6, 6)
    period = Period("quarterly", timezone.localdate().year, 1).code
    cells = _grid(officer, "SHS-Q", tree.province, period)
    assert cells[("SHS_SO", "")].value == total.books
    assert cells[("SHS_TRANG", "")].value == total.pages
    assert cells[("SHS_MUC", "")].value == total.entries
    assert cells[("SHS_MUC_BUOC", "new")].value == total.stages["new"]
    assert cells[("SHS_MUC_BUOC", "published")].value == 0
    commune = _grid(officer, "SHS-Q", tree.commune, period)
    assert commune[("SHS_SO", "")].value == 1 and commune[("SHS_MUC", "")].value == 2


def test_computed_cells_are_refused_when_typed(units, tree, make_user) -> None:
    officer = _officer(make_user, units["province"], tree.province)
    form = DataForm.objects.get(code="VB-Q")
    form_assign(actor=None, form=form, organizations=[tree.province])
    with pytest.raises(ValidationFailed, match="tự động"):
        value_save(actor=officer, form=form, organization=tree.province, period_code="2025-Q1",
                   indicator_code="VB_DEN", combo="", raw="3")  # fmt: skip


def test_documents_grid_counts_the_agencys_documents(units, tree, make_user) -> None:
    from hotich.documents.models import Document

    officer = _officer(make_user, units["province"], tree.province)
    day = dt.datetime(2025, 2, 3, 9, tzinfo=TZ)
    common = {"unit": units["province"], "organization": tree.province, "title": "Công văn",
              "doc_type": "CV"}  # fmt: skip
    Document.objects.create(direction="in", status="received",
                            deadline=dt.date(2025, 2, 10), **common)  # fmt: skip
    Document.objects.create(direction="in", status="received", **common)
    Document.objects.create(direction="out", status="issued", issued_at=day, **common)
    Document.objects.filter(direction="in").update(created_at=day)
    cells = _grid(officer, "VB-Q", tree.province, "2025-Q1")
    assert cells[("VB_DEN", "")].value == 2 and cells[("VB_DI", "")].value == 1
    assert cells[("VB_DEN_CO_HAN", "")].value == 1
    assert cells[("VB_DEN_XU_LY", "overdue")].value == 1
    assert cells[("VB_DEN_XU_LY", "on_time")].value == Decimal(0)


def test_digitization_report_reads_a_constant_number_of_queries(
    units,
    books,  # noqa: F811
    make_user,
    django_assert_num_queries,
) -> None:
    from hotich.registry.tests.factories import historic_book

    province = make_user(Role.PROVINCE, units["province"])
    # the form (three), the units of the tree, the books, their pages, their entries
    with django_assert_num_queries(7):
        digitization_progress(actor=province, unit=units["province"])
    for year in range(1970, 1975):
        historic_book(unit=units["a"], year=year)
    with django_assert_num_queries(7):
        assert digitization_progress(actor=province, unit=units["province"]).total.books == 8
