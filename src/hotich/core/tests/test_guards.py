"""hotich.core.guards: the staff guard installed by accounts, for the audit context's views."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from hotich.core import guards


def view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@pytest.fixture
def installed() -> Iterator[list[str | None]]:
    before = list(guards._guard)
    asked: list[str | None] = []

    def guard(action: str | None) -> Callable[[guards.View], guards.View]:
        def decorator(inner: guards.View) -> guards.View:
            def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                asked.append(action)
                if action == "refused":
                    return HttpResponse(status=404)
                return inner(request, *args, **kwargs)

            return wrapped

        return decorator

    guards.staff_guard_install(guard)
    yield asked
    guards._guard[:] = before


def test_the_installed_guard_decides(installed: list[str | None]) -> None:
    request = RequestFactory().get("/")
    assert guards.staff_required("audit.view")(view)(request).content == b"ok"
    assert guards.staff_required("refused")(view)(request).status_code == 404
    assert installed == ["audit.view", "refused"]


def test_without_a_guard_nothing_is_served() -> None:
    before = list(guards._guard)
    guards._guard.clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            guards.staff_required()(view)(RequestFactory().get("/"))
    finally:
        guards._guard[:] = before
