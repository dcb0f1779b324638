"""Writing organizations and memberships. Import from ``hotich.agencies.services``."""

from hotich.agencies.services.organizations import (
    membership_add,
    membership_end,
    membership_make_primary,
    organization_create,
    organization_update,
)

__all__ = [
    "membership_add",
    "membership_end",
    "membership_make_primary",
    "organization_create",
    "organization_update",
]
