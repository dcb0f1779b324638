"""The directory of agencies a package can come from or go to, behind a small protocol.

An agency has an electronic identifier (``code``, Decision 20/2020/QĐ-TTg), a name and, when it
is on this platform, the administrative unit whose register receives its documents. Until the
organization tree is on this platform the directory is that of the province's People's
Committees: the province and each of its communes (``UnitAgencies``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hotich.geo.selectors import province_units, unit_by_code, units_at_level

if TYPE_CHECKING:
    from hotich.geo.models import Unit


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    unit: Unit | None  # the register that receives for it; None: outside this platform


class AgencyDirectory(Protocol):
    def by_code(self, code: str) -> Agency | None: ...

    def of_unit(self, unit: Unit) -> Agency | None: ...

    def recipients(self, unit: Unit | None) -> list[Agency]: ...

    def local(self) -> list[Agency]: ...


def _unit_code(unit: Unit) -> str:
    if unit.level == "province":
        return f"000.00.00.H{unit.code}"
    return f"000.00.{unit.code}.H{unit.province_code}"


def _unit_name(unit: Unit) -> str:
    return f"Ủy ban nhân dân {unit.name}"


class UnitAgencies:
    """The People's Committee of each unit of the province: ``000.00.00.H40`` for the province,
    ``000.00.<commune code>.H40`` for a commune."""

    def _agency(self, unit: Unit) -> Agency:
        return Agency(code=_unit_code(unit), name=_unit_name(unit), unit=unit)

    def by_code(self, code: str) -> Agency | None:
        parts = (code or "").strip().split(".")
        if len(parts) != 4 or not parts[3].startswith("H"):
            return None
        if parts[2] == "00":
            unit = unit_by_code(parts[3][1:], levels=["province"])
        else:
            unit = unit_by_code(parts[2], levels=["commune"])
        return self._agency(unit) if unit is not None and _unit_code(unit) == code else None

    def of_unit(self, unit: Unit) -> Agency | None:
        return self._agency(unit)

    def recipients(self, unit: Unit | None) -> list[Agency]:
        return [self._agency(u) for u in province_units(unit) if unit is None or u.pk != unit.pk]

    def local(self) -> list[Agency]:
        return [self._agency(u) for u in [*units_at_level("province"), *units_at_level("commune")]]


DIRECTORY: AgencyDirectory = UnitAgencies()


def agency_by_code(code: str) -> Agency | None:
    return DIRECTORY.by_code(code)


def agency_of_unit(unit: Unit) -> Agency | None:
    return DIRECTORY.of_unit(unit)
