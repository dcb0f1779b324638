"""Vietnamese names drawn from real frequencies, for demo data and benchmarks.

Surname shares follow the published estimates (Nguyễn about 38%, Trần 11%, Lê 9.5%, …); "Văn"
and "Thị" dominate middle names for men and women. Faker's vi_VN locale writes names in the wrong
order, so the project generates its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.0),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 2.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.8),
    ("Đào", 0.6),
    ("Cao", 0.5),
    ("Lương", 0.4),
    ("Trịnh", 0.4),
    ("Hà", 0.4),
    ("Lưu", 0.3),
    ("Mai", 0.3),
    ("Thái", 0.3),
    ("Chu", 0.2),
    ("Lò", 0.2),
    ("Vi", 0.2),
    ("Lô", 0.2),
    ("Quang", 0.1),
]
MIDDLE_MALE: list[tuple[str, float]] = [
    ("Văn", 45.0),
    ("Đức", 8.0),
    ("Minh", 8.0),
    ("Hữu", 7.0),
    ("Quang", 6.0),
    ("Công", 5.0),
    ("Xuân", 4.0),
    ("Đình", 4.0),
    ("Thanh", 4.0),
    ("Ngọc", 3.0),
    ("Trọng", 3.0),
    ("Hoàng", 3.0),
]
MIDDLE_FEMALE: list[tuple[str, float]] = [
    ("Thị", 55.0),
    ("Ngọc", 7.0),
    ("Thu", 6.0),
    ("Thanh", 6.0),
    ("Minh", 4.0),
    ("Hồng", 4.0),
    ("Kim", 4.0),
    ("Thùy", 4.0),
    ("Phương", 3.0),
    ("Mai", 3.0),
    ("Bảo", 2.0),
    ("Khánh", 2.0),
]
GIVEN_MALE: list[tuple[str, float]] = [
    ("Anh", 6.0),
    ("Hùng", 5.0),
    ("Dũng", 5.0),
    ("Tuấn", 5.0),
    ("Nam", 5.0),
    ("Long", 4.0),
    ("Hải", 4.0),
    ("Sơn", 4.0),
    ("Thắng", 4.0),
    ("Quân", 3.0),
    ("Cường", 3.0),
    ("Đức", 3.0),
    ("Hiếu", 3.0),
    ("Trung", 3.0),
    ("Phong", 2.0),
    ("Bình", 2.0),
    ("Lâm", 2.0),
    ("Khoa", 2.0),
    ("Huy", 3.0),
    ("Thành", 3.0),
    ("Tài", 2.0),
    ("Tùng", 2.0),
    ("Việt", 2.0),
    ("Hoàng", 2.0),
    ("Kiên", 1.5),
    ("Lực", 1.0),
    ("Nghĩa", 1.5),
    ("Phúc", 2.0),
    ("Quyết", 1.0),
    ("Vinh", 1.5),
]
GIVEN_FEMALE: list[tuple[str, float]] = [
    ("Hương", 5.0),
    ("Lan", 4.0),
    ("Linh", 5.0),
    ("Trang", 5.0),
    ("Hằng", 4.0),
    ("Hà", 4.0),
    ("Ngọc", 3.0),
    ("Thảo", 4.0),
    ("Hoa", 4.0),
    ("Mai", 3.0),
    ("Huyền", 3.0),
    ("Nga", 3.0),
    ("Phương", 3.0),
    ("Thủy", 3.0),
    ("Yến", 3.0),
    ("Nhung", 2.0),
    ("Oanh", 2.0),
    ("Loan", 2.0),
    ("Vân", 2.0),
    ("Anh", 4.0),
    ("Chi", 2.0),
    ("Dung", 2.0),
    ("Giang", 2.0),
    ("Hạnh", 2.0),
    ("Lệ", 1.0),
    ("Nhàn", 1.0),
    ("Quỳnh", 2.0),
    ("Tâm", 2.0),
    ("Uyên", 1.5),
    ("Xuân", 1.5),
]


@dataclass(frozen=True)
class GeneratedName:
    surname: str
    middle: str
    given: str
    sex: str  # "M" or "F"

    @property
    def full(self) -> str:
        return f"{self.surname} {self.middle} {self.given}"


def _pick(rng: random.Random, table: list[tuple[str, float]]) -> str:
    names = [name for name, _weight in table]
    return rng.choices(names, weights=[weight for _name, weight in table], k=1)[0]


def random_name(
    rng: random.Random, sex: str | None = None, surname: str | None = None
) -> GeneratedName:
    """A name for a person of ``sex`` ("M"/"F", random when None), optionally with a set surname."""
    sex = sex or rng.choice("MF")
    male = sex == "M"
    return GeneratedName(
        surname=surname or _pick(rng, SURNAMES),
        middle=_pick(rng, MIDDLE_MALE if male else MIDDLE_FEMALE),
        given=_pick(rng, GIVEN_MALE if male else GIVEN_FEMALE),
        sex=sex,
    )
