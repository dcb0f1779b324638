"""The date field every form uses: typed as ``dd/mm/yyyy`` (also ``d/m/yyyy``, and ISO when
pasted), shown back the same way, refused with a Vietnamese reason naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hotich.core import dates


class DateInput(forms.TextInput):
    """A text box for a date: digits keyboard on phones, ``dd/mm/yyyy`` as placeholder."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        base = {
            "inputmode": "numeric",
            "placeholder": dates.TYPED_FORMAT,
            "autocomplete": "off",
            "size": "10",
            "class": "date",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return dates.typed(value) or None


class DateField(forms.Field):
    """A full date typed as people write it; cleans to ``datetime.date``.

    ``past_only`` refuses a day after today (a birth, a registration)."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("“%(value)s” không phải ngày; hãy ghi ngày/tháng/năm, ví dụ 06/12/2026."),
        "impossible": _("Ngày %(value)s không có thật."),
        "future": _("Ngày %(value)s là ngày trong tương lai."),
    }

    def __init__(self, *, past_only: bool = False, **kwargs: Any):
        self.past_only = past_only
        kwargs.setdefault("help_text", _("ngày/tháng/năm, ví dụ 06/12/2026"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        ymd = dates.parse_typed(text)
        if ymd is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:20]}
            )
        if not dates.is_possible(ymd):
            raise ValidationError(
                self.error_messages["impossible"], code="impossible", params={"value": text[:20]}
            )
        year, month, day = ymd
        assert month is not None and day is not None
        return dt.date(year, month, day)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.past_only and value is not None:
            from django.utils import timezone

            if value > timezone.localdate():
                raise ValidationError(
                    self.error_messages["future"],
                    code="future",
                    params={"value": dates.display(value)},
                )


class PartialDateField(forms.CharField):
    """A date that may be partial (old registers: ``3/1987``, ``1987``); cleans to its ISO text
    (``1987-03``), which the services read. The services check it against the entry's rules."""

    widget = DateInput
    default_error_messages = {
        "invalid": _(
            "“%(value)s” không phải ngày; hãy ghi ngày/tháng/năm (06/12/2026), "
            "tháng/năm (3/1987) hoặc năm (1987)."
        ),
        "impossible": _("Ngày %(value)s không có thật."),
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        ymd = dates.parse_typed(text, partial=True)
        if ymd is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:20]}
            )
        if not dates.is_possible(ymd):
            raise ValidationError(
                self.error_messages["impossible"], code="impossible", params={"value": text[:20]}
            )
        return dates.iso(ymd)
