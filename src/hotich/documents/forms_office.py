"""Forms of the e-office pages: tasks, calendar entries, comments. They only collect input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotich.documents.forms import _choices


def _people(users: Any) -> list[tuple[int, str]]:
    return [(u.pk, u.full_name or u.username) for u in users]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(label=_("Người chủ trì"), coerce=int)
    co_workers = forms.TypedMultipleChoiceField(
        label=_("Người phối hợp"), coerce=int, required=False
    )
    deadline = forms.DateField(
        label=_("Hạn hoàn thành"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _people(people)
        _choices(self, "owner", choices)
        _choices(self, "co_workers", choices)


class TaskActionForm(forms.Form):
    action = forms.CharField(max_length=20)
    note = forms.CharField(label=_("Ghi chú"), max_length=1000, required=False)
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100, required=False
    )
    result_document = forms.IntegerField(
        label=_("Văn bản kết quả (số hiệu nội bộ)"), required=False
    )


class CalendarEntryForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Giờ bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label=_("Giờ kết thúc"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    title = forms.CharField(label=_("Nội dung"), max_length=300)
    location = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    participants = forms.CharField(label=_("Thành phần"), max_length=500, required=False)
    leader = forms.TypedChoiceField(
        label=_("Lịch của lãnh đạo"), coerce=int, empty_value=None, required=False
    )
    is_public = forms.BooleanField(label=_("Công khai trên trang công khai"), required=False)

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "leader", [("", "—"), *_people(leaders)])


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Góp ý"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


#: the retention periods offered in years (Circular 10/2022/TT-BNV); empty is permanent
RETENTION_YEARS = (70, 50, 20, 10, 5, 2)


class WorkFileForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Số, ký hiệu hồ sơ"), max_length=30)
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=300)
    retention_years = forms.TypedChoiceField(
        label=_("Thời hạn bảo quản"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    responsible = forms.TypedChoiceField(label=_("Người lập hồ sơ"), coerce=int)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "responsible", _people(people))
        years = [(n, _("%(n)s năm") % {"n": n}) for n in RETENTION_YEARS]
        _choices(self, "retention_years", [("", _("Vĩnh viễn")), *years])


class FileDocumentForm(forms.Form):
    document = forms.IntegerField(label=_("Văn bản"), min_value=1)


class PutInFileForm(forms.Form):
    work_file = forms.IntegerField(label=_("Hồ sơ"), min_value=1)


class FileActionForm(forms.Form):
    action = forms.CharField(max_length=20)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class FileYearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)


class OfficeStatsForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Kỳ"),
        coerce=int,
        choices=[
            (0, _("Cả năm")),
            (1, _("Quý I")),
            (2, _("Quý II")),
            (3, _("Quý III")),
            (4, _("Quý IV")),
        ],
    )
