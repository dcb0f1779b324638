"""Dates as people write them: ``06/12/2026`` typed and read, ISO (``2026-12-06``) only in the API
and in files.

``parse_typed`` reads what a person types (``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``,
``dd.mm.yyyy``, the ISO form pasted from elsewhere, and, where partial dates are allowed,
``mm/yyyy`` and ``yyyy``); ``display`` writes a full or partial date back the same way
(``06/12/2026``, ``tháng 3/1987``, ``năm 1987``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")

#: What a date input shows as its placeholder and what an error tells the person to type.
TYPED_FORMAT = "dd/mm/yyyy"

YMD = tuple[int, int | None, int | None]


def parse_typed(text: str, *, partial: bool = False) -> YMD | None:
    """``(year, month, day)`` of a date as typed, month and day None for a partial date; None when
    the text is not written as a date (or is partial where ``partial`` is False). Does not check
    that the day exists: see ``to_date``."""
    text = " ".join(str(text).split())
    if m := _DMY.match(text):
        return int(m[3]), int(m[2]), int(m[1])
    if m := _ISO.match(text):
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        if (month is None or day is None) and not partial:
            return None
        return year, month, day
    if partial and (m := _MY.match(text)):
        return int(m[2]), int(m[1]), None
    return None


def is_possible(ymd: YMD) -> bool:
    """Whether the (full or partial) date exists: month 1–12, the day in that month."""
    year, month, day = ymd
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        try:
            dt.date(year, month or 1, day)
        except ValueError:
            return False
    return True


def to_date(text: str) -> dt.date | None:
    """The full date typed, or None when it is not one (not a date, partial, or impossible)."""
    ymd = parse_typed(text)
    if ymd is None or not is_possible(ymd):
        return None
    year, month, day = ymd
    assert month is not None and day is not None
    return dt.date(year, month, day)


def iso(ymd: YMD) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    year, month, day = ymd
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def typed(value: Any) -> str:
    """A date as a person types it back into a box: ``06/12/2026``, ``3/1987``, ``1987``; text
    that is not an ISO date is returned as it is (what the person typed stays)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    m = _ISO.match(text.strip())
    if not m:
        return text
    if not m[2]:
        return m[1]
    if not m[3]:
        return f"{int(m[2])}/{m[1]}"
    return f"{int(m[3]):02d}/{int(m[2]):02d}/{m[1]}"


def display(value: Any) -> str:
    """A date for people: ``06/12/2026``; a partial one as ``tháng 3/1987`` or ``năm 1987``; a
    date and time as ``06/12/2026 14:05`` in Vietnam time. Accepts a date, a datetime, ISO text
    (full or partial), or an object with ``year``, ``month`` and ``day`` (month and day may be
    None); anything else is returned as text ("" for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment: dt.datetime = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        m = _ISO.match(value.strip())
        if not m:
            return value
        ymd: YMD = (int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    elif hasattr(value, "year") and hasattr(value, "month"):
        ymd = (value.year, value.month, getattr(value, "day", None))
    else:
        return str(value)
    year, month, day = ymd
    if month is None:
        return _("năm %(year)s") % {"year": year}
    if day is None:
        return _("tháng %(month)s/%(year)s") % {"month": month, "year": year}
    return f"{day:02d}/{month:02d}/{year:04d}"
