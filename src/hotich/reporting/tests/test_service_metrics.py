"""Portal service metrics in reporting: per commune for a reporting period, through the
portal's selector, with drill-down and the usual refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hotich.accounts.vocabulary import Role
from hotich.portal.models import Status
from hotich.portal.tests.factories import dossier_factory
from hotich.reporting.periods import Period
from hotich.reporting.service_metrics import service_metrics_report

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _dossier(unit: Any, received: dt.date, resolved: dt.date, due: dt.date) -> Any:
    return dossier_factory(
        unit=unit,
        status=Status.RETURNED,
        channel="online",
        received_at=dt.datetime.combine(received, dt.time(9), tzinfo=TZ),
        resolved_at=dt.datetime.combine(resolved, dt.time(9), tzinfo=TZ),
        due_date=due,
    )


@pytest.fixture
def dossiers(units: Any) -> None:
    d = dt.date
    _dossier(units["a"], d(2025, 3, 2), d(2025, 3, 3), d(2025, 3, 4))  # on time
    _dossier(units["a"], d(2025, 3, 2), d(2025, 3, 9), d(2025, 3, 4))  # late
    _dossier(units["b"], d(2025, 5, 5), d(2025, 5, 6), d(2025, 5, 7))  # on time
    _dossier(units["b"], d(2026, 1, 5), d(2026, 1, 6), d(2026, 1, 7))  # next year's period


def _value(row: Any, key: str) -> Any:
    return next(i.value for i in row.indicators if i.key == key)


def test_rows_per_commune_and_the_province(units: Any, dossiers: None, make_user: Any) -> None:
    report = service_metrics_report(
        actor=make_user(Role.PROVINCE, units["province"]),
        unit=units["province"],
        period=Period("yearly", 2025),
    )
    by_unit = {row.unit.code: row for row in report.rows}
    keys = [i.key for i in report.total.indicators]
    on_time = "on_time_rate"
    assert on_time in keys
    assert _value(by_unit["16681"], on_time) == 50.0
    assert _value(by_unit["16738"], on_time) == 100.0
    assert round(_value(report.total, on_time), 1) == 66.7


def test_page_drills_down_and_refuses_an_open_period(
    units: Any, dossiers: None, make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    page = client.get("/bao-cao/dich-vu-cong/?year=2025&period=Y&unit=40").content.decode()
    assert 'data-testid="service-metrics"' in page and "unit=16681" in page
    commune = client.get("/bao-cao/dich-vu-cong/?year=2025&period=Y&unit=16681")
    assert commune.status_code == 200
    later = timezone.localdate().year + 1
    refused = client.get(f"/bao-cao/dich-vu-cong/?year={later}&period=Y&unit=40")
    assert refused.status_code == 400 and "chưa kết thúc" in refused.content.decode()
    outsider = staff_client(make_user(Role.OFFICER, units["a"]))
    assert outsider.get("/bao-cao/dich-vu-cong/?year=2025&period=Y&unit=16738").status_code == 403
