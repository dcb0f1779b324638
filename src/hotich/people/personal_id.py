"""The 12-digit personal ID number (số định danh cá nhân).

Layout (province codes: Circular 07/2016/TT-BCA, appendix 1)::

    digits 1-3   code of the province where the birth was registered (63 pre-2025 codes)
    digit  4     century and sex: 20th century male 0 / female 1, 21st male 2 / female 3;
                 22nd male 4 / female 5 is unconfirmed and accepted only when the setting
                 ``HOTICH_ID_ALLOW_FUTURE_CENTURIES`` is true; 6-9 are refused
    digits 5-6   last two digits of the year of birth
    digits 7-12  random

Every refusal raises :class:`hotich.core.errors.ValidationFailed` with ``field="personal_id"``
and a Vietnamese message (the gettext msgid) that names what is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed

FIELD = "personal_id"
LENGTH = 12
_DIGITS = re.compile(r"[0-9]{12}")
_WHITESPACE = re.compile(r"\s+")
_DATA_FILE = Path(__file__).resolve().parent / "data" / "province_codes.json"

Sex = Literal["M", "F"]

#: digit 4 → (century, sex); the century starts at year ``(century - 1) * 100``.
_CONFIRMED_CENTURY_DIGITS: dict[str, tuple[int, Sex]] = {
    "0": (20, "M"),
    "1": (20, "F"),
    "2": (21, "M"),
    "3": (21, "F"),
}
_UNCONFIRMED_CENTURY_DIGITS: dict[str, tuple[int, Sex]] = {
    "4": (22, "M"),
    "5": (22, "F"),
}


@cache
def province_codes() -> dict[str, str]:
    """The 63 pre-2025 province codes (``"040"`` → ``"Nghệ An"``), from ``data/``."""
    with _DATA_FILE.open(encoding="utf-8") as fh:
        return dict(json.load(fh)["codes"])


def province_name(code: str) -> str | None:
    return province_codes().get(code)


@dataclass(frozen=True, slots=True)
class PersonalId:
    number: str
    province_code: str
    province_name: str
    sex: Sex
    birth_year: int
    century: int

    def as_json(self) -> dict[str, object]:
        """The ``hotich id decode`` shape, in the contract's key order."""
        return {
            "number": self.number,
            "province_code": self.province_code,
            "province": self.province_name,
            "sex": self.sex,
            "birth_year": self.birth_year,
        }


def _allow_future_centuries() -> bool:
    return bool(getattr(settings, "HOTICH_ID_ALLOW_FUTURE_CENTURIES", False))


def _century_digits() -> dict[str, tuple[int, Sex]]:
    if _allow_future_centuries():
        return {**_CONFIRMED_CENTURY_DIGITS, **_UNCONFIRMED_CENTURY_DIGITS}
    return dict(_CONFIRMED_CENTURY_DIGITS)


def _fail(message: object) -> ValidationFailed:
    return ValidationFailed(message, field=FIELD)  # type: ignore[arg-type]


def normalize(number: str) -> str:
    """Remove every space (and other whitespace) a person may have typed between the digits."""
    return _WHITESPACE.sub("", number or "")


def parse_personal_id(number: str, *, today: dt.date | None = None) -> PersonalId:
    """Decode a personal ID number, refusing malformed and impossible ones."""
    if not isinstance(number, str):
        raise _fail(_("Số định danh cá nhân phải là một chuỗi chữ số."))
    cleaned = normalize(number)
    if not cleaned:
        raise _fail(_("Chưa nhập số định danh cá nhân."))
    if not _DIGITS.fullmatch(cleaned):
        raise _fail(
            format_lazy(
                _("Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập {count} ký tự)."),
                count=len(cleaned),
            )
        )
    code = cleaned[:3]
    name = province_name(code)
    if name is None:
        raise _fail(
            format_lazy(
                _("Mã tỉnh {code} (3 chữ số đầu) của số định danh cá nhân không tồn tại."),
                code=code,
            )
        )
    digit = cleaned[3]
    known = _century_digits()
    if digit not in known:
        if digit in _UNCONFIRMED_CENTURY_DIGITS:
            raise _fail(
                format_lazy(
                    _(
                        "Chữ số thứ 4 ({digit}) của số định danh cá nhân chỉ thế kỷ 22, "
                        "chưa được chấp nhận."
                    ),
                    digit=digit,
                )
            )
        raise _fail(
            format_lazy(
                _(
                    "Chữ số thứ 4 ({digit}) của số định danh cá nhân không phải mã thế kỷ "
                    "và giới tính hợp lệ."
                ),
                digit=digit,
            )
        )
    century, sex = known[digit]
    birth_year = (century - 1) * 100 + int(cleaned[4:6])
    current_year = (today or timezone.localdate()).year
    if birth_year > current_year:
        raise _fail(
            format_lazy(
                _("Năm sinh {year} theo số định danh cá nhân là năm trong tương lai."),
                year=birth_year,
            )
        )
    return PersonalId(
        number=cleaned,
        province_code=code,
        province_name=name,
        sex=sex,
        birth_year=birth_year,
        century=century,
    )


def check_consistent(number: str, *, sex: str | None, birth_year: int | None) -> PersonalId:
    """Parse ``number`` and refuse it when its sex or year of birth disagrees with the record's.

    ``sex`` ("M"/"F") or ``birth_year`` may be None when the record does not know them; that part
    is then not checked.
    """
    pid = parse_personal_id(number)
    if sex and sex != pid.sex:
        raise _fail(
            format_lazy(
                _(
                    "Giới tính theo số định danh cá nhân ({id_sex}) khác giới tính trong hồ sơ "
                    "({record_sex})."
                ),
                id_sex=_sex_label(pid.sex),
                record_sex=_sex_label(sex),
            )
        )
    if birth_year is not None and int(birth_year) != pid.birth_year:
        raise _fail(
            format_lazy(
                _(
                    "Năm sinh theo số định danh cá nhân ({id_year}) khác năm sinh trong hồ sơ "
                    "({record_year})."
                ),
                id_year=pid.birth_year,
                record_year=birth_year,
            )
        )
    return pid


def _sex_label(sex: str) -> object:
    return {"M": _("nam"), "F": _("nữ")}.get(sex, sex)


def century_sex_digit(*, sex: str, birth_year: int) -> str:
    """Digit 4 for a sex and a year of birth."""
    if sex not in ("M", "F"):
        raise _fail(format_lazy(_("Giới tính {sex} không hợp lệ: dùng M hoặc F."), sex=sex))
    century = birth_year // 100 + 1
    for digit, (c, s) in _century_digits().items():
        if c == century and s == sex:
            return digit
    raise _fail(
        format_lazy(
            _("Năm sinh {year} nằm ngoài các thế kỷ mà số định danh cá nhân mã hóa được."),
            year=birth_year,
        )
    )


def generate_personal_id(
    rng: random.Random, *, province_code: str | int, sex: str, birth_year: int
) -> str:
    """A well-formed personal ID number for demo data and the population-database stand-in.

    ``province_code`` may be ``"040"``, ``"40"`` or ``40``. The last six digits come from ``rng``.
    """
    code = str(province_code).strip().zfill(3)
    if province_name(code) is None:
        raise _fail(format_lazy(_("Mã tỉnh {code} không tồn tại."), code=code))
    digit = century_sex_digit(sex=sex, birth_year=birth_year)
    return f"{code}{digit}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"
