"""hotich.core.http: the one outbound HTTP wrapper (retries, backoff, breaker, timeouts, TLS)."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from hotich.core.http import (
    CircuitBreaker,
    CircuitOpen,
    ClientPool,
    OutboundHttp,
    UpstreamUnavailable,
    tls_from_settings,
)


class Upstream:
    """A transport answering from a list of statuses (or exceptions), counting requests."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json={"n": len(self.seen)})


def wrapper(upstream: Upstream, sleeps: list[float] | None = None, **kwargs: Any) -> OutboundHttp:
    pauses = sleeps if sleeps is not None else []
    return OutboundHttp(
        name="thử",
        base_url="http://upstream.test/api",
        transport=httpx.MockTransport(upstream),
        sleep=pauses.append,
        **kwargs,
    )


def test_get_retries_5xx_and_connection_errors_with_doubling_backoff() -> None:
    upstream = Upstream(503, httpx.ConnectError("refused"), 200)
    sleeps: list[float] = []
    http = wrapper(upstream, sleeps, retries=2, backoff=0.5)
    response = http.request("GET", "/things")
    assert response.status_code == 200
    assert len(upstream.seen) == 3
    assert str(upstream.seen[0].url) == "http://upstream.test/api/things"
    assert sleeps == [0.5, 1.0]


def test_every_failed_attempt_is_reported_then_unavailable() -> None:
    upstream = Upstream(502)
    heard: list[tuple[int | None, str]] = []
    http = wrapper(upstream, retries=2)
    with pytest.raises(UpstreamUnavailable) as info:
        http.request(
            "GET",
            "/x",
            on_failure=lambda r, e: heard.append((r.status_code if r else None, type(e).__name__)),
        )
    assert heard == [(502, "NoneType")] * 3
    assert "HTTP 502" in str(info.value)


def test_a_plain_post_is_not_retried_but_one_with_an_idempotency_key_is() -> None:
    upstream = Upstream(500)
    with pytest.raises(UpstreamUnavailable):
        wrapper(upstream, retries=3).request("POST", "/x", json={})
    assert len(upstream.seen) == 1
    keyed = Upstream(500, 201)
    response = wrapper(keyed, retries=3).request(
        "POST", "/x", json={}, headers={"Idempotency-Key": "k1"}
    )
    assert response.status_code == 201 and len(keyed.seen) == 2
    assert {r.headers["Idempotency-Key"] for r in keyed.seen} == {"k1"}


def test_4xx_is_returned_to_the_caller_at_once_and_retry_statuses_can_be_widened() -> None:
    upstream = Upstream(422)
    assert wrapper(upstream, retries=3).request("GET", "/x").status_code == 422
    assert len(upstream.seen) == 1
    slow = Upstream(408, 200)
    widened = wrapper(slow, retries=1, retry_statuses=frozenset({408}))
    assert widened.request("GET", "/x").status_code == 200 and len(slow.seen) == 2


def test_breaker_opens_after_consecutive_failures_then_lets_one_trial_through() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=2, reset=10.0, clock=lambda: now[0])
    upstream = Upstream(httpx.ConnectError("down"))
    http = wrapper(upstream, retries=0, breaker=breaker)
    for _ in range(2):
        with pytest.raises(UpstreamUnavailable):
            http.request("GET", "/x")
    assert breaker.state == "open"
    with pytest.raises(CircuitOpen):
        http.request("GET", "/x")
    assert len(upstream.seen) == 2  # the open circuit sent nothing
    now[0] = 10.0
    assert breaker.state == "half_open"
    upstream.answers = [200]
    assert http.request("GET", "/x").status_code == 200
    assert breaker.state == "closed"


def test_a_failed_trial_reopens_the_circuit() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=1, reset=5.0, clock=lambda: now[0])
    http = wrapper(Upstream(500), retries=0, breaker=breaker)
    with pytest.raises(UpstreamUnavailable):
        http.request("GET", "/x")
    now[0] = 6.0
    with pytest.raises(UpstreamUnavailable):
        http.request("GET", "/x")
    assert breaker.state == "open"


def test_cached_get_is_answered_without_a_request() -> None:
    upstream = Upstream(200)
    http = wrapper(upstream, cache_seconds=60)
    first = http.request("GET", "/x", params={"q": "a"}, cache=True)
    second = http.request("GET", "/x", params={"q": "a"}, cache=True)
    assert first.json() == second.json() == {"n": 1}
    assert len(upstream.seen) == 1


@pytest.fixture
def slow_server() -> Iterator[Callable[[], str]]:
    """A real local server that answers after 0.5 s."""

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(0.5)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield lambda: f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_slow_answer_times_out_and_is_retried(slow_server: Callable[[], str]) -> None:
    heard: list[str] = []
    http = OutboundHttp(
        name="thử", base_url=slow_server(), timeout=0.1, retries=1, backoff=0, sleep=lambda s: None
    )
    with pytest.raises(UpstreamUnavailable) as info:
        http.request("GET", "/", on_failure=lambda r, e: heard.append(type(e).__name__))
    assert heard == ["ReadTimeout", "ReadTimeout"]
    assert "timeout" in str(info.value)


def test_pool_keeps_one_client_per_configuration() -> None:
    made: list[str] = []

    def factory(url: str) -> OutboundHttp:
        made.append(url)
        return OutboundHttp(name="thử", base_url=url)

    pool: ClientPool[str, OutboundHttp] = ClientPool(factory)
    assert pool.get("http://a.test") is pool.get("http://a.test")
    assert pool.get("http://b.test") is not pool.get("http://a.test")
    pool.reset()
    pool.get("http://a.test")
    assert made == ["http://a.test", "http://b.test", "http://a.test"]


def test_tls_from_settings(settings: Any, tmp_path: Path) -> None:
    assert tls_from_settings("HOTICH_NOTHING") is True
    settings.HOTICH_THU_CLIENT_KEY = "/k.pem"
    with pytest.raises(ImproperlyConfigured, match="HOTICH_THU_CLIENT_CERT"):
        tls_from_settings("HOTICH_THU")
    settings.HOTICH_THU_CLIENT_KEY = ""
    settings.HOTICH_THU_CA = str(tmp_path / "missing-ca.pem")
    with pytest.raises(FileNotFoundError):  # the bundle named is really loaded
        tls_from_settings("HOTICH_THU")
    import certifi

    settings.HOTICH_THU_CA = certifi.where()
    context = tls_from_settings("HOTICH_THU")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
