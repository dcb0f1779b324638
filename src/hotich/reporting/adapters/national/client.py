"""HTTP client of the national reporting system: timeouts, retries with back-off, and one
idempotency key for every attempt of one submission (so a retry never files a report twice)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings

#: answers worth retrying: the receiver or the network was unavailable, not the report wrong
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


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


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        parts = [str(body.get("message") or "")]
        errors = body.get("errors") or []
        if isinstance(errors, list):
            parts += [str(e) for e in errors[:3]]
        return "; ".join(p for p in parts if p)[:480]
    return str(body)[:300]


class NationalReportingClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = max(1, retries)
        self.backoff = backoff
        self.sleep = sleep
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(
            timeout=timeout, transport=transport, headers=headers, follow_redirects=False
        )

    def submit(self, payload: dict[str, Any], *, idempotency_key: str) -> Receipt:
        """Deliver ``payload``; retry transient failures with the same key."""
        log: list[AttemptLog] = []
        for attempt in range(1, self.retries + 1):
            try:
                response = self.http.post(
                    f"{self.base_url}/reports",
                    json=payload,
                    headers={"Idempotency-Key": idempotency_key},
                )
            except httpx.HTTPError as exc:
                log.append(AttemptLog(None, "error", type(exc).__name__))
            else:
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
                if code not in RETRY_STATUSES:
                    message = _message(response)
                    log.append(AttemptLog(code, "rejected", message))
                    return Receipt(
                        outcome="rejected", message=message, http_status=code, attempts=log
                    )
                log.append(AttemptLog(code, "retry", _message(response)))
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        last = log[-1]
        return Receipt(
            outcome="failed", message=last.message, http_status=last.http_status, attempts=log
        )

    def status(self, receipt_id: str) -> Receipt:
        try:
            response = self.http.get(f"{self.base_url}/reports/{receipt_id}")
        except httpx.HTTPError as exc:
            return Receipt(outcome="failed", message=type(exc).__name__)
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


def reporting_url() -> str:
    return str(
        getattr(settings, "HOTICH_REPORTING_URL", "") or os.environ.get("HOTICH_REPORTING_URL", "")
    )


def client_from_settings() -> NationalReportingClient | None:
    """The configured client (``HOTICH_REPORTING_URL``, ``HOTICH_REPORTING_TOKEN``), or None."""
    url = reporting_url()
    if not url:
        return None
    token = str(
        getattr(settings, "HOTICH_REPORTING_TOKEN", "")
        or os.environ.get("HOTICH_REPORTING_TOKEN", "")
    )
    return NationalReportingClient(url, token=token)
