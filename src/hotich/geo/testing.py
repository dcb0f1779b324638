"""Helpers for other contexts' tests: real administrative units, loaded fast.

from hotich.geo.testing import load_nghe_an

@pytest.mark.django_db
def test_something():
    units = load_nghe_an()
    vinh_phu = units.current_commune("16702")
"""

from __future__ import annotations

from dataclasses import dataclass

from hotich.geo.models import Unit
from hotich.geo.services import UnitsLoadResult, units_load
from hotich.geo.vocabulary import Era, Level

NGHE_AN = "40"


@dataclass(frozen=True)
class LoadedUnits:
    """What :func:`load_nghe_an` loaded, with shortcuts to its units."""

    result: UnitsLoadResult

    @property
    def province(self) -> Unit:
        """Nghệ An today (``n/40/``)."""
        return Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code=NGHE_AN)

    @property
    def legacy_province(self) -> Unit:
        """Nghệ An before 1 July 2025 (``o/40/``)."""
        return Unit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code=NGHE_AN)

    def current_commune(self, code: str) -> Unit:
        return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code=code)

    def legacy_commune(self, code: str) -> Unit:
        return Unit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code=code)


def load_nghe_an() -> LoadedUnits:
    """Load Nghệ An (code 40) before and after the 2025 reform and the map between them:
    1 + 20 + 412 old units, 1 + 130 current units, 413 mappings. Call it inside a test with
    database access (``@pytest.mark.django_db``); about 0.3 s, the package data is read once
    per process. Idempotent, so calling it twice in a test is harmless.

    Some Nghệ An units: today ``n/40/16681/`` Phường Thành Vinh, ``n/40/16702/`` Phường Vinh
    Phú; before ``o/40/412/`` Thành phố Vinh, ``o/40/412/16702/`` Phường Nghi Phú (→ Vinh Phú).
    """
    return LoadedUnits(result=units_load(provinces=[NGHE_AN]))
