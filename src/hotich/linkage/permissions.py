"""The linkage actions (their roles are in ``hotich.accounts.authz.PERMISSIONS``)."""

from __future__ import annotations

from typing import Any

from hotich.accounts.authz import can

VIEW = "linkage.view"
RUN = "linkage.run"
REVIEW = "linkage.review"
RESOLVE = "linkage.resolve"


def allowed(user: Any, action: str) -> bool:
    return can(user, action)
