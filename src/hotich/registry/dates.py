"""Full and partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as entries write them.

A partial date is stored as its first day plus a precision, so that it sorts and filters like a
date and prints back exactly as written. Partial dates are accepted for historic records only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.dates import display, is_possible
from hotich.core.dates import parse_typed as typed_date
from hotich.core.errors import ValidationFailed


class Precision(models.TextChoices):
    DAY = "d", _("ngày")
    MONTH = "m", _("tháng")
    YEAR = "y", _("năm")


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def from_stored(cls, value: dt.date | None, precision: str | None) -> PartialDate | None:
        if value is None:
            return None
        if precision == Precision.YEAR:
            return cls(value.year)
        if precision == Precision.MONTH:
            return cls(value.year, value.month)
        return cls(value.year, value.month, value.day)


def parse_date(
    value: object, *, field: str, label: object, allow_partial: bool, today: dt.date
) -> PartialDate | None:
    """Parse a date typed as ``dd/mm/yyyy`` or ``YYYY-MM-DD`` (or ``mm/yyyy``, ``YYYY-MM``,
    ``YYYY`` when partial is allowed).

    Refuses impossible dates (2023-02-30), dates in the future, and partial dates where only full
    ones are allowed. Empty input gives None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = PartialDate(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        ymd = typed_date(text, partial=True)
        if ymd is None:
            raise ValidationFailed(
                format_lazy(
                    _(
                        "{label}: “{value}” không đúng dạng ngày "
                        "(ngày/tháng/năm, ví dụ 06/12/2026)."
                    ),
                    label=label,
                    value=text[:20],
                ),
                field=field,
            )
        year, month, day = ymd
        if not is_possible(ymd) or year < 1800:
            raise _impossible(field, label, text)
        parsed = PartialDate(year, month, day)
    if not parsed.is_full and not allow_partial:
        raise ValidationFailed(
            format_lazy(
                _(
                    "{label}: phải ghi đủ ngày, tháng, năm; ngày không đầy đủ chỉ được dùng cho "
                    "sổ cũ (số hóa)."
                ),
                label=label,
            ),
            field=field,
        )
    if parsed.first_day() > today:
        raise ValidationFailed(
            format_lazy(
                _("{label}: ngày {value} là ngày trong tương lai."),
                label=label,
                value=display(parsed),
            ),
            field=field,
        )
    return parsed


def _impossible(field: str, label: object, text: str) -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("{label}: ngày {value} không có thật."), label=label, value=text[:20]),
        field=field,
    )


def age_on(birth: PartialDate, day: dt.date) -> int:
    """Full years of age on ``day``; for a partial birth date, the smallest possible age."""
    born = birth.last_day()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
