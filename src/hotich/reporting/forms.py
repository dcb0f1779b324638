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

    def period_code(self) -> str:
        data: dict[str, Any] = self.cleaned_data
        return f"{data['year']}-{data['period']}"
