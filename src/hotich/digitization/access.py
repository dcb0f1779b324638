"""Who may do what in digitization, and the scope check shared by services and selectors.

The roles come from ``accounts.authz.PERMISSIONS``: ``digitization.key`` (clerks and reviewers:
upload scans, mark entries, key) and ``digitization.arbitrate`` (reviewers: arbitrate, QA,
publish, see clerk statistics), checked by ``accounts.authz.require``. Page images can also be
seen by roles that read the register. The system (actor None) may do everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, unit_in_scope
from hotich.core.errors import NotFound

if TYPE_CHECKING:
    from hotich.geo.models import Unit

KEY = "digitization.key"
ARBITRATE = "digitization.arbitrate"
VIEW_ACTIONS = (KEY, ARBITRATE, "registry.view")


def can_view_pages(actor: Actor) -> bool:
    return actor is None or any(can(actor, a) for a in VIEW_ACTIONS)


def check_scope(actor: Actor, unit: Unit) -> None:
    """Objects outside the actor's unit subtree do not exist for them (404)."""
    if actor is not None and not unit_in_scope(actor, unit):
        raise NotFound(_("Không tìm thấy trong phạm vi được giao."))
