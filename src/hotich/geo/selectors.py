"""Reading administrative units."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hotich.core.text import fold
from hotich.geo.models import Era, Unit


def unit_search(query: str, *, era: str | None = None, level: str | None = None, limit: int = 20) -> QuerySet[Unit]:
    """Units whose name contains every word of ``query``, typed with or without diacritics."""
    qs = Unit.objects.select_related("parent", "parent__parent")
    if era:
        qs = qs.filter(era=era)
    if level:
        qs = qs.filter(level=level)
    words = fold(query).split()
    if not words:
        return qs.none()
    condition = Q()
    for word in words:
        condition &= Q(search_key__contains=word)
    return qs.filter(condition).order_by("era", "level", "name")[:limit]


def unit_get(*, era: str = Era.CURRENT, level: str, code: str) -> Unit:
    return Unit.objects.get(era=era, level=level, code=code)
