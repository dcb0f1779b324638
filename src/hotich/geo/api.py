"""``/api/v1/units/``: search units (old and new names) and convert old addresses."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, P, Query, QueryEx, Router, Schema

from hotich.geo.models import Unit, UnitMapping
from hotich.geo.selectors import unit_convert, unit_search

router = Router(tags=["geo"])

EraIn = Literal["o", "n"]
LevelIn = Literal["province", "district", "commune"]


class UnitRef(Schema):
    """Another unit, as a mapping names it."""

    id: int
    era: str
    level: str
    code: str
    name: str
    full_name: str
    is_primary: bool


class UnitOut(Schema):
    id: int
    era: str
    era_label: str
    level: str
    code: str
    name: str
    short_name: str
    unit_type: str
    full_name: str
    path: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    maps_to: list[UnitRef]  # an old unit: today's unit(s), primary first
    formed_from: list[UnitRef]  # a current unit: the old units it took territory from


class SearchIn(Schema):
    q: str = Field(max_length=100)
    era: EraIn | None = None
    level: LevelIn | None = None
    limit: int = Field(20, ge=1, le=100)


class ConvertOut(Schema):
    province_code: str
    province: str
    ward_code: str
    ward: str
    ambiguous: bool
    source_era: str
    old_province: str
    old_district: str
    old_ward: str
    candidates: list[str]


def _ref(unit: Unit, mapping: UnitMapping) -> UnitRef:
    return UnitRef(
        id=unit.pk,
        era=unit.era,
        level=unit.level,
        code=unit.code,
        name=unit.name,
        full_name=unit.full_name,
        is_primary=mapping.is_primary,
    )


def unit_out(unit: Unit) -> UnitOut:
    """A unit with its mappings; expects them prefetched (see ``selectors.with_mappings``)."""
    return UnitOut(
        id=unit.pk,
        era=unit.era,
        era_label=str(unit.get_era_display()),
        level=unit.level,
        code=unit.code,
        name=unit.name,
        short_name=unit.short_name,
        unit_type=unit.unit_type,
        full_name=unit.full_name,
        path=unit.path,
        parent_id=unit.parent_id,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        maps_to=[_ref(m.new_unit, m) for m in unit.mapped_to.all()],
        formed_from=[_ref(m.old_unit, m) for m in unit.mapped_from.all()],
    )


def _require_view(request: HttpRequest) -> None:
    """Staff only. ``geo.view`` is granted to every role, so "an active user with a role" is
    the whole check; written without importing ``hotich.accounts`` (a higher layer)."""
    user = request.user
    if not (user.is_authenticated and user.is_active and getattr(user, "role", None)):
        raise Http404


@router.get(
    "/search",
    response=list[UnitOut],
    summary="Tìm đơn vị hành chính cũ và mới / search old and new units",
    description=(
        "Tên có hoặc không dấu, từ theo thứ tự bất kỳ, có thể gõ phần đầu của từ. "
        "era: o = trước 01/7/2025, n = từ 01/7/2025. / Names with or without diacritics, "
        "words in any order, word prefixes allowed."
    ),
)
def search(request: HttpRequest, filters: Query[SearchIn]) -> list[UnitOut]:
    _require_view(request)
    units = unit_search(filters.q, era=filters.era, level=filters.level, limit=filters.limit)
    return [unit_out(u) for u in units]


@router.get(
    "/convert",
    response=ConvertOut,
    summary="Đơn vị hiện nay của một địa chỉ cũ / today's unit for an old address",
)
def convert(request: HttpRequest, address: QueryEx[str, P(max_length=300)]) -> ConvertOut:
    _require_view(request)
    result = unit_convert(address)  # AddressNotRecognised → 400 with both messages
    return ConvertOut(
        **result.as_contract(),
        source_era=result.source_era,
        old_province=result.old_province,
        old_district=result.old_district,
        old_ward=result.old_ward,
        candidates=[c.code for c in result.candidates],
    )
