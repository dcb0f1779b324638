"""Read-only aggregates of registered records for reports (the reporting context reads these).

Every figure is computed in the database (``GROUP BY``), never by loading records: a
province-year over millions of records stays one query per event type. Counts are of
*registered* records whose registration date lies in ``[start, end]`` (both inclusive) and whose
unit (today's unit holding the record) is one of ``unit_ids``. Persons' values are those the
entry wrote (``Party.as_written``: the book wins), so a later margin note does not move a
registration into another column. No personal data leaves this module: only counts and sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import Cast, NullIf, Substr
from django.db.models.lookups import GreaterThan

from hotich.registry.models import Party
from hotich.registry.vocabulary import MARRIAGE_TYPES, EventType, Role, Status

#: age-group value for deaths whose age cannot be computed (no birth or death date)
UNKNOWN_AGE = -1


@dataclass
class CivilStatusCounts:
    """Grouped rows, each a dict with ``unit_id``, its group keys and ``n``.

    - ``births``: ``sex``, ``ethnicity``, ``kind`` (on_time / late / re_registration / None)
    - ``deaths``: ``sex``, ``age_group`` (index into the age groups, ``UNKNOWN_AGE``)
    - ``marriages``: ``role`` (husband / wife), ``first`` (bool), ``n``, ``age_sum``, ``age_n``
      (sum and count of the ages at registration of those whose age is known)
    """

    births: list[dict[str, Any]] = field(default_factory=list)
    deaths: list[dict[str, Any]] = field(default_factory=list)
    marriages: list[dict[str, Any]] = field(default_factory=list)


def _year(text: Combinable) -> Any:
    return Cast(NullIf(Substr(text, 1, 4), Value("")), IntegerField())


def years_between(later: Combinable, earlier: Combinable) -> Any:
    """Whole years from ``earlier`` to ``later``, both ISO text (``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY``), in SQL. A partial date counts from its first day; NULL when either is missing."""
    before_birthday = Case(
        When(GreaterThan(Substr(earlier, 6, 5), Substr(later, 6, 5)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return _year(later) - _year(earlier) - before_birthday


def _registered(
    event_type: str | Sequence[str], unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> Q:
    types = [event_type] if isinstance(event_type, str) else list(event_type)
    return Q(
        record__event_type__in=types,
        record__status=Status.REGISTERED,
        record__registration_date__gte=start,
        record__registration_date__lte=end,
        record__unit_id__in=list(unit_ids),
    )


def _age_group(age: Any, bounds: Sequence[int]) -> Case:
    whens = [When(Q(age__isnull=True), then=Value(UNKNOWN_AGE))]
    whens += [When(Q(age__lt=bound), then=Value(i)) for i, bound in enumerate(bounds)]
    return Case(*whens, default=Value(len(bounds)), output_field=IntegerField())


def civil_status_counts(
    *,
    unit_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    age_bounds: Sequence[int] = (1, 5, 15, 60),
) -> CivilStatusCounts:
    """Births, deaths and marriages registered in ``[start, end]`` by the units ``unit_ids``,
    grouped in the database (three queries). ``age_bounds`` are the lower bounds of the age
    groups at death after the first (``(1, 5)`` → under 1, 1–4, 5 and over)."""
    if not unit_ids:
        return CivilStatusCounts()
    births = (
        Party.objects.filter(_registered(EventType.BIRTH, unit_ids, start, end), role=Role.CHILD)
        .annotate(
            unit_id=F("record__unit_id"),
            sex=KT("as_written__sex"),
            ethnicity=KT("as_written__ethnicity"),
            kind=KeyTextTransform("kind", "record__data"),
        )
        .values("unit_id", "sex", "ethnicity", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    deaths = (
        Party.objects.filter(_registered(EventType.DEATH, unit_ids, start, end), role=Role.DECEASED)
        .annotate(
            unit_id=F("record__unit_id"),
            sex=KT("as_written__sex"),
            age=years_between(
                KeyTextTransform("death_date", "record__data"), KT("as_written__birth_date")
            ),
        )
        .annotate(age_group=_age_group(F("age"), age_bounds))
        .values("unit_id", "sex", "age_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    earlier_marriage = Party.objects.filter(
        Q(record__registration_date__lt=OuterRef("record__registration_date"))
        | Q(
            record__registration_date=OuterRef("record__registration_date"),
            record_id__lt=OuterRef("record_id"),
        ),
        person_id=OuterRef("person_id"),
        role__in=[Role.HUSBAND, Role.WIFE],
        record__status=Status.REGISTERED,
        record__event_type__in=MARRIAGE_TYPES,
    )
    marriages = (
        Party.objects.filter(
            _registered(EventType.MARRIAGE, unit_ids, start, end),
            role__in=[Role.HUSBAND, Role.WIFE],
        )
        .annotate(
            unit_id=F("record__unit_id"),
            first=~Exists(earlier_marriage),
            age=years_between(
                Cast(F("record__registration_date"), CharField()), KT("as_written__birth_date")
            ),
        )
        .values("unit_id", "role", "first")
        .annotate(n=Count("id"), age_sum=Sum("age"), age_n=Count("age"))
        .order_by()
    )
    return CivilStatusCounts(
        births=[dict(r) for r in births],
        deaths=[dict(r) for r in deaths],
        marriages=[dict(r) for r in marriages],
    )
