"""The directory of agencies a package can come from or go to, behind a small protocol.

An agency has an electronic identifier (``code``, Decision 20/2020/QĐ-TTg), a name and the
administrative unit whose register receives its documents. The directory is the organization
tree of ``hotich.agencies``: its People's Committees, departments, councils, party committees
and public service units (sections inside an agency are not addressed by other agencies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hotich.agencies.selectors import (
    organization_by_code,
    organizations_below,
    organizations_serving,
)
from hotich.agencies.vocabulary import OrganizationKind
from hotich.geo.selectors import units_at_level

if TYPE_CHECKING:
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    unit: Unit | None  # the register that receives for it; None: outside this platform


class AgencyDirectory(Protocol):
    def by_code(self, code: str) -> Agency | None: ...

    def of_unit(self, unit: Unit) -> Agency | None: ...

    def serving(self, unit: Unit) -> list[Agency]: ...

    def recipients(self, unit: Unit | None) -> list[Agency]: ...

    def local(self) -> list[Agency]: ...


def _agency(organization: Organization) -> Agency:
    return Agency(code=organization.code, name=organization.name, unit=organization.unit)


def _addressable(organization: Organization) -> bool:
    return organization.is_active and organization.kind != OrganizationKind.SECTION


class OrganizationAgencies:
    """The agencies of ``hotich.agencies``; a unit's own agency is its People's Committee."""

    def by_code(self, code: str) -> Agency | None:
        organization = organization_by_code(code or "")
        return _agency(organization) if organization and _addressable(organization) else None

    def _serving(self, unit: Unit) -> Organization | None:
        serving = [o for o in organizations_serving(unit) if _addressable(o)]
        committees = [o for o in serving if o.kind == OrganizationKind.PEOPLES_COMMITTEE]
        found = committees or serving
        return found[0] if found else None

    def of_unit(self, unit: Unit) -> Agency | None:
        organization = self._serving(unit)
        return _agency(organization) if organization is not None else None

    def serving(self, unit: Unit) -> list[Agency]:
        return [
            Agency(o.code, o.name, unit) for o in organizations_serving(unit) if _addressable(o)
        ]

    def _tree(self, organization: Organization) -> list[Agency]:
        root = organization
        while root.parent is not None:
            root = root.parent
        below = organizations_below(root, include_self=True)
        return [_agency(o) for o in below.select_related("unit") if _addressable(o)]

    def recipients(self, unit: Unit | None) -> list[Agency]:
        own = self._serving(unit) if unit is not None else None
        if own is None:
            return self.local()
        return [a for a in self._tree(own) if a.code != own.code]

    def local(self) -> list[Agency]:
        found: dict[str, Agency] = {}
        for province in units_at_level("province"):
            organization = self._serving(province)
            if organization is not None:
                found.update((a.code, a) for a in self._tree(organization))
        return list(found.values())


DIRECTORY: AgencyDirectory = OrganizationAgencies()


def agency_by_code(code: str) -> Agency | None:
    return DIRECTORY.by_code(code)


def agency_of_unit(unit: Unit) -> Agency | None:
    return DIRECTORY.of_unit(unit)
