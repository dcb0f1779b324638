"""Demo data of offline work: the tablet the second clerk of Thành Vinh keys on when the line
drops (the 1988 book waits for her second keying)."""

from __future__ import annotations

from typing import Any

from hotich.offline.services import device_register


def demo_devices(*, clerk: Any) -> int:
    device_register(actor=clerk, name="Máy tính bảng tổ số hóa")
    return 1
