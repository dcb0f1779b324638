from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.interconnect.agencies import Agency


class SendForm(forms.Form):
    to = forms.MultipleChoiceField(
        label=_("Cơ quan nhận"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(a.code, f"{a.name} ({a.code})") for a in agencies]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Gói tin edXML"))
