"""Reading the ``vietnamadminunits`` package (MIT): both unit lists and the old → new map.

Nothing here touches the database. The data is read from the installed package at run time
(``data/dataset.db`` and ``data/converter_2025.json``), normalised (NFC, canonical type prefix,
short name without the package's disambiguation suffixes) and cached for the process.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hotich.core.text import nfc

PACKAGE = "vietnamadminunits"
LEGACY_VALID_TO = dt.date(2025, 6, 30)
CURRENT_VALID_FROM = dt.date(2025, 7, 1)

# Longest first, so that "Thị trấn" wins over a hypothetical "Thị".
UNIT_TYPES = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)


@dataclass(frozen=True)
class SourceUnit:
    """One unit as the package describes it; ``key`` is ``(era, level, code)``."""

    era: str
    level: str
    code: str
    name: str
    short_name: str
    unit_type: str
    parent_code: str | None
    path: str
    province_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.era, self.level, self.code)

    @property
    def parent_key(self) -> tuple[str, str, str] | None:
        if self.parent_code is None:
            return None
        parent_level = "district" if self.era == "o" and self.level == "commune" else "province"
        return (self.era, parent_level, self.parent_code)


@dataclass(frozen=True)
class SourceMapping:
    """An old unit and one of today's units that took (part of) its territory."""

    old_level: str
    old_code: str
    new_level: str
    new_code: str
    is_primary: bool

    @property
    def old_key(self) -> tuple[str, str, str]:
        return ("o", self.old_level, self.old_code)

    @property
    def new_key(self) -> tuple[str, str, str]:
        return ("n", self.new_level, self.new_code)


@dataclass(frozen=True)
class SourceData:
    legacy: list[SourceUnit]
    current: list[SourceUnit]
    mappings: list[SourceMapping]
    # legacy province code → current province code (provinces merged whole in 2025)
    province_successor: dict[str, str]


def package_dir() -> Path:
    """The installed package's directory, found without importing it (its import is slow)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Python package {PACKAGE!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def split_type(
    name: str, package_type: str | None, package_short: str | None
) -> tuple[str, str, str]:
    """``(name, unit_type, short_name)`` with the type taken from the name when it starts with
    one (the package's type column disagrees with the name for a few units), its case fixed
    (``Thị Trấn`` → ``Thị trấn``), and the short name without the type. Numbered units keep
    the type in the short name (``Phường 1``, ``Quận 3``)."""
    name = nfc(name)
    lowered = name.lower()
    for unit_type in UNIT_TYPES:
        if lowered.startswith(unit_type.lower() + " "):
            rest = name[len(unit_type) + 1 :].strip()
            name = f"{unit_type} {rest}"
            short = name if rest.isdigit() else rest
            return name, unit_type, short
    return name, nfc(package_type or ""), nfc(package_short or name)


def _rows(sql: str) -> list[sqlite3.Row]:
    path = package_dir() / "data" / "dataset.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql))


@functools.cache
def source_all() -> SourceData:
    """Every unit of both eras and every mapping, read once per process."""
    legacy: dict[tuple[str, str, str], SourceUnit] = {}
    legacy_by_key: dict[str, tuple[str, str]] = {}  # "prov_dist_ward" key → (level, code)
    legacy_province_by_key: dict[str, str] = {}
    for r in _rows(
        "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort,"
        " districtType, districtCode, districtKey, ward, wardShort, wardType, wardCode, wardKey"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    ):
        pcode, dcode, wcode = r["provinceCode"], r["districtCode"], r["wardCode"]
        legacy_province_by_key[r["provinceKey"]] = pcode
        if ("o", "province", pcode) not in legacy:
            name, utype, short = split_type(r["province"], None, r["provinceShort"])
            legacy[("o", "province", pcode)] = SourceUnit(
                "o", "province", pcode, name, short, utype, None, f"o/{pcode}/", pcode,
                None, LEGACY_VALID_TO,
            )  # fmt: skip
        if ("o", "district", dcode) not in legacy:
            name, utype, short = split_type(r["district"], r["districtType"], r["districtShort"])
            legacy[("o", "district", dcode)] = SourceUnit(
                "o", "district", dcode, name, short, utype, pcode, f"o/{pcode}/{dcode}/", pcode,
                None, LEGACY_VALID_TO,
            )  # fmt: skip
        old_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if wcode:
            name, utype, short = split_type(r["ward"], r["wardType"], r["wardShort"])
            legacy[("o", "commune", wcode)] = SourceUnit(
                "o", "commune", wcode, name, short, utype, dcode, f"o/{pcode}/{dcode}/{wcode}/",
                pcode, None, LEGACY_VALID_TO,
            )  # fmt: skip
            legacy_by_key[old_key] = ("commune", wcode)
        else:  # island districts without communes (Côn Đảo, Lý Sơn, Bạch Long Vĩ, …)
            legacy_by_key[old_key] = ("district", dcode)

    current: dict[tuple[str, str, str], SourceUnit] = {}
    current_by_key: dict[tuple[str, str], str] = {}  # (provinceKey, wardKey) → ward code
    current_province_by_key: dict[str, str] = {}
    for r in _rows(
        "SELECT province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardType,"
        " wardCode, wardKey FROM admin_units ORDER BY provinceCode, wardCode"
    ):
        pcode, wcode = r["provinceCode"], r["wardCode"]
        current_province_by_key[r["provinceKey"]] = pcode
        current_by_key[(r["provinceKey"], r["wardKey"])] = wcode
        if ("n", "province", pcode) not in current:
            name, utype, short = split_type(r["province"], None, r["provinceShort"])
            current[("n", "province", pcode)] = SourceUnit(
                "n", "province", pcode, name, short, utype, None, f"n/{pcode}/", pcode,
                CURRENT_VALID_FROM, None,
            )  # fmt: skip
        name, utype, short = split_type(r["ward"], r["wardType"], r["wardShort"])
        current[("n", "commune", wcode)] = SourceUnit(
            "n", "commune", wcode, name, short, utype, pcode, f"n/{pcode}/{wcode}/", pcode,
            CURRENT_VALID_FROM, None,
        )  # fmt: skip

    with open(package_dir() / "data" / "converter_2025.json", encoding="utf-8") as f:
        converter = json.load(f)

    province_successor: dict[str, str] = {}
    mappings: list[SourceMapping] = []
    for new_pkey, old_pkeys in converter["DICT_PROVINCE"].items():
        new_pcode = current_province_by_key[new_pkey]
        for old_pkey in old_pkeys:
            old_pcode = legacy_province_by_key[old_pkey]
            province_successor[old_pcode] = new_pcode
            mappings.append(SourceMapping("province", old_pcode, "province", new_pcode, True))
    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            new_code = current_by_key[(new_pkey, new_wkey)]
            for old_key in old_keys:
                old_level, old_code = legacy_by_key[old_key]
                mappings.append(SourceMapping(old_level, old_code, "commune", new_code, True))
    for new_pkey, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, candidates in divided.items():
            old_level, old_code = legacy_by_key[old_key]
            for candidate in candidates:
                new_code = current_by_key[(new_pkey, candidate["newWardKey"])]
                primary = bool(candidate["isDefaultNewWard"])
                mappings.append(SourceMapping(old_level, old_code, "commune", new_code, primary))

    return SourceData(
        legacy=list(legacy.values()),
        current=list(current.values()),
        mappings=_dedupe(mappings),
        province_successor=province_successor,
    )


def _dedupe(mappings: Iterable[SourceMapping]) -> list[SourceMapping]:
    """One row per (old, new) pair; a pair listed twice is primary if either row is."""
    seen: dict[tuple[str, str, str, str], SourceMapping] = {}
    for m in mappings:
        pair = (m.old_level, m.old_code, m.new_level, m.new_code)
        if pair not in seen or (m.is_primary and not seen[pair].is_primary):
            seen[pair] = m
    return list(seen.values())


def source_read(provinces: Iterable[str] | None = None) -> SourceData:
    """The whole source, or only the given provinces.

    A code may name a legacy or a current province. The selection is closed under the 2025
    mergers: the current provinces named or succeeding a named legacy province, and every
    legacy province merged into one of them, so that every mapping of the selection is whole.
    ``["40"]`` gives Nghệ An before and after (it was not merged).
    """
    data = source_all()
    if provinces is None:
        return data
    wanted = {str(code).strip().zfill(2) for code in provinces}
    current_codes = {u.code for u in data.current if u.level == "province"}
    legacy_codes = {u.code for u in data.legacy if u.level == "province"}
    unknown = wanted - current_codes - legacy_codes
    if unknown:
        raise ValueError(f"unknown province code(s): {', '.join(sorted(unknown))}")
    new_selected = (wanted & current_codes) | {
        data.province_successor[c] for c in wanted & legacy_codes
    }
    old_selected = {old for old, new in data.province_successor.items() if new in new_selected}
    legacy = [u for u in data.legacy if u.province_code in old_selected]
    current = [u for u in data.current if u.province_code in new_selected]
    old_keys = {u.key for u in legacy}
    mappings = [m for m in data.mappings if m.old_key in old_keys]
    return SourceData(
        legacy=legacy,
        current=current,
        mappings=mappings,
        province_successor={o: data.province_successor[o] for o in old_selected},
    )
