"""``registry.statistics``: grouped counts computed in the database, checked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Value

from hotich.registry.models import Party
from hotich.registry.statistics import UNKNOWN_AGE, civil_status_counts, years_between
from hotich.registry.tests.factories import (
    BirthFactory,
    DeathFactory,
    MarriageFactory,
    person_input,
)

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 1, 10)


@pytest.mark.parametrize(
    ("later", "earlier", "years"),
    [
        ("2025-06-01", "2025-01-10", 0),
        ("2025-07-31", "2022-08-01", 2),
        ("2025-08-01", "2022-08-01", 3),
        ("2025-04-01", "1965-04-01", 60),
        ("2025-03-31", "1965-04-01", 59),
        ("2025-01-02", "1940", 85),
        ("2025-06-01", "1990-06", 35),
        ("2025-05-31", "1990-06", 34),
    ],
)
def test_years_between(later: str, earlier: str, years: int, units) -> None:
    BirthFactory(unit=units["a"], registration_date=D(2025, 1, 5), today=TODAY)
    row = (
        Party.objects.annotate(age=years_between(Value(later), Value(earlier)))
        .values_list("age", flat=True)
        .first()
    )
    assert row == years


def test_grouped_counts(units) -> None:
    a, b = units["a"], units["b"]
    start, end = D(2024, 12, 15), D(2025, 12, 14)

    def birth(unit, reg, sex, kind, ethnicity="Kinh", **kw):
        child = person_input(sex=sex, birth_date=reg - dt.timedelta(days=3), ethnicity=ethnicity)
        BirthFactory(
            unit=unit, registration_date=reg, parties={"child": child}, data={"kind": kind},
            today=TODAY, **kw,
        )  # fmt: skip

    birth(a, D(2024, 12, 15), "M", "on_time")
    birth(a, D(2024, 12, 16), "M", "on_time")
    birth(a, D(2025, 12, 14), "F", "late", "Thái")
    birth(a, D(2024, 12, 14), "F", "on_time")  # before the start
    birth(a, D(2025, 12, 15), "F", "on_time")  # after the end
    birth(a, D(2025, 5, 5), "F", "on_time", register=False)  # draft
    birth(b, D(2025, 2, 2), "F", "re_registration")
    DeathFactory(
        unit=a, registration_date=D(2025, 3, 3), today=TODAY,
        parties={"deceased": person_input(sex="F", birth_date="1930-05-05")},
        data={"death_date": "2025-03-01", "death_place": "Nhà riêng"},
    )  # fmt: skip
    MarriageFactory(
        unit=b, registration_date=D(2025, 10, 10), today=TODAY,
        parties={
            "husband": person_input(sex="M", birth_date=D(2000, 10, 11)),
            "wife": person_input(sex="F", birth_date=D(2001, 10, 10)),
        },
    )  # fmt: skip

    counts = civil_status_counts(unit_ids=[a.pk, b.pk], start=start, end=end, age_bounds=(1, 60))
    births = sorted(
        (r["unit_id"], r["sex"], r["ethnicity"], r["kind"], r["n"]) for r in counts.births
    )
    assert births == sorted(
        [
            (a.pk, "M", "Kinh", "on_time", 2),
            (a.pk, "F", "Thái", "late", 1),
            (b.pk, "F", "Kinh", "re_registration", 1),
        ]
    )
    assert [(r["unit_id"], r["sex"], r["age_group"], r["n"]) for r in counts.deaths] == [
        (a.pk, "F", 2, 1)  # 94 years old → the third group (60 and over)
    ]
    marriages = sorted(
        (r["role"], r["first"], r["n"], r["age_sum"], r["age_n"]) for r in counts.marriages
    )
    assert marriages == [("husband", True, 1, 24, 1), ("wife", True, 1, 24, 1)]
    only_b = civil_status_counts(unit_ids=[b.pk], start=start, end=end)
    assert sum(r["n"] for r in only_b.births) == 1
    assert civil_status_counts(unit_ids=[], start=start, end=end).births == []
    assert UNKNOWN_AGE == -1
