from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotich.core.errors import ValidationFailed
from hotich.people.personal_id import (
    PersonalId,
    check_consistent,
    generate_personal_id,
    parse_personal_id,
    province_codes,
)


def test_example_from_the_contract() -> None:
    pid = parse_personal_id("040188012345")
    assert pid == PersonalId(
        number="040188012345",
        province_code="040",
        province_name="Nghệ An",
        sex="F",
        birth_year=1988,
        century=20,
    )
    assert list(pid.as_json()) == ["number", "province_code", "province", "sex", "birth_year"]


def test_spaces_are_removed() -> None:
    assert parse_personal_id(" 001 2 05 123456 ").number == "001205123456"


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("001099000001", "M", 1999),
        ("079100000001", "F", 1900),
        ("096205000001", "M", 2005),
        ("040310000001", "F", 2010),
    ],
)
def test_century_and_sex_digit(number: str, sex: str, year: int) -> None:
    pid = parse_personal_id(number)
    assert (pid.sex, pid.birth_year) == (sex, year)


def test_the_63_province_codes() -> None:
    codes = province_codes()
    assert len(codes) == 63
    assert codes["001"] == "Hà Nội"
    assert codes["002"] == "Hà Giang"
    assert codes["004"] == "Cao Bằng"
    assert codes["040"] == "Nghệ An"
    assert codes["079"] == "Hồ Chí Minh"
    assert codes["096"] == "Cà Mau"
    assert all(len(c) == 3 and c.isascii() and c.isdigit() for c in codes)


def _error(number: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        parse_personal_id(number)
    assert info.value.field == "personal_id"
    return info.value


@pytest.mark.parametrize("number", ["04018801234", "0401880123456", "04018801234a", ""])
def test_refuses_wrong_length_or_non_digits(number: str) -> None:
    message = str(_error(number))
    assert "12 chữ số" in message or "Chưa nhập" in message


def test_refuses_non_ascii_digits() -> None:
    # Arabic-Indic and full-width digits satisfy str.isdigit() but are not ASCII.
    assert "12 chữ số" in str(_error("٠٤٠١٨٨٠١٢٣٤٥"))
    assert "12 chữ số" in str(_error("０４０１８８０１２３４５"))


@pytest.mark.parametrize("code", ["000", "003", "039", "097", "099"])
def test_refuses_unknown_province_code(code: str) -> None:
    message = str(_error(f"{code}188012345"))
    assert code in message and "Mã tỉnh" in message


@pytest.mark.parametrize("digit", "6789")
def test_refuses_invalid_century_digit(digit: str) -> None:
    message = str(_error(f"040{digit}88012345"))
    assert "Chữ số thứ 4" in message and digit in message


@pytest.mark.parametrize("digit", "45")
def test_refuses_22nd_century_by_default(digit: str) -> None:
    assert "thế kỷ 22" in str(_error(f"040{digit}00012345"))


def test_22nd_century_only_with_the_setting(settings) -> None:
    settings.HOTICH_ID_ALLOW_FUTURE_CENTURIES = True
    pid = parse_personal_id("040500012345", today=dt.date(2101, 1, 1))
    assert (pid.century, pid.sex, pid.birth_year) == (22, "F", 2100)
    # Still a year of birth in the future today.
    assert "tương lai" in str(_error("040500012345"))
    assert "Chữ số thứ 4" in str(_error("040600012345"))


def test_refuses_birth_year_in_the_future() -> None:
    future = (dt.date.today().year + 1) % 100
    message = str(_error(f"0402{future:02d}012345"))
    assert "tương lai" in message and str(2000 + future) in message


def test_error_messages_are_lazy_and_bilingual() -> None:
    error = _error("12345")
    assert error.in_language("vi").startswith("Số định danh cá nhân phải gồm đúng 12 chữ số")
    assert error.bilingual()


def test_check_consistent() -> None:
    assert check_consistent("040188012345", sex="F", birth_year=1988).birth_year == 1988
    assert check_consistent("040188012345", sex=None, birth_year=None).sex == "F"
    with pytest.raises(ValidationFailed, match="Giới tính") as info:
        check_consistent("040188012345", sex="M", birth_year=1988)
    assert info.value.field == "personal_id"
    with pytest.raises(ValidationFailed, match=r"Năm sinh.*1988.*1989"):
        check_consistent("040188012345", sex="F", birth_year=1989)


def test_generate_refuses_bad_input() -> None:
    rng = random.Random(1)
    with pytest.raises(ValidationFailed):
        generate_personal_id(rng, province_code="039", sex="M", birth_year=1990)
    with pytest.raises(ValidationFailed):
        generate_personal_id(rng, province_code="040", sex="X", birth_year=1990)
    with pytest.raises(ValidationFailed):
        generate_personal_id(rng, province_code="040", sex="M", birth_year=1899)


def test_generate_accepts_short_codes() -> None:
    number = generate_personal_id(random.Random(7), province_code=40, sex="M", birth_year=2001)
    assert number.startswith("040201") and len(number) == 12


@given(
    seed=st.integers(min_value=0, max_value=2**32),
    code=st.sampled_from(sorted(province_codes())),
    sex=st.sampled_from(["M", "F"]),
    birth_year=st.integers(min_value=1900, max_value=dt.date.today().year),
)
def test_round_trip(seed: int, code: str, sex: str, birth_year: int) -> None:
    number = generate_personal_id(
        random.Random(seed), province_code=code, sex=sex, birth_year=birth_year
    )
    pid = parse_personal_id(number)
    assert pid.number == number
    assert (pid.province_code, pid.sex, pid.birth_year) == (code, sex, birth_year)
    assert pid.province_name == province_codes()[code]
    assert check_consistent(number, sex=sex, birth_year=birth_year) == pid
