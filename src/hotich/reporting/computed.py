"""Computed indicators: values that come from the platform's own data instead of being typed.

An indicator with a ``source`` (:class:`~hotich.reporting.models.Source`) is filled for an
organization and a period from the register (births, deaths, marriages, first marriages and the
mean age at first marriage registered by the organization's unit and the units below it, split by
each of the indicator's categories the register knows: ``sex``, ``nhom_dan_toc`` (Kinh / other),
``dan_toc`` (the ethnic groups, by name), ``loai_khai_sinh`` (on time, late, re-registration),
``tuoi_khi_mat`` (age at death: option codes are the groups' lower bounds)) or from the rest
of the platform (``sources``: the public-service dossiers, documents, signatures, digitization).
:func:`register_values` serves any grouping of units, so the civil-status report (one row per
unit) reads the same sources. The grid shows
such cells read-only and marked computed; :func:`computed_fill` stores them when the grid of an
open form is opened and again when the form is submitted, so the approved figures are those of
that moment.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from hotich.audit.services import audit_record
from hotich.geo.selectors import units_below
from hotich.registry.statistics import UNKNOWN_AGE, civil_status_counts
from hotich.reporting.approval_flags import approved_refresh
from hotich.reporting.indicators import combos
from hotich.reporting.models import Category, DataValue, Indicator, Source
from hotich.reporting.sources import platform_values

if TYPE_CHECKING:
    from hotich.accounts.actors import Actor
    from hotich.agencies.models import Organization
    from hotich.reporting.periods import Period

K = TypeVar("K", bound=Hashable)

_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class _Register:
    """Which grouped rows of ``civil_status_counts`` a source reads, which of them it keeps,
    and what it adds up: ``count`` per row; for a mean, ``total`` over ``count``."""

    table: str
    keep: Callable[[dict[str, Any]], bool]
    count: str = "n"
    total: str = ""


def _all(row: dict[str, Any]) -> bool:
    return True


def _first(row: dict[str, Any]) -> bool:
    return bool(row["first"])


_REGISTER: dict[str, _Register] = {
    Source.BIRTHS: _Register("births", _all),
    Source.DEATHS: _Register("deaths", _all),
    # one marriage: a husband and a wife
    Source.MARRIAGES: _Register("marriages", lambda row: row["role"] == "husband"),
    Source.FIRST_MARRIAGES: _Register("marriages", _first),
    Source.FIRST_MARRIAGE_AGES: _Register("marriages", _first, count="age_n"),
    Source.FIRST_MARRIAGE_AGE: _Register("marriages", _first, count="age_n", total="age_sum"),
}

#: the disaggregations the register can split by (category code), the kind of birth
#: registration and the spelling variants of ethnic groups' names
AGE_AT_DEATH = "tuoi_khi_mat"
_BIRTH_KIND = {"on_time": "DUNG_HAN", "late": "QUA_HAN", "re_registration": "DANG_KY_LAI"}
_ETHNIC_ALIASES = {"hmông": "mông", "hmong": "mông", "stiêng": "xtiêng", "khmer": "khơme"}
UNKNOWN = "KXD"


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()
    text = "".join(ch for ch in text if ch.isalnum())
    return _ETHNIC_ALIASES.get(text, text)


def _sex(row: dict[str, Any], options: Mapping[str, str]) -> str | None:
    sex = row.get("sex")
    if sex is None and "role" in row:
        sex = {"husband": "M", "wife": "F"}.get(row["role"])
    return sex if sex in options else None


def _ethnic_group(row: dict[str, Any], options: Mapping[str, str]) -> str | None:
    if "ethnicity" not in row:
        return None
    return "KINH" if (row["ethnicity"] or "").strip() == "Kinh" else "DTTS"


def _ethnicity(row: dict[str, Any], options: Mapping[str, str]) -> str | None:
    if "ethnicity" not in row:
        return None
    by_name = {_fold(name): code for code, name in options.items()}
    return by_name.get(_fold(row["ethnicity"] or ""), UNKNOWN)


def _birth_kind(row: dict[str, Any], options: Mapping[str, str]) -> str | None:
    return _BIRTH_KIND.get(row.get("kind") or "")


def _age_at_death(row: dict[str, Any], options: Mapping[str, str]) -> str | None:
    if "age_group" not in row:
        return None
    if row["age_group"] == UNKNOWN_AGE:
        return UNKNOWN
    bounds = age_options(options)
    return bounds[row["age_group"]] if row["age_group"] < len(bounds) else None


DIMENSIONS: dict[str, Callable[[dict[str, Any], Mapping[str, str]], str | None]] = {
    "sex": _sex,
    "nhom_dan_toc": _ethnic_group,
    "dan_toc": _ethnicity,
    "loai_khai_sinh": _birth_kind,
    AGE_AT_DEATH: _age_at_death,
}


def age_options(options: Mapping[str, str]) -> list[str]:
    """The age-group options (codes: the lower bound in years), youngest first."""
    return sorted((c for c in options if c.isdigit()), key=int)


def _age_bounds(indicators: Sequence[Indicator]) -> tuple[int, ...]:
    for indicator in indicators:
        for category in indicator.categories.all():
            if category.code == AGE_AT_DEATH:
                codes = age_options({o.code: o.name for o in category.options.all()})
                return tuple(int(c) for c in codes[1:])
    return (1, 5, 15, 60)


def _split(
    indicator: Indicator, rows: list[dict[str, Any]], source: _Register
) -> dict[str, Decimal]:
    """The indicator's value per combination from the rows of one group of units."""
    categories: list[Category] = sorted(indicator.categories.all(), key=lambda c: c.code)
    if any(c.code not in DIMENSIONS for c in categories):
        return {}  # a combination the register cannot split is left out
    options = [{o.code: o.name for o in c.options.all()} for c in categories]
    valid = {key for key, _label in combos(indicator)}
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        keys = [DIMENSIONS[c.code](row, opts) for c, opts in zip(categories, options, strict=True)]
        if any(k is None for k in keys):
            continue
        key = ".".join(k for k in keys if k is not None)
        if key not in valid:
            continue
        sums[key][0] += int(row[source.count] or 0)
        if source.total:
            sums[key][1] += int(row[source.total] or 0)
    out: dict[str, Decimal] = {}
    for key in valid:
        count, total = sums.get(key, (0, 0))
        if not source.total:
            out[key] = Decimal(count)
        elif count:  # a mean of nothing is no value
            out[key] = (Decimal(total) / Decimal(count)).quantize(_PLACES)
    return out


def register_values(
    indicators: Sequence[Indicator], groups: Mapping[K, Sequence[int]], period: Period
) -> dict[K, dict[tuple[int, str], Decimal]]:
    """The values of the register-sourced ``indicators`` for each group of units (key → unit
    ids) over ``period``: (indicator id, combination) → value, grouped in the database by
    ``hotich.registry.statistics.civil_status_counts`` (three queries for all groups)."""
    wanted = [i for i in indicators if i.source in _REGISTER]
    out: dict[K, dict[tuple[int, str], Decimal]] = {key: {} for key in groups}
    if not wanted:
        return out
    owners: dict[int, list[K]] = defaultdict(list)
    for key, unit_ids in groups.items():
        for unit_id in unit_ids:
            owners[unit_id].append(key)
    counts = civil_status_counts(
        unit_ids=list(owners), start=period.start, end=period.end, age_bounds=_age_bounds(wanted)
    )
    for indicator in wanted:
        source = _REGISTER[indicator.source]
        per_group: dict[K, list[dict[str, Any]]] = defaultdict(list)
        for row in getattr(counts, source.table):
            if source.keep(row):
                for key in owners.get(row["unit_id"], ()):
                    per_group[key].append(row)
        for key in groups:
            for combo, value in _split(indicator, per_group.get(key, []), source).items():
                out[key][(indicator.pk, combo)] = value
    return out


def computed_values(
    indicators: list[Indicator], organization: Organization, period: Period
) -> dict[tuple[int, str], Decimal]:
    """(indicator id, combination) → value for the computed ones among ``indicators`` (a
    combination the source cannot split is left out)."""
    wanted = [i for i in indicators if i.source]
    if not wanted:
        return {}
    out: dict[tuple[int, str], Decimal] = {}
    if any(i.source in _REGISTER for i in wanted):
        unit_ids = list(
            units_below(organization.unit, include_self=True).values_list("pk", flat=True)
        )
        out.update(register_values(wanted, {organization.pk: unit_ids}, period)[organization.pk])
    out.update(platform_values(wanted, organization, period))
    return out


def computed_fill(
    *, actor: Actor, indicators: list[Indicator], organization: Organization, period: Period
) -> int:
    """Store the computed values of ``indicators`` for ``organization`` and ``period`` (the
    caller checks the form is open); returns how many changed. Each change is audited."""
    values = computed_values(indicators, organization, period)
    if not values:
        return 0
    by_id = {i.pk: i for i in indicators}
    stored = {
        (v.indicator_id, v.combo): v
        for v in DataValue.objects.filter(
            organization=organization,
            period_code=period.code,
            indicator_id__in={k[0] for k in values},
        )
    }
    changed = 0
    for (indicator_id, combo), value in values.items():
        existing = stored.get((indicator_id, combo))
        if existing is not None and existing.value == value:
            continue
        DataValue.objects.update_or_create(
            indicator_id=indicator_id,
            organization=organization,
            period_code=period.code,
            combo=combo,
            defaults={"value": value, "updated_by": None},
        )
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.data_value",
            object_id=f"{by_id[indicator_id].code}/{organization.code}/{period.code}/{combo}",
            before=None if existing is None else {"value": str(existing.value)},
            after={"value": str(value)},
            detail={"source": by_id[indicator_id].source},
        )
        changed += 1
    if changed:  # another form holding the indicator may be approved already
        approved_refresh(
            indicator_ids={k[0] for k in values},
            organization_id=organization.pk,
            period_code=period.code,
        )
    return changed
