"""The officer's forms and lists as people use them: dates typed and shown as dd/mm/yyyy, every
error at once in a summary, the birth form in sections with what is known filled in, the search
addressable without a name in the address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hotich.registry.models import Record
from hotich.registry.tests.factories import BirthFactory, UserFactory, person_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    officer = UserFactory(role="officer", full_name="Trần Văn Hộ")
    client.force_login(officer)
    client.officer = officer
    return client


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_birth_form_accepts_dates_as_people_write_them(officer_client):
    today = timezone.localdate()
    child = today - dt.timedelta(days=3)
    response = officer_client.post(
        reverse("registry:record_new", args=["birth"]),
        {
            "registration_date": dmy(today),
            "child.full_name": "Lê Thị Hằng",
            "child.sex": "F",
            "child.birth_date": f"{child.day}/{child.month}/{child.year}",  # d/m/yyyy
            "mother.full_name": "Lê Thị Mai",
            "mother.birth_date": "3/1995",
            "kind": "on_time",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Record.objects.get()
    assert record.registration_date == today
    person = record.parties.get(role="child").person
    assert person.birth_date == child
    mother = record.parties.get(role="mother").person
    assert (mother.birth_date, mother.birth_precision) == (dt.date(1995, 3, 1), "m")
    page = officer_client.get(response["Location"]).content.decode()
    assert dmy(today) in page and dmy(child) in page and "tháng 3/1995" in page
    assert today.isoformat() not in page and child.isoformat() not in page


def test_birth_form_in_sections_prefilled_without_parents_sex(officer_client):
    body = officer_client.get(reverse("registry:record_new", args=["birth"])).content.decode()
    for title in ("Người được khai sinh", "Cha", "Mẹ", "Người đi khai", "Đăng ký"):
        assert f"<legend>{title}</legend>" in body
    assert 'name="child.sex"' in body
    assert 'name="father.sex"' not in body and 'name="mother.sex"' not in body
    assert f'value="{dmy(timezone.localdate())}"' in body
    assert 'value="Trần Văn Hộ"' in body
    assert 'placeholder="dd/mm/yyyy"' in body and 'type="date"' not in body
    assert body.count('class="req"') >= 3  # registration date, child's name and birth date


def test_empty_birth_form_reports_every_error_at_once(officer_client):
    response = officer_client.post(
        reverse("registry:record_new", args=["birth"]),
        {"registration_date": "", "child.birth_date": "31/02/2026", "mother.birth_date": "abc"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    # The date, the child's name and birth date, and the mother's name (she has a date) and date.
    assert "data-error-summary" in body and "Có 5 lỗi cần sửa" in body
    for field_id in (
        "id_registration_date",
        "id_child.full_name",
        "id_child.birth_date",
        "id_mother.full_name",
        "id_mother.birth_date",
    ):
        assert f'href="#{field_id}"' in body
        assert f'id="{field_id}-err"' in body
    assert ">Ngày đăng ký: chưa nhập (bắt buộc).</a>" in body
    assert "Ngày sinh: Con – Ngày sinh" not in body  # the label is not repeated
    assert Record.objects.count() == 0


def test_person_errors_are_collected_per_field(officer_client):
    response = officer_client.post(
        reverse("registry:record_new", args=["birth"]),
        {
            "registration_date": dmy(timezone.localdate()),
            "child.full_name": "Lê 123",
            "child.birth_date": "31/02/2026",
        },
    )
    body = response.content.decode()
    assert "Có 2 lỗi cần sửa" in body
    assert 'href="#id_child.full_name"' in body and 'href="#id_child.birth_date"' in body
    assert "31/02/2026" in body


def test_recent_records_show_the_name_and_book_year(officer_client):
    record = BirthFactory(
        unit=officer_client.officer.unit,
        parties={"child": person_input(full_name="Võ Thị Thủy", sex="F")},
    )
    body = officer_client.get(reverse("registry:home")).content.decode()
    assert "Võ Thị Thủy" in body
    if record.book_id:
        assert f"{record.book.year} / {record.entry_number}" in body
    assert record.registration_date.isoformat() not in body


def test_search_is_addressable_without_the_name_in_the_address(officer_client):
    record = BirthFactory(
        unit=officer_client.officer.unit,
        parties={"child": person_input(full_name="Võ Thị Thủy", sex="F")},
    )
    response = officer_client.post(reverse("registry:search"), {"q": "vo thi thuy"})
    assert response.status_code == 302
    address = response["Location"]
    assert "?s=" in address and "thuy" not in address.lower()
    page = officer_client.get(address).content.decode()
    assert "Võ Thị Thủy" in page and 'value="vo thi thuy"' in page
    if record.book_id:
        assert f"{record.book.year} / {record.entry_number}" in page
    htmx = officer_client.post(reverse("registry:search"), {"q": "vo"}, HTTP_HX_REQUEST="true")
    assert (
        htmx["HX-Push-Url"].startswith("/ho-tich/tra-cuu/?s=")
        and "<html" not in htmx.content.decode()
    )
    # Another session does not see it.
    other = officer_client.__class__()
    other.force_login(officer_client.officer)
    assert "Võ Thị Thủy" not in other.get(address).content.decode()


def test_the_summary_and_dates_in_english(officer_client):
    from django.conf import settings

    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = officer_client.post(
        reverse("registry:record_new", args=["birth"]), {"registration_date": "x"}
    )
    body = response.content.decode()
    assert "There are 3 errors to correct" in body
    assert "Person whose birth is registered" in body and "Registration" in body
    assert 'placeholder="dd/mm/yyyy"' in body
