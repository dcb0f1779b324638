"""Officer pages and the API: permissions, scope (404 outside), forms, errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from hotich.audit.models import Entry
from hotich.registry.models import Record
from hotich.registry.tests.factories import BirthFactory, UnitFactory, UserFactory, person_input
from hotich.registry.vocabulary import SPECS, Status

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def officer_client(client):
    officer = UserFactory(role="officer")
    client.force_login(officer)
    client.officer = officer
    return client


def test_home_and_forms_render(officer_client):
    assert officer_client.get(reverse("registry:home")).status_code == 200
    for event_type in SPECS:
        response = officer_client.get(reverse("registry:record_new", args=[event_type]))
        assert response.status_code == 200, event_type
    assert officer_client.get("/ho-tich/dang-ky/nothing/").status_code == 404


def test_register_birth_through_form(officer_client):
    child = TODAY - dt.timedelta(days=5)
    response = officer_client.post(
        reverse("registry:record_new", args=["birth"]),
        {
            "registration_date": TODAY.isoformat(),
            "child.full_name": "Phan Thị Ngọc Ánh",
            "child.sex": "F",
            "child.birth_date": child.isoformat(),
            "child.birth_place": "Vinh",
            "mother.full_name": "Phan Thị Mai",
            "mother.birth_date": "1995",
            "kind": "on_time",
        },
    )
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.status == Status.REGISTERED and record.unit == officer_client.officer.unit
    assert f"/ban-ghi/{record.pk}/" in response["Location"]
    page = officer_client.get(response["Location"])
    assert "Phan Thị Ngọc Ánh" in page.content.decode()
    assert Entry.objects.filter(action="read", object_id=str(record.pk)).exists()


def test_form_errors_shown_as_alerts(officer_client):
    response = officer_client.post(
        reverse("registry:record_new", args=["birth"]),
        {
            "registration_date": TODAY.isoformat(),
            "child.full_name": "Phan Văn A",
            "child.sex": "M",
            "child.birth_date": "2023-02-30",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and "2023-02-30" in body and "không có thật" in body
    assert Record.objects.count() == 0


def test_record_of_other_commune_is_404(officer_client):
    other = BirthFactory(unit=UnitFactory())
    assert officer_client.get(reverse("registry:record", args=[other.pk])).status_code == 404
    response = officer_client.post(
        reverse("registry:amend", args=[other.pk]),
        {"field": "child.residence", "new_value": "x", "legal_basis": "y"},
    )
    assert response.status_code == 404
    assert officer_client.get(f"/api/v1/registry/records/{other.pk}").status_code == 404
    response = officer_client.post(
        f"/api/v1/registry/records/{other.pk}/amendments",
        data={"changes": {"child.residence": "x"}, "legal_basis": "y"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_amend_and_transition_views(officer_client):
    record = BirthFactory(unit=officer_client.officer.unit)
    response = officer_client.post(
        reverse("registry:amend", args=[record.pk]),
        {"field": "child.residence", "new_value": "Xã Nghi Phú", "legal_basis": "Tờ khai số 3"},
    )
    assert response.status_code == 302
    assert record.amendments.count() == 1
    page = officer_client.get(reverse("registry:record", args=[record.pk])).content.decode()
    assert "Xã Nghi Phú" in page and "Tờ khai số 3" in page
    officer_client.post(
        reverse("registry:transition", args=[record.pk]),
        {"action": "revoke", "legal_basis": "QĐ 7"},
    )
    record.refresh_from_db()
    assert record.status == Status.REVOKED


def test_search_page_htmx(officer_client):
    BirthFactory(
        unit=officer_client.officer.unit,
        parties={
            "child": person_input(
                full_name="Võ Thị Thủy", sex="F", birth_date=TODAY - dt.timedelta(days=20)
            )
        },
    )
    response = officer_client.get(
        reverse("registry:search"), {"q": "vo thi thuy"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Võ Thị Thủy" in body and "<html" not in body
    full = officer_client.get(reverse("registry:search"), {"q": "Võ Thi Thùy"})
    assert "Võ Thị Thủy" in full.content.decode()


def test_roles_without_view_get_404(client):
    client.force_login(UserFactory(role="clerk"))
    assert client.get(reverse("registry:home")).status_code == 404
    assert client.get("/api/v1/registry/records?q=a").status_code == 404


def test_api_create_read_amend_search(officer_client):
    payload = {
        "event_type": "death",
        "registration_date": TODAY.isoformat(),
        "parties": {
            "deceased": person_input(full_name="Hồ Văn Lực", sex="M", birth_date="1940-02-02")
        },
        "data": {"death_date": TODAY.isoformat(), "death_place": "Vinh"},
    }
    response = officer_client.post(
        "/api/v1/registry/records", data=payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "registered" and body["entry_number"] == 1
    rid = body["id"]
    response = officer_client.post(
        f"/api/v1/registry/records/{rid}/amendments",
        data={"changes": {"death_cause": "Tuổi già"}, "legal_basis": "Tờ khai bổ sung"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["current"]["data"]["death_cause"] == "Tuổi già"
    hits = officer_client.get("/api/v1/registry/records", {"q": "ho van luc"}).json()
    assert [h["id"] for h in hits] == [rid]
    assert officer_client.get("/api/v1/registry/event-types").status_code == 200


def test_api_errors_are_bilingual(officer_client):
    payload = {
        "event_type": "marriage",
        "registration_date": TODAY.isoformat(),
        "parties": {
            "husband": person_input(sex="M", birth_date=TODAY.replace(year=TODAY.year - 19)),
            "wife": person_input(sex="F", birth_date="1990-01-01"),
        },
    }
    response = officer_client.post(
        "/api/v1/registry/records", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "husband.birth_date" and "kết hôn" in body["message"]
    assert body["message_en"]
