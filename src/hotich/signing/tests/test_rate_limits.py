"""Rate limits of the public verification page and of the signing status API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rate_window")]


def test_the_verify_page_is_limited_per_address(client: Client, settings: Any) -> None:
    settings.HOTICH_RATE_LIMITS = {**settings.HOTICH_RATE_LIMITS, "verify": ("ip", "3/h")}
    for _ in range(3):
        assert client.get("/verify/KHONG-CO-MA").status_code == 404
    refused = client.get("/verify/KHONG-CO-MA")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    body = refused.content.decode()
    assert "Quá nhiều yêu cầu" in body and "Bạn đã gửi quá nhiều yêu cầu." in body
    english = client.get("/verify/KHONG-CO-MA", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429 and "Too many requests" in english.content.decode()
    # the PDF check of the API counts in the same limit
    api = client.post("/api/v1/signing/verify", {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"
    assert Client(REMOTE_ADDR="10.0.0.4").get("/verify/KHONG-CO-MA").status_code == 404


def test_the_default_leaves_normal_use_alone(client: Client) -> None:
    for _ in range(30):
        assert client.get("/verify/KHONG-CO-MA").status_code == 404


def test_document_status_is_limited(client: Client, settings: Any) -> None:
    settings.HOTICH_RATE_LIMITS = {**settings.HOTICH_RATE_LIMITS, "status": ("ip", "2/h")}
    url = "/api/v1/signing/documents/status"
    for _ in range(2):
        response = client.post(url, {"code": "KHONG-CO"}, content_type="application/json")
        assert response.status_code == 404
    refused = client.post(url, {"code": "KHONG-CO"}, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["message_en"].startswith("You have sent too many requests.")
