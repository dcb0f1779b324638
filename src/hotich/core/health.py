"""Checks that ``/readyz`` reports beside the database and the file store.

A context registers a check at start-up (``AppConfig.ready``) with
:func:`register_readiness_warning`: a function returning ``None`` when all is well or a short
text (no personal data: it is shown without login) saying what is wrong. Such a finding does not
make the instance unready (it keeps serving); ``/readyz`` answers 200 with ``"status":
"degraded"`` and the text under the check's name.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], str | None]
_warnings: dict[str, Check] = {}


def register_readiness_warning(name: str, check: Check) -> Check:
    _warnings[name] = check
    return check


def readiness_warnings() -> dict[str, Check]:
    return dict(_warnings)
