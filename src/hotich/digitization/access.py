"""Who may do what in digitization, and the scope check shared by services and selectors.

The roles come from ``accounts.authz.PERMISSIONS``: ``digitization.key`` (clerks and reviewers:
upload scans, mark entries, key) and ``digitization.arbitrate`` (reviewers: arbitrate, QA,
publish, see clerk statistics). Page images can also be seen by roles that read the register.
The system (actor None) may do everything.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from hotich.accounts.authz import can, unit_in_scope
from hotich.core.errors import NotFound, PermissionDenied

KEY = "digitization.key"
ARBITRATE = "digitization.arbitrate"
VIEW_ACTIONS = (KEY, ARBITRATE, "registry.view")


def require(actor: Any, action: str) -> None:
    if actor is not None and not can(actor, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện việc này."))


def can_view_pages(actor: Any) -> bool:
    return actor is None or any(can(actor, a) for a in VIEW_ACTIONS)


def check_scope(actor: Any, unit: Any) -> None:
    """Objects outside the actor's unit subtree do not exist for them (404)."""
    if actor is not None and not unit_in_scope(actor, unit):
        raise NotFound(_("Không tìm thấy trong phạm vi được giao."))
