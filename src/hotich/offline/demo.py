"""Demo data of offline work: the tablet the second clerk of Thành Vinh keys on when the line
drops (the 1988 book waits for her second keying), the laptop the reviewer takes the entries of
the 1986 book in arbitration onto, and the desk's laptop for paper dossiers."""

from __future__ import annotations

from typing import Any

from hotich.offline.services import device_register


def demo_devices(*, clerk: Any, reviewer: Any = None, officer: Any = None) -> int:
    device_register(actor=clerk, name="Máy tính bảng tổ số hóa")
    made = 1
    if reviewer is not None:
        device_register(actor=reviewer, name="Máy xách tay đối chiếu")
        made += 1
    if officer is not None:
        device_register(actor=officer, name="Máy xách tay bộ phận một cửa")
        made += 1
    return made
