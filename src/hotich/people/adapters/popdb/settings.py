"""Configuration of the population-database adapter, read from the environment at call time.

The ``people`` context sits below ``config`` in the layers, so it reads ``os.environ`` itself
(with the same loud, bilingual failures as ``hotich.config.env``) instead of Django settings.

| variable | default | meaning |
|---|---|---|
| ``HOTICH_POPDB_URL`` | ``http://127.0.0.1:8765`` (the stand-in) | base URL of the service |
| ``HOTICH_POPDB_TOKEN`` | empty | bearer credential sent as ``Authorization`` |
| ``HOTICH_POPDB_CLIENT_CERT`` | empty | client certificate (PEM) for mutual TLS |
| ``HOTICH_POPDB_CLIENT_KEY`` | empty | its private key (PEM) |
| ``HOTICH_POPDB_CA`` | empty | CA bundle to verify the service (system store when empty) |
| ``HOTICH_POPDB_TIMEOUT`` | ``5`` | seconds per attempt |
| ``HOTICH_POPDB_RETRIES`` | ``2`` | extra attempts after a failure (timeouts, 5xx, 429) |
| ``HOTICH_POPDB_BACKOFF`` | ``0.2`` | first backoff in seconds, doubled each retry |
| ``HOTICH_POPDB_BREAKER_FAILURES`` | ``5`` | consecutive failures that open the circuit |
| ``HOTICH_POPDB_BREAKER_RESET`` | ``30`` | seconds the circuit stays open before one trial call |
| ``HOTICH_POPDB_CACHE_SECONDS`` | ``60`` | how long a successful lookup is reused (0 = never) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from hotich.core.standins import POPDB_PORT

DEFAULT_URL = f"http://127.0.0.1:{POPDB_PORT}"  # the stand-in (hotich popdb serve)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} không phải số / {name} must be a number."
        ) from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} phải không âm / {name} must not be negative.")
    return value


def _int(name: str, default: int) -> int:
    return int(_float(name, default))


@dataclass(frozen=True)
class PopdbSettings:
    url: str
    token: str
    client_cert: str
    client_key: str
    ca_bundle: str
    timeout: float
    retries: int
    backoff: float
    breaker_failures: int
    breaker_reset: float
    cache_seconds: float


def popdb_settings() -> PopdbSettings:
    """The adapter's settings as the environment gives them now."""
    url = os.environ.get("HOTICH_POPDB_URL", DEFAULT_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            "HOTICH_POPDB_URL phải bắt đầu bằng http:// hoặc https:// / "
            "HOTICH_POPDB_URL must start with http:// or https://."
        )
    cert = os.environ.get("HOTICH_POPDB_CLIENT_CERT", "").strip()
    key = os.environ.get("HOTICH_POPDB_CLIENT_KEY", "").strip()
    if key and not cert:
        raise ImproperlyConfigured(
            "HOTICH_POPDB_CLIENT_KEY cần HOTICH_POPDB_CLIENT_CERT / "
            "HOTICH_POPDB_CLIENT_KEY needs HOTICH_POPDB_CLIENT_CERT."
        )
    return PopdbSettings(
        url=url,
        token=os.environ.get("HOTICH_POPDB_TOKEN", "").strip(),
        client_cert=cert,
        client_key=key,
        ca_bundle=os.environ.get("HOTICH_POPDB_CA", "").strip(),
        timeout=_float("HOTICH_POPDB_TIMEOUT", 5.0),
        retries=_int("HOTICH_POPDB_RETRIES", 2),
        backoff=_float("HOTICH_POPDB_BACKOFF", 0.2),
        breaker_failures=max(1, _int("HOTICH_POPDB_BREAKER_FAILURES", 5)),
        breaker_reset=_float("HOTICH_POPDB_BREAKER_RESET", 30.0),
        cache_seconds=_float("HOTICH_POPDB_CACHE_SECONDS", 60.0),
    )
