"""The axis over HTTP (the contract the stand-in speaks, docs in the context README), with
timeouts, retries with back-off on what is worth retrying, and one idempotency key per message
so that a retried send is delivered once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from hotich.interconnect.adapters.axis.protocol import AxisRefused, AxisUnavailable, Waiting

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class HttpAxis:
    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.3,
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

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        last = ""
        for attempt in range(1, self.retries + 1):
            try:
                response = self.http.request(method, f"{self.base_url}{path}", **kwargs)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise AxisRefused(f"HTTP {response.status_code}: {response.text[:200]}")
                last = f"HTTP {response.status_code}"
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        raise AxisUnavailable(
            f"trục liên thông không trả lời / the axis does not answer ({self.retries}×): {last}"
        )

    def send(self, *, kind: str, from_code: str, to_code: str, key: str, data: bytes) -> str:
        response = self._call(
            "POST",
            "/messages",
            content=data,
            headers={
                "Content-Type": "application/xml",
                "Idempotency-Key": key,
                "X-Edxml-Kind": kind,
                "X-Edxml-From": from_code,
                "X-Edxml-To": to_code,
            },
        )
        return str(response.json().get("id", ""))

    def waiting(self, codes: list[str]) -> list[Waiting]:
        if not codes:
            return []
        body = self._call("POST", "/inbox", json={"to": codes}).json()
        return [
            Waiting(
                id=str(m["id"]),
                kind=str(m["kind"]),
                from_code=str(m["from"]),
                to_code=str(m["to"]),
            )
            for m in body.get("messages", [])
        ]

    def fetch(self, message_id: str) -> bytes:
        return self._call("GET", f"/messages/{message_id}").content

    def ack(self, message_id: str) -> None:
        self._call("DELETE", f"/messages/{message_id}")

    def close(self) -> None:
        self.http.close()
