from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hotich.accounts.services import api_token_create
from hotich.accounts.vocabulary import Role
from hotich.registry.models import Record
from hotich.registry.tests.factories import UserFactory, person_input


@pytest.mark.django_db
def test_health_endpoints(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": "ok",
        "storage": "ok",
        "audit_chain": "ok",
    }


@pytest.mark.django_db
def test_openapi_document_is_served(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Hộ tịch số API"
    assert "/api/v1/me" in doc["paths"]


@pytest.mark.django_db
def test_unauthenticated_api_call_gets_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "Cần đăng nhập.",
        "message_en": "Authentication required.",
        "field": None,
        "errors": [],
    }


@pytest.mark.django_db
def test_validation_error_names_the_field(units, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    response = client.get("/api/v1/units/search")  # q is required
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation" and body["field"] == "q"
    assert "Dữ liệu không hợp lệ" in body["message"]


@pytest.mark.django_db
def test_session_and_token_auth(units, make_user, staff_client) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Lô Thị Mai")
    me = staff_client(officer).get("/api/v1/me").json()
    assert me["role"] == "officer" and me["unit_path"] == "n/40/16681/"
    assert "registry.register" in me["actions"]
    key = api_token_create(actor=officer, user=officer, name="script")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["username"] == officer.username
    wrong = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Token wrong")
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "unauthenticated" and wrong.json()["message_en"]


@pytest.mark.django_db
def test_session_without_second_factor_cannot_use_the_api(units, make_user) -> None:
    client = Client()
    client.force_login(make_user(Role.OFFICER, units["a"]))
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_request_id_is_returned(client: Client) -> None:
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef123456")
    assert given["X-Request-ID"] == "abcdef123456"


def _death_record() -> dict[str, object]:
    today = dt.date.today().isoformat()
    return {
        "event_type": "death",
        "registration_date": today,
        "parties": {
            "deceased": person_input(full_name="Hồ Văn Lực", sex="M", birth_date="1940-02-02")
        },
        "data": {"death_date": today, "death_place": "Vinh"},
    }


@pytest.mark.django_db
def test_a_token_writes_without_csrf() -> None:
    officer = UserFactory(role="officer")
    key = api_token_create(actor=None, user=officer)
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/registry/records",
        data=_death_record(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 201, response.content
    assert Record.objects.get().unit == officer.unit


@pytest.mark.django_db
def test_a_session_write_still_needs_csrf(staff_client) -> None:
    officer = UserFactory(role="officer")
    client = staff_client(officer, enforce_csrf_checks=True)
    refused = client.post(
        "/api/v1/registry/records", data=_death_record(), content_type="application/json"
    )
    assert refused.status_code == 403 and not Record.objects.exists()
    client.get("/tai-khoan/")  # a page with a form sets the CSRF cookie
    accepted = client.post(
        "/api/v1/registry/records",
        data=_death_record(),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert accepted.status_code == 201, accepted.content


@pytest.mark.django_db
def test_a_token_acts_within_its_users_scope() -> None:
    clerk = UserFactory(role="clerk")
    key = api_token_create(actor=None, user=clerk)
    response = Client().post(
        "/api/v1/registry/records",
        data=_death_record(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code in {403, 404} and not Record.objects.exists()
