from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Mã xác thực 6 chữ số"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=80,
        required=False,
        help_text=_("Ví dụ: tên chương trình sẽ dùng mã này."),
    )
    days = forms.IntegerField(label=_("Số ngày hiệu lực"), min_value=1, max_value=365, initial=90)
