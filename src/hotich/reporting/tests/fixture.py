"""A small, hand-counted set of records for the report tests (registry factories).

Yearly period 2025 = 15/12/2024 .. 14/12/2025. Commune A (Thành Vinh) and commune B (Quế Phong)
of the ``units`` fixture. The figures each test expects are written next to each record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotich.registry.services import record_create
from hotich.registry.tests.factories import (
    BirthFactory,
    DeathFactory,
    MarriageFactory,
    person_input,
)

D = dt.date
TODAY = D(2026, 1, 20)


def _birth(unit: Any, reg: dt.date, sex: str, kind: str, ethnicity: str = "Kinh", **kw: Any):
    child = person_input(sex=sex, birth_date=reg - dt.timedelta(days=10), ethnicity=ethnicity)
    return BirthFactory(
        unit=unit,
        registration_date=reg,
        parties={"child": child},
        data={"kind": kind},
        today=TODAY,
        **kw,
    )


def _death(unit: Any, reg: dt.date, sex: str, born: str, died: dt.date) -> Any:
    return DeathFactory(
        unit=unit,
        registration_date=reg,
        parties={"deceased": person_input(sex=sex, birth_date=born)},
        data={"death_date": died.isoformat(), "death_place": "Nhà riêng", "death_cause": "Bệnh"},
        today=TODAY,
    )


def build(units: dict[str, Any]) -> dict[str, Any]:
    a, b = units["a"], units["b"]
    # Births in A: in the period 2025 → rows 1, 3, 5; out → 2 (2024), 4 (2026), 6 (draft).
    _birth(a, D(2024, 12, 15), "M", "on_time")  # 1 first day of the period
    _birth(a, D(2024, 12, 14), "F", "on_time")  # 2 last day of 2024's period
    _birth(a, D(2025, 12, 14), "F", "late", "Thái")  # 3 last day
    _birth(a, D(2025, 12, 15), "M", "on_time")  # 4 first day of 2026's period
    _birth(a, D(2025, 6, 1), "F", "re_registration")  # 5
    _birth(a, D(2025, 5, 1), "M", "on_time", register=False)  # 6 draft: never counted
    # Births in B: 7 (Thái, male, on time), 8 (Mông, female, late).
    _birth(b, D(2025, 3, 3), "M", "on_time", "Thái")  # 7
    _birth(b, D(2025, 11, 30), "F", "late", "Mông")  # 8
    # Deaths in A (age groups <1, 1-4, 5-14, 15-59, 60+).
    _death(a, D(2025, 6, 3), "M", "2025-01-10", D(2025, 6, 1))  # age 0 → <1
    _death(a, D(2025, 8, 2), "F", "2022-08-01", D(2025, 7, 31))  # age 2 → 1-4
    _death(a, D(2025, 12, 12), "M", "1965-12-20", D(2025, 12, 10))  # age 59 → 15-59
    _death(a, D(2025, 1, 5), "F", "1940-01-01", D(2025, 1, 2))  # age 85 → 60+
    _death(a, D(2024, 12, 10), "M", "1950-02-02", D(2024, 12, 9))  # 2024's period
    # Death in B: age 60 exactly on the day → 60+.
    _death(b, D(2025, 4, 2), "M", "1965-04-01", D(2025, 4, 1))
    # Marriages in A: M1 (both first: 29 and 27), divorce, M2 (husband again at 30; wife 24).
    m1 = MarriageFactory(
        unit=a,
        registration_date=D(2025, 1, 10),
        parties={
            "husband": person_input(sex="M", birth_date=D(1995, 5, 1)),
            "wife": person_input(sex="F", birth_date=D(1997, 7, 2)),
        },
        today=TODAY,
    )
    husband = m1.parties.get(role="husband").person
    wife = m1.parties.get(role="wife").person
    record_create(
        actor=None,
        event_type="divorce",
        unit=a,
        registration_date=D(2025, 6, 20),
        parties={"husband": {"person_id": husband.pk}, "wife": {"person_id": wife.pk}},
        data={
            "decision_number": "12/2025/QĐST-HNGĐ",
            "decision_date": "2025-06-10",
            "authority": "Tòa án nhân dân khu vực 1 - Nghệ An",
        },
        related_record=m1,
        today=TODAY,
    )
    MarriageFactory(
        unit=a,
        registration_date=D(2025, 9, 1),
        parties={
            "husband": {"person_id": husband.pk},
            "wife": person_input(sex="F", birth_date=D(2000, 9, 2)),
        },
        today=TODAY,
    )
    # Marriage in A outside the period (2025-12-20 belongs to 2026).
    MarriageFactory(unit=a, registration_date=D(2025, 12, 20), today=TODAY)
    return {"husband": husband}


#: hand-counted figures of the yearly period 2025 (age groups 1, 5, 15, 60)
EXPECTED_A = {
    "KS_TONG": 3, "KS_NAM": 1, "KS_NU": 2, "KS_KINH": 2, "KS_DTTS": 1,
    "KS_DUNG_HAN": 1, "KS_QUA_HAN": 1, "KS_DANG_KY_LAI": 1,
    "KT_TONG": 4, "KT_NAM": 2, "KT_NU": 2,
    "KT_TUOI_0": 1, "KT_TUOI_1": 1, "KT_TUOI_2": 0, "KT_TUOI_3": 1, "KT_TUOI_4": 1,
    "KT_TUOI_KXD": 0,
    "KH_TONG": 2, "KH_LAN_DAU_NAM": 1, "KH_LAN_DAU_NU": 2,
    "KH_TUOI_TB_NAM": 29.0, "KH_TUOI_TB_NU": 25.5,
}  # fmt: skip
EXPECTED_B = {
    "KS_TONG": 2, "KS_NAM": 1, "KS_NU": 1, "KS_KINH": 0, "KS_DTTS": 2,
    "KS_DUNG_HAN": 1, "KS_QUA_HAN": 1, "KS_DANG_KY_LAI": 0,
    "KT_TONG": 1, "KT_NAM": 1, "KT_NU": 0,
    "KT_TUOI_0": 0, "KT_TUOI_1": 0, "KT_TUOI_2": 0, "KT_TUOI_3": 0, "KT_TUOI_4": 1,
    "KT_TUOI_KXD": 0,
    "KH_TONG": 0, "KH_LAN_DAU_NAM": 0, "KH_LAN_DAU_NU": 0,
    "KH_TUOI_TB_NAM": None, "KH_TUOI_TB_NU": None,
}  # fmt: skip
EXPECTED_TOTAL = {
    k: (
        EXPECTED_A[k]
        if k.startswith("KH_TUOI")
        else int(EXPECTED_A[k] or 0) + int(EXPECTED_B[k] or 0)
    )
    for k in EXPECTED_A
}
