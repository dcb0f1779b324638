from __future__ import annotations

import httpx
import pytest

from hotich.interconnect.adapters.axis.http import HttpAxis
from hotich.interconnect.adapters.axis.protocol import AxisRefused, AxisUnavailable


def test_a_failed_send_is_retried_under_the_same_key() -> None:
    seen: list[tuple[str, str]] = []
    answers = iter([503, 429, 201])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.headers["Idempotency-Key"], request.headers["X-Edxml-To"]))
        status = next(answers)
        return httpx.Response(status, json={"id": "m1"} if status == 201 else {})

    sleeps: list[float] = []
    axis = HttpAxis(
        "http://axis.test",
        transport=httpx.MockTransport(handler),
        backoff=0.5,
        sleep=sleeps.append,
    )
    assert axis.send(kind="package", from_code="A", to_code="B", key="k-1", data=b"<x/>") == "m1"
    assert seen == [("k-1", "B")] * 3 and sleeps == [0.5, 1.0]


def test_a_refusal_is_not_retried_and_a_dead_axis_gives_up() -> None:
    calls: list[int] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(400, json={"message": "bad"})

    axis = HttpAxis("http://axis.test", transport=httpx.MockTransport(refuse), sleep=lambda s: None)
    with pytest.raises(AxisRefused):
        axis.send(kind="status", from_code="A", to_code="B", key="k", data=b"<x/>")
    assert len(calls) == 1

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    axis = HttpAxis("http://axis.test", transport=httpx.MockTransport(down), sleep=lambda s: None)
    with pytest.raises(AxisUnavailable, match="3×"):
        axis.waiting(["B"])


def test_the_stand_in_delivers_once_per_key(axis) -> None:
    first = axis.send(kind="package", from_code="A", to_code="B", key="k", data=b"<x/>")
    assert axis.send(kind="package", from_code="A", to_code="B", key="k", data=b"<x/>") == first
    [waiting] = axis.waiting(["B", "C"])
    assert (waiting.id, waiting.kind, waiting.from_code) == (first, "package", "A")
    assert axis.fetch(first) == b"<x/>"
    axis.ack(first)
    assert axis.waiting(["B"]) == []
