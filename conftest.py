"""Fixtures shared by every context's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings

# A property's examples are judged by what they assert, not by how long one took: on a machine
# busy with the other test workers a 200 ms deadline fails correct code.
settings.register_profile("hotich", deadline=None)
settings.load_profile("hotich")


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in Vietnamese: a request in English leaves English active in the thread
    (LocaleMiddleware does not switch back), which would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _rate_limit_counts(request: pytest.FixtureRequest, django_db_blocker: Any) -> Any:
    """Rate limits count in the database cache. A test's own transaction is rolled back with its
    counts; a test that commits (a browser journey, a backup) empties the cache after itself, so
    that no test inherits another's counts."""
    yield
    marker = request.node.get_closest_marker("django_db")
    commits = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if commits:
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rate-limit windows seen at one fixed instant: a test never straddles two windows."""
    import django_ratelimit.core

    class Clock:
        @staticmethod
        def time() -> float:
            return 1_800_000_000.0

    monkeypatch.setattr(django_ratelimit.core, "time", Clock)


@pytest.fixture
def units(db: Any) -> dict[str, Any]:
    """Nghệ An today with two communes, and one of its old communes (fast, hand-made)."""
    from hotich.core.text import fold
    from hotich.geo.models import Era, Level, Unit

    def unit(code: str, unit_type: str, short: str, parent: Any = None) -> Unit:
        name = f"{unit_type} {short}"
        return Unit.objects.create(
            era=Era.CURRENT,
            level=Level.COMMUNE if parent else Level.PROVINCE,
            code=code,
            name=name,
            short_name=short,
            unit_type=unit_type,
            parent=parent,
            path=f"{parent.path if parent else 'n/'}{code}/",
            search_key=f"{fold(name)} {fold(short)}",
        )

    province = unit("40", "Tỉnh", "Nghệ An")
    a = unit("16681", "Phường", "Thành Vinh", province)
    b = unit("16738", "Xã", "Quế Phong", province)
    other = unit("01", "Thành phố", "Hà Nội")
    return {"province": province, "a": a, "b": b, "other_province": other}


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from hotich.accounts.models import User

    counter = iter(range(1, 10_000))

    def make(role: str, unit: Any, **extra: Any) -> Any:
        user = User(username=f"{role}{next(counter)}", role=role, unit=unit, **extra)
        user.set_password("Mật-khẩu-thử-2026")
        user.save()
        return user

    return make


def verified_client(user: Any, **client_options: Any) -> Client:
    """A client logged in as ``user`` and past the second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
    client = Client(**client_options)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client() -> Callable[..., Client]:
    return verified_client


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (CI's second pass, on PostgreSQL)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
