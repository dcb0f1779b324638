"""Decision 766 indicators against hand-computed values on a small fixture."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from hotich.portal.metrics import unit_metrics
from hotich.portal.models import Payment, Rating, Status
from hotich.portal.tests.factories import dossier_factory, file_factory

TZ = timezone.get_current_timezone()


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def make(units: Any, unit: str = "a", **values: Any) -> Any:
    return dossier_factory(unit=units[unit], **values)


@pytest.fixture
def fixture(units: Any) -> None:
    d = dt.date
    # 1: online, received Mon 2 Mar, due Tue 3 Mar, signed Tue 3 Mar (on time, 1 working day),
    #    fee paid online, has a file and a result, rated 5
    one = make(
        units,
        status=Status.RETURNED,
        channel="online",
        fee=8000,
        received_at=at(d(2026, 3, 2)),
        due_date=d(2026, 3, 3),
        resolved_at=at(d(2026, 3, 3)),
        result_path="portal/r1.pdf",
    )
    file_factory(one)
    Payment.objects.create(
        dossier=one,
        reference="R1",
        amount=8000,
        provider="local",
        status="paid",
        created_at=timezone.now(),
        paid_at=timezone.now(),
    )
    Rating.objects.create(dossier=one, score=5, created_at=at(d(2026, 3, 4)))
    # 2: desk, received Mon 2 Mar, due Tue 3 Mar, signed Fri 6 Mar (late, 4 working days),
    #    fee paid in cash, no file, result stored, rated 2
    two = make(
        units,
        status=Status.SIGNED,
        channel="desk",
        fee=8000,
        received_at=at(d(2026, 3, 2)),
        due_date=d(2026, 3, 3),
        resolved_at=at(d(2026, 3, 6)),
        result_path="portal/r2.pdf",
    )
    Payment.objects.create(
        dossier=two,
        reference="R2",
        amount=8000,
        provider="cash",
        status="paid",
        created_at=timezone.now(),
        paid_at=timezone.now(),
    )
    Rating.objects.create(dossier=two, score=2, created_at=at(d(2026, 3, 9)))
    # 3: online, received Wed 4 Mar, still in progress, with a file, no fee
    three = make(
        units,
        status=Status.IN_PROGRESS,
        channel="online",
        received_at=at(d(2026, 3, 4)),
        due_date=d(2026, 3, 9),
    )
    file_factory(three)
    # 4: online, rejected Thu 5 Mar (on time), received Thu 5 Mar, no fee
    make(
        units,
        status=Status.REJECTED,
        channel="online",
        received_at=at(d(2026, 3, 5)),
        due_date=d(2026, 3, 6),
        resolved_at=at(d(2026, 3, 5)),
    )
    # outside the period, and outside the unit
    make(units, status=Status.RECEIVED, channel="online", received_at=at(d(2026, 4, 2)))
    make(units, "b", status=Status.RECEIVED, channel="desk", received_at=at(d(2026, 3, 2)))


@pytest.mark.django_db
def test_indicators_match_hand_computed_values(units: Any, fixture: None) -> None:
    values = {
        m.key: (m.value, m.numerator, m.denominator)
        for m in unit_metrics(unit=units["a"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    }
    assert values["on_time_rate"] == (66.7, 2, 3)  # 1 and 4 on time of 1, 2, 4
    assert values["avg_processing_days"] == (1.7, 5, 3)  # (1 + 4 + 0) / 3
    assert values["online_rate"] == (75.0, 3, 4)
    assert values["online_payment_rate"] == (50.0, 1, 2)
    assert values["dossier_digitization_rate"] == (50.0, 2, 4)
    assert values["result_digitization_rate"] == (100.0, 2, 2)
    assert values["satisfaction_rate"] == (50.0, 1, 2)


@pytest.mark.django_db
def test_province_adds_up_its_communes(units: Any, fixture: None) -> None:
    values = {
        m.key: m
        for m in unit_metrics(
            unit=units["province"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
        )
    }
    assert values["online_rate"].denominator == 5 and values["online_rate"].numerator == 3


@pytest.mark.django_db
def test_formulas_are_configuration(units: Any, fixture: None) -> None:
    custom = {"on_time_rate": {"numerator": ["resolved_on_time"], "denominator": ["received"]}}
    with override_settings(HOTICH_PORTAL_METRICS=custom):
        values = {
            m.key: m
            for m in unit_metrics(
                unit=units["a"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
            )
        }
    assert values["on_time_rate"].value == 50.0  # 2 of the 4 received


@pytest.mark.django_db
def test_days_no_calendar_holds_are_refused(units: Any) -> None:
    from hotich.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="01/01/1900") as refused:
        unit_metrics(unit=units["a"], start=dt.date.min, end=dt.date(2026, 1, 1))
    assert refused.value.field == "start"
    with pytest.raises(ValidationFailed) as refused:
        unit_metrics(unit=units["a"], start=dt.date(2026, 1, 1), end=dt.date.max)
    assert refused.value.field == "end"
