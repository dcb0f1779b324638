"""Every view and API endpoint × role × unit: no user reaches another commune's objects.

Each URL with an object id must be listed in ``SCOPED`` with a maker that creates its object in
commune B (a context lists its own in ``hotich/<context>/tests/scope.py``: ``SCOPED`` for such
makers and ``PUBLIC`` for the URL names anyone may open); the test then proves that every role in
commune A gets 404 for it, and that anonymous users are sent to the login page (views) or get
401 (API). A URL added without an entry here fails ``test_every_object_url_is_in_the_matrix``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from hotich.accounts.vocabulary import Role

PUBLIC = {
    "core:healthz",
    "core:readyz",
    "accounts:login",
    "accounts:otp",
    "accounts:logout",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
}


def walk(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p


def _user_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"user_id": make_user(Role.OFFICER, units["b"]).pk}


def _api_token_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.accounts.selectors import api_token_by_prefix
    from hotich.accounts.services import api_token_create

    key = api_token_create(actor=None, user=make_user(Role.OFFICER, units["b"]))
    token = api_token_by_prefix(key)
    assert token is not None
    return {"token_id": token.pk}


def _registry_record_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.registry.tests.factories import BirthFactory

    return {"record_id": BirthFactory(unit=units["b"]).pk}


Maker = Callable[[dict[str, Any], Callable[..., Any]], dict[str, Any]]

SCOPED: dict[str, Maker] = {
    "accounts:user_disable": _user_in_b,
    "accounts:api_token_revoke": _api_token_in_b,
}


def _collect_context_entries() -> None:
    import hotich

    for info in pkgutil.iter_modules(hotich.__path__):
        name = f"hotich.{info.name}.tests.scope"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        SCOPED.update(getattr(module, "SCOPED", {}))
        PUBLIC.update(getattr(module, "PUBLIC", set()))


_collect_context_entries()
# Registry object URLs and API endpoints take a record id.
RECORD_URL_PREFIXES = ("registry:", "api:")


def object_urls() -> list[tuple[str, str]]:
    """URLs naming one object by its integer id."""
    return [(name, route) for name, route, p in walk() if "<int:" in route and name not in PUBLIC]


def test_every_object_url_is_in_the_matrix() -> None:
    missing = [
        name
        for name, route in object_urls()
        if name not in SCOPED
        and not (name.startswith(RECORD_URL_PREFIXES) and "record_id" in route)
    ]
    assert missing == [], f"add these to SCOPED: {missing}"


@pytest.mark.django_db
def test_anonymous_users_reach_nothing(client) -> None:
    for name, route, pattern in walk():
        if name in PUBLIC or pattern.pattern.converters:
            continue
        path = "/" + route.replace("^", "").replace("$", "")
        response = client.get(path)
        if name.startswith("api:"):
            assert response.status_code in {401, 405, 422}, (name, response.status_code)
        else:
            assert response.status_code in {302, 405}, (name, response.status_code)
            if response.status_code == 302:
                assert "/dang-nhap/" in response["Location"], name


def _resolve(route: str, kwargs: dict[str, Any]) -> str:
    path = "/" + route
    for key, value in kwargs.items():
        path = path.replace(f"<int:{key}>", str(value)).replace(f"<{key}>", str(value))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_commune_a_users_get_404_for_commune_b_objects(
    role, units, make_user, staff_client
) -> None:
    client = staff_client(make_user(role, units["a"]))
    checked = 0
    for name, route in object_urls():
        if name in SCOPED:
            kwargs = SCOPED[name](units, make_user)
        elif "record_id" in route:
            kwargs = _registry_record_in_b(units, make_user)
        else:
            continue
        path = _resolve(route, kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code in {404, 405}, (role, name, method, response.status_code)
        checked += 1
    assert checked >= len(SCOPED)


@pytest.mark.django_db
def test_province_admin_reaches_commune_objects(units, make_user, staff_client) -> None:
    admin = make_user(Role.ADMIN, units["province"])
    target = make_user(Role.OFFICER, units["b"])
    response = staff_client(admin).post(f"/nguoi-dung/{target.pk}/khoa/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active


@pytest.mark.django_db
def test_commune_admin_cannot_disable_another_communes_user(units, make_user, staff_client) -> None:
    admin = make_user(Role.ADMIN, units["a"])
    target = make_user(Role.OFFICER, units["b"])
    assert staff_client(admin).post(f"/nguoi-dung/{target.pk}/khoa/").status_code == 404
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r not in {Role.AUDITOR, Role.ADMIN}])
def test_only_auditors_and_admins_read_the_audit_log(role, units, make_user, staff_client) -> None:
    assert staff_client(make_user(role, units["province"])).get("/nhat-ky/").status_code == 404


@pytest.mark.django_db
def test_auditor_reads_and_checks_the_audit_log(units, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.AUDITOR, units["province"]))
    assert client.get("/nhat-ky/").status_code == 200
    assert "nguyên vẹn" in client.get("/nhat-ky/kiem-tra/").content.decode()
