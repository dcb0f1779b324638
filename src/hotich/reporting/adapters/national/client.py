"""HTTP client of the national reporting system, over the one outbound wrapper
(:mod:`hotich.core.http`: timeouts, retries with back-off, circuit breaker, mutual TLS), with one
idempotency key for every attempt of one submission (so a retry never files a report twice)."""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import PermissionDenied
from hotich.core.http import (
    CachedResponse,
    CircuitBreaker,
    ClientPool,
    OutboundHttp,
    UpstreamUnavailable,
    tls_from_settings,
)
from hotich.reporting.models import DataForm, Indicator

SYSTEM_NAME = "Hệ thống thông tin báo cáo quốc gia"

#: answers worth retrying: the receiver or the network was unavailable, not the report wrong
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class SecretRefused(PermissionDenied):
    """A payload holding a secret indicator or form: nothing is sent."""

    code = "secret"


#: the codes of the secret indicators and forms among those given (indicators, forms)
Classified = Callable[[set[str], set[str]], tuple[set[str], set[str]]]


def secret_codes(indicators: set[str], forms: set[str]) -> tuple[set[str], set[str]]:
    """The secret ones among ``indicators`` and ``forms``, from the catalogue."""
    return (
        set(
            Indicator.objects.filter(is_secret=True, code__in=indicators).values_list(
                "code", flat=True
            )
        ),
        set(DataForm.objects.filter(is_secret=True, code__in=forms).values_list("code", flat=True)),
    )


def refuse_secret(payload: dict[str, Any], classified: Classified = secret_codes) -> None:
    """Raise :class:`SecretRefused` when ``payload`` names a secret form or indicator (in its
    indicator list or its data) or marks anything secret; secret content never leaves."""
    indicators = {str(i.get("code", "")) for i in payload.get("indicators") or []}
    indicators |= {str(row.get("indicator", "")) for row in payload.get("data") or []}
    form = payload.get("form") or {}
    forms = {str(form.get("code", ""))} if isinstance(form, dict) else set()
    secret_indicators, secret_forms = classified(indicators, forms)
    marked = any(
        bool(part.get("secret"))
        for part in [payload, form, *(payload.get("indicators") or [])]
        if isinstance(part, dict)
    )
    if secret_indicators or secret_forms or marked:
        raise SecretRefused(
            format_lazy(
                _(
                    "Báo cáo có nội dung mật ({codes}): không được gửi lên Hệ thống thông tin báo "
                    "cáo quốc gia."
                ),
                codes=", ".join(sorted(secret_forms | secret_indicators)) or _("đánh dấu mật"),
            )
        )


@dataclass
class AttemptLog:
    http_status: int | None
    outcome: str  # accepted, duplicate, rejected, retry, error
    message: str = ""


@dataclass
class Receipt:
    """The receiver's final answer: ``outcome`` accepted / rejected / failed."""

    outcome: str
    receipt_id: str = ""
    receiver_status: str = ""
    message: str = ""
    http_status: int | None = None
    attempts: list[AttemptLog] = field(default_factory=list)


def _message(response: httpx.Response | CachedResponse) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.content.decode("utf-8", "replace")[:300]
    if isinstance(body, dict):
        parts = [str(body.get("message") or "")]
        errors = body.get("errors") or []
        if isinstance(errors, list):
            parts += [str(e) for e in errors[:3]]
        return "; ".join(p for p in parts if p)[:480]
    return str(body)[:300]


class NationalReportingClient:
    """``retries`` counts every attempt of one call (at least one)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        breaker: CircuitBreaker | None = None,
        verify: ssl.SSLContext | bool = True,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        classified: Classified = secret_codes,
    ) -> None:
        self.classified = classified
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = OutboundHttp(
            name=SYSTEM_NAME,
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            retries=max(1, retries) - 1,
            backoff=backoff,
            breaker=breaker,
            retry_statuses=RETRY_STATUSES,
            headers=headers,
            verify=verify,
            transport=transport,
            sleep=sleep,
        )

    def close(self) -> None:
        self.http.close()

    def _call(
        self, method: str, path: str, log: list[AttemptLog], **kwargs: Any
    ) -> httpx.Response | CachedResponse | None:
        """The answer, or None when every attempt failed (``log`` then says why)."""

        def failed(response: httpx.Response | None, error: Exception | None) -> None:
            if response is None:
                log.append(AttemptLog(None, "error", type(error).__name__))
            else:
                log.append(AttemptLog(response.status_code, "retry", _message(response)))

        try:
            return self.http.request(method, path, on_failure=failed, **kwargs)
        except UpstreamUnavailable as exc:
            if not log:  # the circuit is open: no attempt was made
                log.append(AttemptLog(None, "error", str(exc)))
            return None

    def submit(self, payload: dict[str, Any], *, idempotency_key: str) -> Receipt:
        """Deliver ``payload``; retry transient failures with the same key. A payload with a
        secret form or indicator is refused (:class:`SecretRefused`) before anything is sent."""
        refuse_secret(payload, self.classified)
        log: list[AttemptLog] = []
        response = self._call(
            "POST",
            "/reports",
            log,
            json=payload,
            headers={"Idempotency-Key": idempotency_key},
        )
        if response is None:
            last = log[-1]
            return Receipt(
                outcome="failed", message=last.message, http_status=last.http_status, attempts=log
            )
        code = response.status_code
        if code in (200, 201):
            body = response.json()
            duplicate = bool(body.get("duplicate"))
            log.append(AttemptLog(code, "duplicate" if duplicate else "accepted"))
            return Receipt(
                outcome="accepted",
                receipt_id=str(body.get("receipt_id", "")),
                receiver_status=str(body.get("status", "")),
                message=str(body.get("message", ""))[:480],
                http_status=code,
                attempts=log,
            )
        message = _message(response)
        log.append(AttemptLog(code, "rejected", message))
        return Receipt(outcome="rejected", message=message, http_status=code, attempts=log)

    def status(self, receipt_id: str) -> Receipt:
        log: list[AttemptLog] = []
        response = self._call("GET", f"/reports/{receipt_id}", log, log_path="/reports/{id}")
        if response is None:
            return Receipt(
                outcome="failed", message=log[-1].message, http_status=log[-1].http_status
            )
        if response.status_code != 200:
            return Receipt(
                outcome="failed", message=_message(response), http_status=response.status_code
            )
        body = response.json()
        return Receipt(
            outcome="accepted",
            receipt_id=receipt_id,
            receiver_status=str(body.get("status", "")),
            message=str(body.get("message", ""))[:480],
            http_status=200,
        )


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def reporting_url() -> str:
    return _setting("HOTICH_REPORTING_URL")


_CONFIG = ("URL", "TOKEN", "CA", "CLIENT_CERT", "CLIENT_KEY")


def _client(config: tuple[str, ...]) -> NationalReportingClient:
    return NationalReportingClient(
        config[0], token=config[1], verify=tls_from_settings("HOTICH_REPORTING")
    )


_clients: ClientPool[tuple[str, ...], NationalReportingClient] = ClientPool(_client)


def client_from_settings() -> NationalReportingClient | None:
    """The configured client (``HOTICH_REPORTING_URL``, ``HOTICH_REPORTING_TOKEN``, and for
    mutual TLS ``HOTICH_REPORTING_CA`` / ``_CLIENT_CERT`` / ``_CLIENT_KEY``), or None; one per
    configuration and process, so its circuit breaker remembers failures between pushes."""
    url = reporting_url()
    if not url:
        return None
    return _clients.get(tuple(_setting(f"HOTICH_REPORTING_{name}") for name in _CONFIG))
