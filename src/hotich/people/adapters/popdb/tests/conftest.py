from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from hotich.people.adapters.popdb.adapter import reset_clients
from hotich.people.adapters.popdb.standin import StandInServer, make_server


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInServer]:
    """The stand-in on a free port, over real HTTP, with the adapter pointed at it."""
    server = make_server(port=0, seed=30, rng_seed=7)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("HOTICH_POPDB_URL", server.url)
    monkeypatch.setenv("HOTICH_POPDB_TIMEOUT", "2")
    monkeypatch.setenv("HOTICH_POPDB_RETRIES", "0")
    monkeypatch.setenv("HOTICH_POPDB_BACKOFF", "0.01")
    monkeypatch.setenv("HOTICH_POPDB_CACHE_SECONDS", "0")
    reset_clients()
    yield server
    server.shutdown()
    server.server_close()
    reset_clients()


@pytest.fixture
def officer(units: dict[str, Any], make_user: Any) -> Any:
    return make_user("officer", units["a"])
