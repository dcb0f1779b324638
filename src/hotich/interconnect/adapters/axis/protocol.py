"""What the platform asks of the national document interconnection axis (Decision
28/2018/QĐ-TTg): take a package or a status message for an agency, list what waits for our
agencies, hand one over, and forget it once we have it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class AxisUnavailable(Exception):
    """The axis could not be reached or failed, after the retries (try again later)."""


class AxisRefused(Exception):
    """The axis refused the message (it will refuse it again)."""


@dataclass(frozen=True)
class Waiting:
    """One message waiting on the axis for one of our agencies."""

    id: str
    kind: str  # "package" or "status"
    from_code: str
    to_code: str


class Axis(Protocol):
    def send(self, *, kind: str, from_code: str, to_code: str, key: str, data: bytes) -> str:
        """Hand a message to the axis; the same ``key`` again is not delivered twice. Returns
        the axis's id of the message."""
        ...

    def waiting(self, codes: list[str]) -> list[Waiting]: ...

    def fetch(self, message_id: str) -> bytes: ...

    def ack(self, message_id: str) -> None: ...

    def close(self) -> None: ...
