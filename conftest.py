"""Fixtures shared by every context's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def units(db: Any) -> dict[str, Any]:
    """Nghệ An today with two communes, and one of its old communes (fast, hand-made)."""
    from hotich.geo.models import Era, Level, Unit

    province = Unit.objects.create(
        era=Era.CURRENT,
        level=Level.PROVINCE,
        code="40",
        name="Tỉnh Nghệ An",
        short_name="Nghệ An",
        unit_type="Tỉnh",
        path="n/40/",
        search_key="tinh nghe an nghe an",
    )
    a = Unit.objects.create(
        era=Era.CURRENT,
        level=Level.COMMUNE,
        code="16681",
        name="Phường Thành Vinh",
        short_name="Thành Vinh",
        unit_type="Phường",
        parent=province,
        path="n/40/16681/",
        search_key="phuong thanh vinh thanh vinh",
    )
    b = Unit.objects.create(
        era=Era.CURRENT,
        level=Level.COMMUNE,
        code="16738",
        name="Xã Quế Phong",
        short_name="Quế Phong",
        unit_type="Xã",
        parent=province,
        path="n/40/16738/",
        search_key="xa que phong que phong",
    )
    other = Unit.objects.create(
        era=Era.CURRENT,
        level=Level.PROVINCE,
        code="01",
        name="Thành phố Hà Nội",
        short_name="Hà Nội",
        unit_type="Thành phố",
        path="n/01/",
        search_key="thanh pho ha noi",
    )
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


def verified_client(user: Any) -> Client:
    """A client logged in as ``user`` and past the second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client() -> Callable[[Any], Client]:
    return verified_client
