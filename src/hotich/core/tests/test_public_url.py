"""The address printed on issued papers: the setting, else the request's own host."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from hotich.core.middleware import LOCAL_URL, RequestIdMiddleware, public_base_url


def _printed(request: HttpRequest) -> str:
    seen: list[str] = []

    def view(_request: HttpRequest) -> HttpResponse:
        seen.append(public_base_url())
        return HttpResponse()

    RequestIdMiddleware(view)(request)
    return seen[0]


def test_development_prints_the_host_the_request_came_to(settings: Any) -> None:
    settings.HOTICH_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["hotich.local"]
    request = RequestFactory().get("/", HTTP_HOST="hotich.local:8080")
    assert _printed(request) == "http://hotich.local:8080"
    assert public_base_url() == LOCAL_URL  # outside a request: this machine's server


def test_the_setting_wins_over_the_request(settings: Any) -> None:
    settings.HOTICH_PUBLIC_URL = "https://hotich.nghean.gov.vn/"
    settings.ALLOWED_HOSTS = ["hotich.local"]
    request = RequestFactory().get("/", HTTP_HOST="hotich.local")
    assert _printed(request) == "https://hotich.nghean.gov.vn"
