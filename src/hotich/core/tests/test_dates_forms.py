"""Dates as people write them, the shared date field, and the form rendering helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from hotich.core import dates
from hotich.core.errors import FormInvalid, ValidationFailed
from hotich.core.forms import DateField, PartialDateField


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06/12/2026", (2026, 12, 6)),
        ("6/12/2026", (2026, 12, 6)),
        ("06-12-2026", (2026, 12, 6)),
        ("06.12.2026", (2026, 12, 6)),
        ("2026-12-06", (2026, 12, 6)),
        (" 6/1/2026 ", (2026, 1, 6)),
    ],
)
def test_full_dates_typed_every_usual_way(text: str, expected: tuple[int, int, int]) -> None:
    assert dates.parse_typed(text) == expected


def test_partial_dates_only_where_allowed() -> None:
    assert dates.parse_typed("3/1987") is None and dates.parse_typed("1987") is None
    assert dates.parse_typed("3/1987", partial=True) == (1987, 3, None)
    assert dates.parse_typed("1987", partial=True) == (1987, None, None)
    assert dates.parse_typed("1987-03", partial=True) == (1987, 3, None)
    assert dates.parse_typed("ngày mai", partial=True) is None
    assert not dates.is_possible((2026, 2, 30)) and dates.to_date("30/02/2026") is None


def test_display_full_partial_and_times() -> None:
    assert dates.display(dt.date(2026, 12, 6)) == "06/12/2026"
    assert dates.display("2026-12-06") == "06/12/2026"
    assert dates.display("1987-03") == "tháng 3/1987"
    assert dates.display("1987") == "năm 1987"
    assert dates.display("") == "" and dates.display(None) == ""
    assert dates.display("Xã Nghi Phú") == "Xã Nghi Phú"
    moment = dt.datetime(2026, 12, 6, 1, 30, tzinfo=dt.UTC)
    assert dates.display(moment) == "06/12/2026 08:30"  # Vietnam time
    with translation.override("en"):
        assert dates.display("1987") == "1987" and dates.display("1987-03") == "3/1987"
    assert dates.typed("1987-03") == "3/1987" and dates.typed(dt.date(2026, 1, 2)) == "02/01/2026"


def test_template_filter_and_default_date_format() -> None:
    out = Template("{% load hotich_ui %}{{ a|ngay }} · {{ b|ngay }} · {{ c }}").render(
        Context({"a": "1987", "b": dt.date(2026, 12, 6), "c": dt.date(2026, 12, 6)})
    )
    assert out == "năm 1987 · 06/12/2026 · 06/12/2026"


class _Form(forms.Form):
    day = DateField(label="Ngày sinh", past_only=True)
    partial = PartialDateField(label="Ngày cũ", required=False)


def test_date_field_accepts_and_refuses_with_reasons() -> None:
    today = timezone.localdate()
    form = _Form({"day": today.strftime("%d/%m/%Y"), "partial": "3/1987"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": today, "partial": "1987-03"}
    bad = _Form({"day": "31/02/2020", "partial": "abc"})
    assert not bad.is_valid()
    assert bad.errors["day"] == ["Ngày 31/02/2020 không có thật."]
    assert "không phải ngày" in bad.errors["partial"][0]
    future = _Form({"day": (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")})
    assert not future.is_valid() and "tương lai" in future.errors["day"][0]
    shown = str(_Form(initial={"day": dt.date(2026, 12, 6)})["day"])
    assert 'value="06/12/2026"' in shown and 'placeholder="dd/mm/yyyy"' in shown


def test_error_summary_links_each_field_with_its_label() -> None:
    form = _Form({"day": "x"})
    form.is_valid()
    out = Template("{% load hotich_ui %}{% error_summary form %}{% field form.day %}").render(
        Context({"form": form})
    )
    assert "Có 1 lỗi cần sửa" in out and 'href="#id_day"' in out
    assert "Ngày sinh: “x” không phải ngày" in out
    assert 'aria-invalid="true"' in out and 'aria-describedby="id_day-help id_day-err"' in out
    assert 'class="req"' in out


def test_form_invalid_collects_errors_by_field() -> None:
    many = FormInvalid.collect(
        [
            ValidationFailed("a", field="x"),
            FormInvalid({"y": "b", "x": "c"}),
            ValidationFailed("d"),
        ]
    )
    assert isinstance(many, FormInvalid)
    assert many.errors == {"x": "a", "y": "b", "__all__": "d"} and many.field == "x"
    one = ValidationFailed("e", field="z")
    assert FormInvalid.collect([one]) is one


def test_an_error_with_a_list_of_errors_is_one_error() -> None:
    class ListErrors(ValidationFailed):
        def __init__(self) -> None:
            super().__init__("f", field="file")
            self.errors = [("row", 1)]

    listed = ListErrors()
    many = FormInvalid.collect([listed, ValidationFailed("g", field="other")])
    assert isinstance(many, FormInvalid) and many.errors == {"file": "f", "other": "g"}
