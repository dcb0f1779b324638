"""Staff forms of the register. They only collect input; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.core.forms import DateField
from hotich.documents.selectors import REGISTER_YEARS, STATS_YEARS
from hotich.documents.vocabulary import Action, Direction, DocType, Status

TYPE_CHOICES = [("", "—"), *DocType.choices]


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=TYPE_CHOICES, required=False)
    year = forms.IntegerField(
        label=_("Năm"), required=False, min_value=REGISTER_YEARS[0], max_value=REGISTER_YEARS[1]
    )
    q = forms.CharField(label=_("Số, ký hiệu hoặc trích yếu"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("Chỉ văn bản quá hạn"), required=False)

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "status", [("", "—")] + [(s, Status(s).label) for s in statuses])


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ cần tìm (có dấu hoặc không dấu)"), required=False, max_length=200
    )
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    direction = forms.ChoiceField(label=_("Sổ"), required=False)
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=TYPE_CHOICES, required=False)
    sender = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=200)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "year", [("", "—")] + [(y, str(y)) for y in years])
        _choices(self, "direction", [("", "—"), *Direction.choices])


class DraftForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocType.choices)
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 10}))
    recipient_unit = forms.TypedChoiceField(
        label=_("Gửi tới đơn vị"), coerce=int, empty_value=None, required=False
    )
    recipient_organizations = forms.TypedMultipleChoiceField(
        label=_("Gửi tới cơ quan, tổ chức"), coerce=int, required=False
    )
    recipient_name = forms.CharField(label=_("Nơi nhận khác"), max_length=200, required=False)
    section_abbrev = forms.CharField(
        label=_("Đơn vị soạn thảo (viết tắt, cho công văn)"), max_length=10, initial="TP"
    )

    def __init__(self, *args: Any, units: Any, organizations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "recipient_unit", [("", "—")] + [(u.pk, u.name) for u in units])
        _choices(self, "recipient_organizations", [(o.pk, o.name) for o in organizations])


class IncomingForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocType.choices)
    sender_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    sender_number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)
    dated = DateField(label=_("Ngày văn bản"), required=False, past_only=True)
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Tệp PDF của văn bản"))


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False)
    handler = forms.TypedChoiceField(
        label=_("Người xử lý"), coerce=int, empty_value=None, required=False
    )
    co = forms.TypedMultipleChoiceField(label=_("Phối hợp"), coerce=int, required=False)
    days = forms.IntegerField(label=_("Thời hạn (ngày làm việc)"), required=False)
    file = forms.FileField(label=_("Bản quét văn bản đã ký"), required=False)

    def __init__(self, *args: Any, handlers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(u.pk, u.full_name or u.username) for u in handlers]
        _choices(self, "handler", [("", "—"), *people])
        _choices(self, "co", people)


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=STATS_YEARS[0], max_value=STATS_YEARS[1])
    quarter = forms.TypedChoiceField(
        label=_("Quý"), coerce=int, choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
    )
