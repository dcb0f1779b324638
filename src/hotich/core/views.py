"""Health endpoints for the process and its dependencies.

``/readyz`` answers 503 when the database or the file store cannot be reached, and 200 with
``"status": "degraded"`` when a registered check (``core.health``) finds something to be looked
at while the instance keeps serving, such as a broken audit chain.
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hotich.core.health import readiness_warnings


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
    return JsonResponse({"status": status, **checks}, status=200 if ready else 503)
