"""Every error of the REST API is the one JSON error body, with its message translated, and the
OpenAPI document declares it and the value constraints of the inputs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.test import Client, RequestFactory

from hotich.accounts.vocabulary import Role
from hotich.core.api_errors import ApiErrorMiddleware

pytestmark = pytest.mark.django_db
KEYS = {"code", "message", "message_en", "field", "errors"}


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == KEYS
    return body


@pytest.fixture
def officer(units, make_user, staff_client) -> Client:
    return staff_client(make_user(Role.OFFICER, units["a"]))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/documents/abc",
        "/api/v1/registry/records/abc",
        "/api/v1/digitization/books/abc",
        "/api/v1/reporting/submissions/abc",
        "/api/v1/linkage/runs/-1",
        "/api/v1/no-such-thing",
    ],
)
def test_an_address_no_operation_has_is_a_json_404(officer, path) -> None:
    body = error(officer.get(path), 404)
    assert body["code"] == "not_found" and body["message"] == "Không tìm thấy."
    assert body["message_en"] == "Not found."


def test_a_method_an_address_does_not_take_is_a_json_405(officer) -> None:
    response = officer.delete("/api/v1/me")
    body = error(response, 405)
    assert body["code"] == "method_not_allowed" and response["Allow"] == "GET"


def test_a_missing_record_names_the_record_in_the_request_language(officer) -> None:
    body = error(officer.get("/api/v1/registry/records/999999"), 404)
    assert body["message"] == "Không tìm thấy bản ghi hộ tịch."
    assert body["message_en"] == "Civil-status record not found."
    assert body["field"] == "record_id"
    english = error(officer.get("/api/v1/registry/records/999999", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert english["message"] == "Civil-status record not found."


def test_unauthenticated_in_english(client: Client) -> None:
    body = error(client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en"), 401)
    assert body["code"] == "unauthenticated" and body["message"] == "Authentication required."


@pytest.mark.parametrize("year", ["99999", "-17263", "0"])
def test_a_register_year_out_of_range_is_a_422(officer, year) -> None:
    body = error(officer.get(f"/api/v1/documents?year={year}&overdue=true"), 422)
    assert body["code"] == "validation" and body["field"] == "year"
    assert body["errors"][0]["loc"] == ["query", "year"]
    assert body["message"].startswith("Dữ liệu không hợp lệ ở trường year: ")
    assert body["message_en"].startswith("Invalid input in year: must be")


def test_validation_messages_name_the_limit_in_both_languages(officer) -> None:
    body = error(officer.get("/api/v1/units/search?q=vinh&limit=0"), 422)
    assert body["message"] == "Dữ liệu không hợp lệ ở trường limit: phải từ 1 trở lên."
    assert body["message_en"] == "Invalid input in limit: must be at least 1."
    assert body["errors"] == [
        {"loc": ["query", "limit"], "msg": "phải từ 1 trở lên", "type": "greater_than_equal"}
    ]


def test_a_body_field_is_named_as_the_client_wrote_it(officer) -> None:
    response = officer.post(
        "/api/v1/reporting/submissions",
        {"unit": "16681", "period": "2025-Q5"},
        content_type="application/json",
    )
    body = error(response, 422)
    assert body["field"] == "period"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/documents/stats?year=1&quarter=1",
        "/api/v1/documents/stats?year=2025&quarter=5",
        "/api/v1/reporting/calendar?year=1",
        "/api/v1/reporting/signature-use?year=99999&quarter=1",
        "/api/v1/reporting/civil-status?period=99999-Y",
        "/api/v1/registry/records?q=an&limit=100000",
        "/api/v1/registry/records?q=an&birth_year=99999999999999999999",
    ],
)
def test_values_out_of_range_are_422s(officer, path) -> None:
    assert error(officer.get(path), 422)["code"] == "validation"


def test_metrics_for_days_no_calendar_can_hold_are_refused(units, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    for query in ("start=0001-01-01", "end=9999-12-31"):
        body = error(client.get(f"/api/v1/portal/metrics?{query}"), 400)
        assert body["field"] == query.split("=")[0]
        assert body["message"] == "Ngày phải từ 01/01/1900 đến 31/12/2999."


def test_a_session_write_without_its_csrf_token_is_a_json_403(units, make_user) -> None:
    from conftest import verified_client

    client = verified_client(make_user(Role.OFFICER, units["a"]))
    client.handler.enforce_csrf_checks = True
    body = error(client.post("/api/v1/documents", {}, content_type="application/json"), 403)
    assert body["code"] == "csrf" and "X-CSRFToken" in body["message_en"]


def test_a_server_error_under_the_api_is_the_json_body() -> None:
    def crash(request: HttpRequest) -> HttpResponse:
        return HttpResponseServerError("<h1>Server Error (500)</h1>")

    middleware = ApiErrorMiddleware(crash)
    request = RequestFactory().get("/api/v1/me")
    body = error(middleware(request), 500)
    assert body["code"] == "server_error" and body["message_en"] == "Server error. Try again later."
    page = middleware(RequestFactory().get("/ho-tich/"))
    assert page["Content-Type"].startswith("text/html")


def test_the_openapi_document_declares_the_errors_and_the_constraints(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    assert set(doc["components"]["schemas"]["ErrorOut"]["required"]) == KEYS
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            for status in ("404", "422", "429"):
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == error_ref, (method, path, status)
            assert ("401" in responses) == bool(operation.get("security")), (method, path)

    def query(path: str, name: str) -> dict[str, Any]:
        [param] = [p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name]
        return param["schema"]

    assert query("/api/v1/documents", "year")["anyOf"][0] == {
        "type": "integer",
        "minimum": 1990,
        "maximum": 2100,
    }
    assert query("/api/v1/documents/stats", "quarter") | {"minimum": 1, "maximum": 4} == query(
        "/api/v1/documents/stats", "quarter"
    )
    assert query("/api/v1/reporting/calendar", "year")["maximum"] == 2999
    assert "pattern" in query("/api/v1/reporting/civil-status", "period")
    callback = doc["paths"]["/api/v1/portal/payments/callback/{provider}"]["post"]
    assert callback["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OutcomeOut"
    }


def test_a_record_body_is_read_after_the_scope_check(units, make_user, staff_client) -> None:
    from hotich.registry.tests.factories import BirthFactory

    client = staff_client(make_user(Role.OFFICER, units["a"]))
    here, there = BirthFactory(unit=units["a"]), BirthFactory(unit=units["b"])
    for action in ("amendments", "transitions", "extracts"):
        path = f"/api/v1/registry/records/{{}}/{action}"
        bad = '{"changes": 1, "action": [], "copy": "x"}'
        elsewhere = client.post(path.format(there.pk), bad, content_type="application/json")
        assert error(elsewhere, 404)["code"] == "not_found"
        body = error(client.post(path.format(here.pk), bad, content_type="application/json"), 422)
        assert body["code"] == "validation" and body["field"] in {"changes", "action", "copy"}
