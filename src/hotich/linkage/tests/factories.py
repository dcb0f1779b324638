"""Objects of linkage for tests (and the scope matrix)."""

from __future__ import annotations

from typing import Any

from hotich.linkage.models import (
    CandidatePair,
    Disagreement,
    LinkageRun,
    PairStatus,
    RunStatus,
)

LEFT = {
    "id": "H1",
    "full_name": "Nguyen Thi Hang",
    "birth_date": "1990",
    "sex": "F",
    "birth_place": "Xã Nghi Phú, Thành phố Vinh, Tỉnh Nghệ An",
    "father_name": "Nguyen Van An",
    "mother_name": "Le Thi Hoa",
    "personal_id": "",
}
RIGHT = {
    "id": "C7",
    "full_name": "Nguyễn Thị Hằng",
    "birth_date": "1990-05-17",
    "sex": "F",
    "birth_place": "Phường Vinh Phú, Tỉnh Nghệ An",
    "father_name": "Nguyễn Văn An",
    "mother_name": "",
    "personal_id": "040190123456",
}


def run_in(unit: Any, **extra: Any) -> LinkageRun:
    values: dict[str, Any] = {
        "unit": unit,
        "status": RunStatus.DONE,
        "left_name": "historic.csv",
        "right_name": "register.csv",
        "left_path": "linkage/none/left.csv",
        "right_path": "linkage/none/right.csv",
    }
    values.update(extra)
    return LinkageRun.objects.create(**values)


def pair_in(unit: Any, **extra: Any) -> CandidatePair:
    values: dict[str, Any] = {
        "run": run_in(unit),
        "unit": unit,
        "left_id": "H1",
        "right_id": "C7",
        "probability": 0.8,
        "left_record": LEFT,
        "right_record": RIGHT,
        "status": PairStatus.REVIEW,
    }
    values.update(extra)
    return CandidatePair.objects.create(**values)


def disagreement_in(unit: Any, **extra: Any) -> Disagreement:
    from hotich.registry.tests.factories import BirthFactory

    record = extra.pop("record", None) or BirthFactory(unit=unit)
    values: dict[str, Any] = {
        "unit": unit,
        "record": record,
        "role": "child",
        "personal_id": "040190123456",
        "field": "full_name",
        "book_value": "Nguyễn Thị Hằng",
        "popdb_value": "Nguyễn Thị Hẳng",
    }
    values.update(extra)
    return Disagreement.objects.create(**values)
