"""``hotich units convert``: today's unit for an old address (the INTERFACES.md contract)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hotich.geo.models import Unit
from hotich.geo.selectors import AddressNotRecognised, unit_convert
from hotich.geo.testing import load_nghe_an

HOTICH = Path(sys.executable).with_name("hotich")
VINH_PHU = {
    "province_code": "40",
    "province": "Tỉnh Nghệ An",
    "ward_code": "16702",
    "ward": "Phường Vinh Phú",
    "ambiguous": False,
}


def convert(address: str) -> dict[str, object]:
    out = StringIO()
    call_command("units", "convert", address, stdout=out)
    text = out.getvalue()
    assert text.count("\n") == 1
    result: dict[str, object] = json.loads(text)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "Xã Nghi Phú, Thành phố Vinh, Tỉnh Nghệ An",
        "Phường Nghi Phú, TP. Vinh, Nghệ An",
        "nghi phu, vinh, nghe an",
        "NGHI PHU, VINH, NGHE AN",
        "Số 12 đường Nguyễn Du, Xã Nghi Phú, Thành phố Vinh, Tỉnh Nghệ An",
    ],
)
def test_convert_with_and_without_diacritics(address: str) -> None:
    load_nghe_an()
    assert convert(address) == VINH_PHU


@pytest.mark.django_db
def test_convert_prints_exactly_the_contract_keys_in_nfc() -> None:
    load_nghe_an()
    out = StringIO()
    call_command("units", "convert", "hung binh, vinh, nghe an", stdout=out)
    assert out.getvalue() == (
        '{"province_code": "40", "province": "Tỉnh Nghệ An", "ward_code": "16681", '
        '"ward": "Phường Thành Vinh", "ambiguous": false}\n'
    )


@pytest.mark.django_db
def test_convert_a_rural_commune() -> None:
    load_nghe_an()
    result = convert("Xã Diễn Thành, Huyện Diễn Châu, Tỉnh Nghệ An")
    assert result["province_code"] == "40"
    ward = Unit.objects.get(era="n", level="commune", code=result["ward_code"])
    assert result["ward"] == ward.name
    assert ward.mapped_from.filter(old_unit__short_name="Diễn Thành").exists()


@pytest.mark.django_db
def test_split_commune_is_ambiguous_and_uses_the_primary_mapping() -> None:
    """Xã Tân Thạnh (Thới Lai, Cần Thơ) was split; converting it is ambiguous."""
    address = "xa tan thanh, huyen thoi lai, can tho"
    without_tables = unit_convert(address)  # nothing loaded: the package's own map
    call_command("units", "load", "--province", "92", stdout=StringIO())
    result = convert(address)
    assert result["ambiguous"] is True
    assert result["province_code"] == "92"
    assert result["ward"] == "Xã Trường Thành"
    assert result == without_tables.as_contract()
    assert len(unit_convert(address).candidates) >= 2


@pytest.mark.django_db
def test_convert_without_loaded_tables_matches_the_loaded_answer() -> None:
    before = unit_convert("nghi phu, vinh, nghe an")
    load_nghe_an()
    after = unit_convert("nghi phu, vinh, nghe an")
    assert before.as_contract() == after.as_contract() == VINH_PHU
    assert after.old_ward == "Phường Nghi Phú" and after.old_district == "Thành phố Vinh"


@pytest.mark.django_db
def test_island_district_without_communes_converts_to_the_special_zone() -> None:
    result = unit_convert("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu")
    assert (result.ward, result.province_code) == ("Đặc khu Côn Đảo", "79")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("", "empty address"),
        ("không có địa chỉ này", "province not recognised"),
        ("Xã Không Tồn Tại, Thành phố Vinh, Tỉnh Nghệ An", "commune (pre-2025) not recognised"),
    ],
)
def test_unknown_address_is_a_command_error(address: str, reason: str) -> None:
    load_nghe_an()
    with pytest.raises(CommandError, match=re.escape(reason)) as info:
        call_command("units", "convert", address, stdout=StringIO())
    assert "\n" not in str(info.value)
    with pytest.raises(AddressNotRecognised):
        unit_convert(address)


def run_hotich(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOTICH_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(HOTICH), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_console_script_exit_codes(tmp_path: Path) -> None:
    """The real ``hotich`` script, as other tools run it (without a loaded database)."""
    assert run_hotich("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    ok = run_hotich("units", "convert", "nghi phu, vinh, nghe an", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == VINH_PHU

    bad = run_hotich("units", "convert", "Xã Không Tồn Tại, Huyện Không Có, Tỉnh Nowhere",
                     tmp_path=tmp_path)  # fmt: skip
    assert bad.returncode != 0
    assert bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Không nhận ra" in lines[0] and "not recognised" in lines[0]
