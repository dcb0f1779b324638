"""Scope-matrix entries of offline work: the service worker and the manifest are public (they
hold no data; the app's page itself needs a sign-in); a device belongs to its user's unit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PUBLIC: set[str] = {"offline:service_worker", "offline:manifest"}


def _device_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.accounts.vocabulary import Role
    from hotich.offline.models import Device

    device = Device.objects.create(user=make_user(Role.CLERK, units["b"]), name="Máy xã B")
    return {"device_id": device.pk}


SCOPED = {"offline:device_revoke": _device_in_b}
