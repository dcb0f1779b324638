from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.accounts.selectors import users_within
from hotich.geo.selectors import units_within
from hotich.signing.models import Usage

MAX_CERTIFICATE_BYTES = 256 * 1024


class QuarterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.ChoiceField(
        label=_("Quý"), choices=[(str(q), str(q)) for q in range(1, 5)], initial="1"
    )


class IdentityImportForm(forms.Form):
    """A certificate issued by a real CA, for a unit in the user's scope."""

    file = forms.FileField(label=_("Tệp chứng thư số (PKCS#12 .p12/.pfx hoặc PEM)"))
    password = forms.CharField(
        label=_("Mật khẩu tệp PKCS#12"), required=False, widget=forms.PasswordInput
    )
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=units_within(None))
    usage = forms.ChoiceField(
        label=_("Loại"),
        choices=[(Usage.SEAL, Usage.SEAL.label), (Usage.OFFICIAL, Usage.OFFICIAL.label)],
    )
    holder = forms.ModelChoiceField(
        label=_("Người ký (với chứng thư cá nhân)"),
        queryset=users_within(None),
        required=False,
    )
    pkcs11_token = forms.CharField(
        label=_("Nhãn thiết bị PKCS#11 (để trống nếu khóa nằm trong tệp)"),
        required=False,
        max_length=64,
    )
    key_label = forms.CharField(label=_("Nhãn khóa trên thiết bị"), required=False, max_length=255)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = getattr(user, "unit", None)
        cast("forms.ModelChoiceField[Any]", self.fields["unit"]).queryset = units_within(unit)
        cast("forms.ModelChoiceField[Any]", self.fields["holder"]).queryset = users_within(unit)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CERTIFICATE_BYTES:
            raise forms.ValidationError(_("Tệp chứng thư số quá lớn."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("usage") == Usage.OFFICIAL and not data.get("holder"):
            self.add_error("holder", _("Chứng thư cá nhân cần chọn người ký."))
        return data
