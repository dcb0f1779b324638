"""Rate limits of the citizen pages: one-time codes per client address and for everyone, and
tracking a dossier by its code (page and API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hotich.portal.models import Notification
from hotich.portal.tests.factories import dossier_factory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rate_window")]
LOGIN = "/dich-vu-cong/dang-nhap/"


def _ask_code(client: Client, n: int, **extra: Any) -> Any:
    return client.post(LOGIN, {"contact": f"09{n:08d}"}, **extra)


def test_one_address_gets_codes_for_20_numbers_then_429(client: Client) -> None:
    for n in range(20):
        assert _ask_code(client, n).status_code == 200
    refused = _ask_code(client, 20)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Bạn đã gửi quá nhiều yêu cầu. Xin thử lại sau" in refused.content.decode()
    assert Notification.objects.count() == 20
    english = _ask_code(client, 21, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429
    assert "You have sent too many requests. Please try again in" in english.content.decode()
    # another address is not concerned
    assert _ask_code(Client(REMOTE_ADDR="10.0.0.2"), 22).status_code == 200
    assert Notification.objects.count() == 21


def test_codes_have_a_cap_for_everyone(client: Client, settings: Any) -> None:
    settings.HOTICH_RATE_LIMITS = {**settings.HOTICH_RATE_LIMITS, "codes-all": ("all", "3/h")}
    for n in range(3):
        assert _ask_code(Client(REMOTE_ADDR=f"10.0.1.{n}"), n).status_code == 200
    refused = _ask_code(Client(REMOTE_ADDR="10.0.1.9"), 9)
    assert refused.status_code == 429
    assert "Hệ thống đang nhận quá nhiều yêu cầu" in refused.content.decode()
    assert Notification.objects.count() == 3


def test_the_address_comes_from_the_proxy_header_when_configured(settings: Any) -> None:
    settings.HOTICH_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.HOTICH_RATE_LIMITS = {**settings.HOTICH_RATE_LIMITS, "codes-ip": ("ip", "1/h")}
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    second = {"HTTP_X_FORWARDED_FOR": "203.0.113.1, 198.51.100.8"}  # the proxy's entry is last
    assert _ask_code(proxy, 1, **first).status_code == 200
    assert _ask_code(proxy, 2, **second).status_code == 200
    assert _ask_code(proxy, 3, **first).status_code == 429
    assert _ask_code(proxy, 4, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.8").status_code == 429


def test_a_citizen_logs_in_as_usual(client: Client) -> None:
    client.post(LOGIN, {"contact": "0912 345 678"})
    body = Notification.objects.get().body
    code = next(word.strip(",.") for word in body.split() if word.strip(",.").isdigit())
    response = client.post(LOGIN, {"contact": "0912345678", "code": code})
    assert response.status_code == 302


def test_tracking_is_limited_on_the_page_and_the_api(
    client: Client, units: Any, settings: Any
) -> None:
    settings.HOTICH_RATE_LIMITS = {**settings.HOTICH_RATE_LIMITS, "status": ("ip", "3/h")}
    d = dossier_factory(unit=units["a"])
    assert client.get("/dich-vu-cong/tra-cuu/").status_code == 200  # the form is not counted
    assert client.post("/dich-vu-cong/tra-cuu/", {"code": d.code}).status_code == 200
    assert client.post("/dich-vu-cong/tra-cuu/", {"code": "HS-A"}).status_code == 200
    api = client.post("/api/v1/portal/status", {"code": d.code}, content_type="application/json")
    assert api.status_code == 200
    page = client.post("/dich-vu-cong/tra-cuu/", {"code": d.code})
    assert page.status_code == 429 and "Quá nhiều yêu cầu" in page.content.decode()
    assert d.code not in page.content.decode()
    refused = client.post(
        "/api/v1/portal/status", {"code": d.code}, content_type="application/json"
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["message"].startswith("Bạn đã gửi quá nhiều yêu cầu.")
    assert body["message_en"].startswith("You have sent too many requests.")
    other = Client(REMOTE_ADDR="10.0.0.3")
    assert other.post("/dich-vu-cong/tra-cuu/", {"code": d.code}).status_code == 200


def test_limits_can_be_switched_off(client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    for n in range(25):
        assert _ask_code(client, n).status_code == 200
