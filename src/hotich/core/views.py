"""Health endpoints for the process and its dependencies.

``/readyz`` answers 503 when the database or the file store cannot be reached, and 200 with
``"status": "degraded"`` when a registered check (``core.health``) finds something to be looked
at while the instance keeps serving, such as a broken audit chain or a replica too far behind
(its lag is shown as ``replica_lag_seconds`` when ``HOTICH_REPLICA_URL`` is set).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hotich.core.health import readiness_warnings
from hotich.core.replica import replica_configured, replica_lag_seconds


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        name = default_storage.save(f".readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)
        checks["storage"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["storage"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    status = "ok" if ready else "unavailable"
    if ready:
        for name, check in readiness_warnings().items():
            try:
                finding = check()
            except Exception as exc:  # noqa: BLE001 - a failing check is a finding
                finding = f"error: {type(exc).__name__}"
            checks[name] = finding or "ok"
            if finding:
                status = "degraded"
    extra: dict[str, object] = {}
    if ready and replica_configured():
        finding, lag = _replica_check()
        checks["replica"] = finding or "ok"
        extra["replica_lag_seconds"] = lag
        if finding:
            status = "degraded"
    return JsonResponse({"status": status, **checks, **extra}, status=200 if ready else 503)


def _replica_check() -> tuple[str | None, float | None]:
    """The replica's lag, and what is wrong with it: unreachable or further behind than
    ``HOTICH_REPLICA_MAX_LAG_SECONDS`` (its reads then show older data; writes are unaffected)."""
    try:
        lag = replica_lag_seconds()
    except Exception as exc:  # noqa: BLE001 - an unreachable replica is a finding
        return f"error: {type(exc).__name__}", None
    if lag > settings.HOTICH_REPLICA_MAX_LAG_SECONDS:
        return f"lagging: {lag:.1f}s", lag
    return None, lag
