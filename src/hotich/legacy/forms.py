"""Forms of the legacy import pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.core.spreadsheets import MAX_BYTES
from hotich.legacy.mapping import targets
from hotich.registry.vocabulary import SPECS

IMPORTABLE = [(spec.event_type, spec.label) for spec in SPECS.values() if not spec.target_required]


class UploadForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Loại sổ"), choices=IMPORTABLE, initial="birth")
    file = forms.FileField(
        label=_("Tệp bảng tính (xlsx, xls, csv)"),
        help_text=_("Chữ có thể ở bảng mã Unicode, TCVN3 (ABC), VNI hoặc VIQR: hệ thống tự nhận."),
    )

    registering_unit = forms.TypedChoiceField(
        label=_("Đơn vị đăng ký khi đó (sổ của xã cũ)"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Để trống khi sổ do chính đơn vị hiện nay lập."),
    )

    def __init__(self, *args: Any, registering_units: list[Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = registering_units or []
        self.units = {u.pk: u for u in units}
        field = self.fields["registering_unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— đơn vị hiện nay —"))] + [(u.pk, u.name) for u in units]
        if not units:
            del self.fields["registering_unit"]

    def chosen_unit(self) -> Any:
        pk = self.cleaned_data.get("registering_unit")
        return self.units.get(pk) if pk else None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: the register field it holds, or nothing."""

    def __init__(self, *args: Any, headers: list[str], event_type: str, **kwargs: Any) -> None:
        initial_mapping: dict[str, str] = kwargs.pop("mapping", {})
        super().__init__(*args, **kwargs)
        choices = [("", _("— bỏ qua cột này —"))] + [(t.name, t.label) for t in targets(event_type)]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(str(index), ""),
            )

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("col_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value
        }
