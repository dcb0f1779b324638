"""The one outbound HTTP wrapper every adapter uses (ADR 11): timeouts, retries with exponential
backoff, a circuit breaker, optional mutual TLS and a short-lived response cache, over httpx.

A call returns the response for any status not in ``retry_statuses`` (by default 429 and the
5xx a gateway gives); the caller maps the others to its own errors. Connection failures,
timeouts and the retry statuses are retried (only for idempotent requests: GET/PUT/DELETE, or a
POST carrying an ``Idempotency-Key``) and, when every attempt fails, raise
:class:`UpstreamUnavailable` and count one failure towards opening the circuit. While the circuit
is open, calls fail at once with :class:`CircuitOpen`; after ``reset`` seconds one trial call is
let through (half open) and its outcome closes or reopens the circuit.

Nothing personal is logged: only the method, the path template given by the caller, the status
and the timing.
"""

from __future__ import annotations

import json as jsonlib
import logging
import os
import ssl
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import DomainError

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

#: called after each failed attempt with the answer (a retry status) or the transport error
AttemptFailed = Callable[[httpx.Response | None, Exception | None], None]


class UpstreamUnavailable(DomainError):
    status = 503
    code = "upstream_unavailable"


class CircuitOpen(UpstreamUnavailable):
    code = "circuit_open"


@dataclass
class CircuitBreaker:
    """Opens after ``failures`` consecutive failed calls; one trial call after ``reset`` s."""

    failures: int = 5
    reset: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _count: int = 0
    _opened_at: float | None = None
    _trial_running: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self.clock() - self._opened_at >= self.reset:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        with self._lock:
            state = self.state
            if state == "closed":
                return True
            if state == "half_open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._count = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._trial_running = False
            self._count += 1
            if self._opened_at is not None or self._count >= self.failures:
                self._opened_at = self.clock()


class TTLCache:
    """A small thread-safe cache of values for ``ttl`` seconds (at most ``size`` entries)."""

    def __init__(
        self, ttl: float, size: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any | None:
        if self.ttl <= 0:
            return None
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            if item[0] < self.clock():
                del self._data[key]
                return None
            return item[1]

    def put(self, key: Any, value: Any) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._data) >= self.size:
                now = self.clock()
                for k in [k for k, (exp, _v) in self._data.items() if exp < now]:
                    del self._data[k]
                if len(self._data) >= self.size:
                    self._data.pop(next(iter(self._data)))
            self._data[key] = (self.clock() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass(frozen=True)
class CachedResponse:
    status_code: int
    content: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        return jsonlib.loads(self.content)


def tls_context(
    *, ca_bundle: str = "", client_cert: str = "", client_key: str = ""
) -> ssl.SSLContext:
    """Verification against ``ca_bundle`` (the system store when empty) and, for mutual TLS,
    the client certificate and key (PEM files)."""
    context = ssl.create_default_context(cafile=ca_bundle or None)
    if client_cert:
        context.load_cert_chain(client_cert, client_key or None)
    return context


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "")).strip()


def tls_from_settings(prefix: str) -> ssl.SSLContext | bool:
    """The TLS rules named by ``<prefix>_CA``, ``<prefix>_CLIENT_CERT`` and
    ``<prefix>_CLIENT_KEY`` (Django settings first, then the environment): a context verifying
    against that CA bundle and presenting that client certificate, or ``True`` (the system store,
    no client certificate) when none is set."""
    ca, cert, key = (_setting(f"{prefix}_{n}") for n in ("CA", "CLIENT_CERT", "CLIENT_KEY"))
    if key and not cert:
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_KEY cần {prefix}_CLIENT_CERT / "
            f"{prefix}_CLIENT_KEY needs {prefix}_CLIENT_CERT."
        )
    if not (ca or cert):
        return True
    return tls_context(ca_bundle=ca, client_cert=cert, client_key=key)


class OutboundHttp:
    """One outside system's HTTP endpoint, with the resilience rules above."""

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.2,
        breaker: CircuitBreaker | None = None,
        cache_seconds: float = 0.0,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
        headers: Mapping[str, str] | None = None,
        verify: ssl.SSLContext | bool = True,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.retries = max(0, retries)
        self.backoff = backoff
        self.retry_statuses = retry_statuses
        self.breaker = breaker or CircuitBreaker()
        self.cache = TTLCache(cache_seconds)
        self.sleep = sleep
        self._client = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(timeout),
            headers=dict(headers or {}),
            verify=verify,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        cache: bool = False,
        log_path: str | None = None,
        on_failure: AttemptFailed = lambda response, error: None,
    ) -> httpx.Response | CachedResponse:
        """Send one request (with retries); ``log_path`` is what the log shows instead of the
        real path, so that identifiers in the path never reach the logs; ``on_failure`` hears of
        every failed attempt."""
        method = method.upper()
        key = (method, path, tuple(sorted((params or {}).items()))) if cache else None
        if key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return hit  # type: ignore[no-any-return]
        if not self.breaker.allow():
            raise CircuitOpen(_circuit_message(self.name))
        retryable = method in IDEMPOTENT or bool(headers and "Idempotency-Key" in headers)
        attempts = 1 + (self.retries if retryable else 0)
        shown = log_path or path
        last_reason = ""
        for attempt in range(attempts):
            if attempt:
                self.sleep(self.backoff * (2 ** (attempt - 1)))
            started = time.monotonic()
            try:
                response = self._client.request(
                    method, path, params=params, json=json, headers=headers
                )
            except httpx.RequestError as exc:
                is_timeout = isinstance(exc, httpx.TimeoutException)
                last_reason = "timeout" if is_timeout else type(exc).__name__
                on_failure(None, exc)
            else:
                elapsed = (time.monotonic() - started) * 1000
                logger.info(
                    "%s %s %s -> %s (%.0f ms, attempt %d)",
                    self.name,
                    method,
                    shown,
                    response.status_code,
                    elapsed,
                    attempt + 1,
                )
                if response.status_code not in self.retry_statuses:
                    self.breaker.record_success()
                    if key is not None and response.status_code == 200:
                        self.cache.put(
                            key,
                            CachedResponse(
                                response.status_code, response.content, dict(response.headers)
                            ),
                        )
                    return response
                last_reason = f"HTTP {response.status_code}"
                on_failure(response, None)
                continue
            logger.warning(
                "%s %s %s failed: %s (attempt %d)",
                self.name,
                method,
                shown,
                last_reason,
                attempt + 1,
            )
        self.breaker.record_failure()
        raise UpstreamUnavailable(_unavailable_message(self.name, last_reason))


class Closable(Protocol):
    def close(self) -> None: ...


K = TypeVar("K", bound=Hashable)
C = TypeVar("C", bound=Closable)


class ClientPool(Generic[K, C]):
    """One client (so one circuit breaker and one cache) per configuration, per process."""

    def __init__(self, factory: Callable[[K], C]) -> None:
        self.factory = factory
        self._clients: dict[K, C] = {}
        self._lock = threading.Lock()

    def get(self, config: K) -> C:
        with self._lock:
            client = self._clients.get(config)
            if client is None:
                client = self._clients[config] = self.factory(config)
            return client

    def reset(self) -> None:
        """Forget every client (breaker state, cache): for tests and after a change of
        configuration."""
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


def _circuit_message(name: str) -> Any:
    return format_lazy(
        _("Hệ thống {name} tạm ngừng nhận yêu cầu sau nhiều lỗi liên tiếp; hãy thử lại sau."),
        name=name,
    )


def _unavailable_message(name: str, reason: str) -> Any:
    return format_lazy(
        _("Không kết nối được hệ thống {name} ({reason}); hãy thử lại sau."),
        name=name,
        reason=reason,
    )
