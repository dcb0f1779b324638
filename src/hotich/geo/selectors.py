"""Reading administrative units: search, the old → new map, and address conversion."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from typing import Any, TypeVar

from django.db import DatabaseError, connection
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    Model,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat

from hotich.core.errors import ValidationFailed
from hotich.core.text import fold, nfc
from hotich.geo.models import Unit, UnitMapping, subtree_q
from hotich.geo.source import UNIT_TYPES, SourceUnit, source_all
from hotich.geo.vocabulary import Era, Level

M = TypeVar("M", bound=Model)

# Folded type words and common abbreviations, longest first: "thanh pho" → "Thành phố".
_TYPE_WORDS: dict[str, str] = {fold(t): t for t in UNIT_TYPES} | {
    "tp": "Thành phố",
    "tx": "Thị xã",
    "tt": "Thị trấn",
    "p": "Phường",
    "q": "Quận",
    "h": "Huyện",
    "x": "Xã",
}
_TYPE_PATTERN = re.compile(
    r"^("
    + "|".join(re.escape(w) for w in sorted(_TYPE_WORDS, key=len, reverse=True))
    + r")\b\.?\s*"
)
_NOT_WORD = re.compile(r"[^\w\s]+")
LEVEL_ORDER = Case(
    When(level=Level.PROVINCE, then=Value(0)),
    When(level=Level.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _split_query(query: str) -> tuple[str | None, str, str]:
    """``"TP. Vinh"`` → ``("Thành phố", "vinh", "tp vinh")``: the unit type the query starts
    with, if any, the rest, and the whole query, folded (no diacritics, no punctuation)."""
    folded = " ".join(_NOT_WORD.sub(" ", fold(query[:100])).split())
    match = _TYPE_PATTERN.match(folded)
    if match and match.end() < len(folded):
        return _TYPE_WORDS[match.group(1)], folded[match.end() :].strip(), folded
    return None, folded, folded


def _word(prefix: str, word: str) -> Q:
    return Q(**{f"{prefix}search_key__startswith": word}) | Q(
        **{f"{prefix}search_key__contains": f" {word}"}
    )


def _whole_word(word: str) -> Q:
    return (
        Q(search_key=word)
        | Q(search_key__startswith=f"{word} ")
        | Q(search_key__contains=f" {word} ")
        | Q(search_key__endswith=f" {word}")
    )


def with_mappings(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """Prefetch each unit's successors (old units) and predecessors (current units)."""
    return queryset.prefetch_related(
        Prefetch(
            "mapped_to",
            queryset=UnitMapping.objects.select_related("new_unit__parent").order_by(
                "-is_primary", "new_unit__name"
            ),
        ),
        Prefetch(
            "mapped_from",
            queryset=UnitMapping.objects.select_related("old_unit__parent__parent").order_by(
                "old_unit__path"
            ),
        ),
    )


def unit_search(
    query: str, era: str | None = None, level: str | None = None, limit: int = 20
) -> QuerySet[Unit]:
    """Units matching every word of ``query`` at the start of a word, typed with or without
    diacritics, in any order; words may also name the parent units (``nghi phu vinh``).

    A leading unit type (``xã``, ``phường``, ``tp.``…) only ranks. Exact short names come
    first (with the typed type first of all), then short names starting with the query, then
    units whose short name starts the query (the rest naming a parent), then units having each
    word as a whole word of their own name, then the rest; within
    a rank, today's units before the old ones, provinces before communes.
    """
    unit_type, rest, whole = _split_query(query)
    words = rest.split()
    if not words:
        return Unit.objects.none()
    qs = Unit.objects.select_related("parent__parent")
    if era:
        qs = qs.filter(era=era)
    if level:
        qs = qs.filter(level=level)
    for word in words:
        qs = qs.filter(_word("", word) | _word("parent__", word) | _word("parent__parent__", word))
    exact_type = Q(short_key=rest, unit_type=unit_type) if unit_type else Q(pk__in=[])
    rank = Case(
        When(exact_type, then=Value(0)),
        When(Q(short_key=rest) | Q(short_key=whole), then=Value(1)),
        When(short_key__startswith=rest, then=Value(2)),
        # "nghi phu vinh": the unit's own name first, then its parents'
        When(typed__startswith=Concat("short_key", Value(" ")), then=Value(3)),
        # "phu nghi": whole words of the unit's own name before mere prefixes
        When(reduce(and_, (_whole_word(w) for w in words)), then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    qs = qs.alias(typed=Value(rest, output_field=CharField()))
    qs = qs.annotate(rank=rank, level_order=LEVEL_ORDER).order_by(
        "rank", "era", "level_order", "short_key", "path"
    )
    return with_mappings(qs)[: max(1, min(limit, 100))]


def unit_get(*, era: str = Era.CURRENT, level: str, code: str) -> Unit:
    return Unit.objects.select_related("parent__parent").get(era=era, level=level, code=code)


def units_below(unit: Unit, *, include_self: bool = False) -> QuerySet[Unit]:
    """Every unit under ``unit`` (its districts and communes), by path."""
    qs = Unit.objects.filter(unit.subtree_q())
    return qs if include_self else qs.exclude(pk=unit.pk)


def within_unit_q(unit: Unit | str | None, field: str = "unit") -> Q:
    """A Q keeping the rows whose ``field`` (the lookup path to a ``geo.Unit`` foreign key, such
    as ``"record__unit"``) is ``unit`` or a unit below it; ``unit`` may be given by its path.
    Without a unit it keeps nothing."""
    if unit is None:
        return Q(pk__in=[])
    return subtree_q(unit if isinstance(unit, str) else unit.path, field)


def within_unit(qs: QuerySet[M], unit: Unit | str | None, field: str = "unit") -> QuerySet[M]:
    """``qs`` narrowed to the rows in ``unit``'s subtree (see :func:`within_unit_q`)."""
    return qs.filter(within_unit_q(unit, field))


def unit_mapping_for(old_unit: Unit) -> QuerySet[UnitMapping]:
    """The units of today that took ``old_unit``'s territory, the primary one first."""
    return (
        UnitMapping.objects.filter(old_unit=old_unit)
        .select_related("new_unit__parent")
        .order_by("-is_primary", "new_unit__name")
    )


def unit_predecessors(new_unit: Unit) -> QuerySet[UnitMapping]:
    """The old units (whole or in part) that make up ``new_unit``."""
    return (
        UnitMapping.objects.filter(new_unit=new_unit)
        .select_related("old_unit__parent__parent")
        .order_by("old_unit__path")
    )


def unit_successor(old_unit: Unit) -> Unit | None:
    """The unit of today an old unit converts to (the primary mapping), if loaded."""
    mapping = unit_mapping_for(old_unit).filter(is_primary=True).first()
    return mapping.new_unit if mapping else None


def unit_find(unit_id: object, *, era: str | None = None) -> Unit | None:
    """The unit with id ``unit_id`` (of ``era`` when given); None for an unknown or bad id."""
    try:
        pk = int(str(unit_id))
    except ValueError:
        return None
    qs = Unit.objects.filter(pk=pk)
    return (qs.filter(era=era) if era else qs).first()


def unit_by_code(code: str, *, levels: Sequence[str] = ()) -> Unit | None:
    """Today's unit with ``code`` (at one of ``levels`` when given), or None."""
    qs = Unit.objects.filter(era=Era.CURRENT, code=str(code).strip())
    return (qs.filter(level__in=levels) if levels else qs).first()


def units_with_codes(codes: Collection[str]) -> QuerySet[Unit]:
    """The units (of every era) whose code is one of ``codes``."""
    return Unit.objects.filter(code__in=list(codes)).order_by("pk")


def units_at_level(level: str) -> QuerySet[Unit]:
    """Today's units of one level, by name (the communes a citizen may file at)."""
    return Unit.objects.filter(era=Era.CURRENT, level=level).order_by("name")


def units_within(unit: Unit | None) -> QuerySet[Unit]:
    """``unit`` and every unit below it, by path; none without a unit."""
    return Unit.objects.none() if unit is None else units_below(unit, include_self=True)


def unit_children(unit: Unit) -> QuerySet[Unit]:
    """The units directly below ``unit``, by name."""
    return Unit.objects.filter(parent=unit).order_by("name")


def place_options(unit: Unit, *, era: str, limit: int = 400) -> list[tuple[str, str]]:
    """Place names of ``era`` for a form: (``"Xã A, Huyện B"``, the name of today's unit it
    maps to) for the units below ``unit``, by name."""
    units = with_mappings(
        units_below(unit, include_self=False).filter(era=era).select_related("parent")
    ).order_by("name")[:limit]
    out = []
    for place in units:
        name = f"{place.name}, {place.parent.name}" if place.parent else place.name
        mappings = list(place.mapped_to.all())
        out.append((name, mappings[0].new_unit.name if mappings else ""))
    return out


def province_units(unit: Unit | None) -> QuerySet[Unit]:
    """Today's province of ``unit`` and its communes, by path; none without a unit."""
    if unit is None:
        return Unit.objects.none()
    return Unit.objects.filter(
        era=Era.CURRENT,
        path__startswith=f"{unit.path.split('/')[0]}/{unit.province_code}/",
        level__in=[Level.PROVINCE, Level.COMMUNE],
    ).order_by("path")


# ----- address conversion -----


class AddressNotRecognised(ValidationFailed):
    """The address could not be converted. Carries its own English text (``hotich units
    convert`` prints both; the API gives ``message`` and ``message_en``)."""

    code = "address_not_recognised"

    def __init__(self, vi: str, en: str):
        super().__init__(vi, field="address")
        self.vi, self.en = vi, en

    def in_language(self, language: str) -> str:
        return self.en if language.startswith("en") else self.vi

    def bilingual(self) -> str:
        return f"{self.vi} / {self.en}"


@dataclass(frozen=True)
class ConversionCandidate:
    code: str
    name: str
    is_primary: bool


@dataclass(frozen=True)
class ConversionResult:
    """Today's province and commune for an address; ``ambiguous`` when the old commune was
    split among several new ones (``candidates`` lists them, the chosen one first)."""

    province_code: str
    province: str
    ward_code: str
    ward: str
    ambiguous: bool
    source_era: str = Era.LEGACY  # "n" when the address already named today's units
    old_province_code: str = ""
    old_province: str = ""
    old_district_code: str = ""
    old_district: str = ""
    old_ward_code: str = ""
    old_ward: str = ""
    candidates: tuple[ConversionCandidate, ...] = field(default_factory=tuple)

    def as_contract(self) -> dict[str, Any]:
        """The JSON of ``hotich units convert`` (INTERFACES.md)."""
        return {
            "province_code": self.province_code,
            "province": self.province,
            "ward_code": self.ward_code,
            "ward": self.ward,
            "ambiguous": self.ambiguous,
        }


ISLAND_DISTRICTS = frozenset(
    {"huyenbachlongvi", "huyenconco", "huyenhoangsa", "huyenlyson", "huyencondao"}
)


@functools.cache
def _source_index() -> tuple[
    dict[tuple[str, str, str], SourceUnit], dict[tuple[str, str, str], list[tuple[str, bool]]]
]:
    data = source_all()
    units = {u.key: u for u in data.legacy + data.current}
    successors: dict[tuple[str, str, str], list[tuple[str, bool]]] = {}
    for m in data.mappings:
        if m.new_level == "commune":
            successors.setdefault(m.old_key, []).append((m.new_code, m.is_primary))
    return units, successors


def _candidates_from_db(level: str, code: str) -> tuple[Unit, list[UnitMapping]] | None:
    mappings = list(
        UnitMapping.objects.filter(
            old_unit__era=Era.LEGACY, old_unit__level=level, old_unit__code=code
        )
        .select_related("old_unit__parent__parent", "new_unit__parent")
        .order_by("-is_primary", "new_unit__name")
    )
    mappings = [m for m in mappings if m.new_unit.level == Level.COMMUNE]
    return (mappings[0].old_unit, mappings) if mappings else None


def _old_names(old: Unit) -> tuple[str, str, str]:
    """(province, district, commune) names of an old unit and its parents."""
    by_level: dict[str, str] = {}
    unit: Unit | None = old
    while unit is not None:
        by_level[unit.level] = unit.name
        unit = unit.parent
    return by_level.get("province", ""), by_level.get("district", ""), by_level.get("commune", "")


def units_tables_ready() -> bool:
    """Whether the database holds the unit tables (not before ``hotich migrate``, nor when the
    database cannot be reached). Without them, :func:`unit_convert` must be asked with
    ``from_source=True``: it then answers from the package alone, the same answer."""
    try:
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
    except DatabaseError:
        return False
    return {Unit._meta.db_table, UnitMapping._meta.db_table} <= tables


def _convert_current(text: str, *, from_source: bool = False) -> ConversionResult | None:
    """An address that already names today's units (for mixed inputs such as linkage files)."""
    from vietnamadminunits import ParseMode, parse_address  # slow import: only when needed

    new = parse_address(text, mode=ParseMode.FROM_2025, keep_street=False, level=2)
    if not (new.province_code and new.ward_code):
        return None
    if from_source:
        units, _successors = _source_index()
        source_ward = units.get(("n", "commune", new.ward_code))
        source_province = units.get(("n", "province", new.province_code))
        ward_name = source_ward.name if source_ward is not None else nfc(new.ward)
        province_name = source_province.name if source_province is not None else nfc(new.province)
    else:
        unit = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code=new.ward_code).first()
        province = unit.parent if unit is not None else None
        ward_name = unit.name if unit is not None else nfc(new.ward)
        province_name = province.name if province is not None else nfc(new.province)
    return ConversionResult(
        province_code=new.province_code,
        province=province_name,
        ward_code=new.ward_code,
        ward=ward_name,
        ambiguous=False,
        source_era=Era.CURRENT,
        candidates=(ConversionCandidate(new.ward_code, nfc(new.ward), True),),
    )


def unit_convert(
    address: str, *, allow_current: bool = True, from_source: bool = False
) -> ConversionResult:
    """Today's province and commune for an old (pre-2025) address such as ``"Xã Nghi Phú,
    Thành phố Vinh, Tỉnh Nghệ An"`` or ``"nghi phu, vinh, nghe an"``.

    The address is parsed with the ``vietnamadminunits`` legacy parser (street ignored, so no
    geocoding and no network). The old commune is then looked up in the loaded map; when the
    units are not loaded, in the package's map (the same data the loader reads), so both give
    the same answer. A split commune converts to the primary unit with ``ambiguous`` set. With
    ``allow_current``, an address that is not a known old one but names today's units is
    accepted as is. ``from_source`` answers from the package without touching the database (for
    callers without the unit tables, see :func:`units_tables_ready`). Raises
    :class:`AddressNotRecognised`.
    """
    text = nfc(address)
    if not fold(text).strip(" ,.;-"):
        raise AddressNotRecognised("Địa chỉ trống", "empty address")
    from vietnamadminunits import ParseMode, parse_address  # slow import: only when needed

    old = parse_address(text, mode=ParseMode.LEGACY, keep_street=False, level=3)
    if old.ward_code:
        old_level, old_code = Level.COMMUNE, old.ward_code
    elif old.district_key in ISLAND_DISTRICTS:
        old_level, old_code = Level.DISTRICT, old.district_code
    else:
        current = _convert_current(text, from_source=from_source) if allow_current else None
        if current is not None:
            return current
        if not old.province_code:
            raise AddressNotRecognised(
                f"Không nhận ra tỉnh/thành phố trong địa chỉ: {text}",
                "province not recognised in address",
            )
        if not old.district_code:
            raise AddressNotRecognised(
                f"Không nhận ra quận/huyện (trước 01/7/2025) trong địa chỉ: {text}",
                "district (pre-2025) not recognised in address",
            )
        raise AddressNotRecognised(
            f"Không nhận ra xã/phường/thị trấn (trước 01/7/2025) trong địa chỉ: {text}",
            "commune (pre-2025) not recognised in address",
        )

    found = None if from_source else _candidates_from_db(old_level, old_code)
    if found is not None:
        old_unit, mappings = found
        primary = next((m for m in mappings if m.is_primary), mappings[0])
        new_province = primary.new_unit.parent
        assert new_province is not None
        old_province, old_district, old_ward = _old_names(old_unit)
        candidates = tuple(
            ConversionCandidate(m.new_unit.code, m.new_unit.name, m is primary) for m in mappings
        )
        province_code, province_name = new_province.code, new_province.name
        ward_code, ward_name = primary.new_unit.code, primary.new_unit.name
    else:
        units, successors = _source_index()
        pairs = successors.get(("o", old_level, old_code), [])
        if not pairs:
            raise AddressNotRecognised(
                f"Không có đơn vị mới tương ứng với địa chỉ: {text}",
                "no current unit for this address",
            )
        pairs = sorted(pairs, key=lambda p: (not p[1], units[("n", "commune", p[0])].name))
        chosen = units[("n", "commune", pairs[0][0])]
        province_source = units[("n", "province", chosen.province_code)]
        candidates = tuple(
            ConversionCandidate(code, units[("n", "commune", code)].name, code == chosen.code)
            for code, _ in pairs
        )
        old_province = nfc(old.province or "")
        old_district = nfc(old.district or "")
        old_ward = nfc(old.ward or "")
        province_code, province_name = province_source.code, province_source.name
        ward_code, ward_name = chosen.code, chosen.name

    return ConversionResult(
        province_code=province_code,
        province=province_name,
        ward_code=ward_code,
        ward=ward_name,
        ambiguous=len(candidates) > 1,
        old_province_code=old.province_code or "",
        old_province=old_province,
        old_district_code=old.district_code or "",
        old_district=old_district,
        old_ward_code=old.ward_code or "",
        old_ward=old_ward,
        candidates=candidates,
    )
