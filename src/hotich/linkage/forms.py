from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.linkage.models import PairStatus, Resolution

MAX_UPLOAD = 50 * 1024 * 1024


class RunForm(forms.Form):
    left = forms.FileField(label=_("Tệp thứ nhất (CSV)"))
    right = forms.FileField(
        label=_("Tệp thứ hai (CSV, để trống để tìm bản trùng trong tệp thứ nhất)"), required=False
    )
    threshold_low = forms.FloatField(
        label=_("Ngưỡng xem xét"), initial=0.5, min_value=0.0, max_value=1.0
    )
    threshold_high = forms.FloatField(
        label=_("Ngưỡng tự động khớp"), initial=0.95, min_value=0.0, max_value=1.0
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for name in ("left", "right"):
            upload = data.get(name)
            if upload is not None and getattr(upload, "size", 0) > MAX_UPLOAD:
                self.add_error(name, _("Tệp lớn hơn giới hạn cho phép (50 MB)."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            (PairStatus.ACCEPTED, PairStatus.ACCEPTED.label),
            (PairStatus.REJECTED, PairStatus.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Cách xử lý"), choices=Resolution.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class CheckForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        max_length=300,
        initial="Điều 4 Nghị định 13/2023/NĐ-CP; Luật Hộ tịch 2014",
    )
