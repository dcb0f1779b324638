"""Fixtures of the reporting tests: the stand-in national receiver over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hotich.reporting.adapters.national.standin import StandInReceiver
from hotich.reporting.exports import payload_schema


@pytest.fixture
def receiver(settings: Any) -> Iterator[StandInReceiver]:
    """A running stand-in receiver, configured as ``HOTICH_REPORTING_URL``."""
    server = StandInReceiver(schema=payload_schema()).start()
    settings.HOTICH_REPORTING_URL = server.url
    yield server
    server.stop()
