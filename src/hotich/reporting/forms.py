from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PERIOD_CHOICES = [
    ("Y", _("Cả năm")),
    ("H1", _("6 tháng đầu năm")),
    ("H2", _("6 tháng cuối năm")),
    *[(f"Q{i}", format_lazy(_("Quý {n}"), n=i)) for i in range(1, 5)],
    *[(f"M{i:02d}", format_lazy(_("Tháng {n}"), n=i)) for i in range(1, 13)],
]


class ReportQueryForm(forms.Form):
    unit = forms.CharField(label=_("Mã đơn vị"), required=False, max_length=10)
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2999)
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIOD_CHOICES, initial="Y")

    def __init__(
        self, *args: Any, unit_options: list[tuple[object, object]] | None = None, **kw: Any
    ):
        super().__init__(*args, **kw)
        if unit_options:
            # the units the user may report on, province then its communes: a select that
            # works without script; unit-picker.js adds a search box that filters it
            field = self.fields["unit"]
            field.label = _("Đơn vị")
            field.widget = forms.Select(
                choices=unit_options,
                attrs={
                    "data-unit-picker": "",
                    "data-search-label": _("Tìm đơn vị (gõ tên, có hoặc không dấu)"),
                    "data-found-label": _("{n} đơn vị khớp"),
                },
            )

    def period_code(self) -> str:
        data: dict[str, Any] = self.cleaned_data
        return f"{data['year']}-{data['period']}"
