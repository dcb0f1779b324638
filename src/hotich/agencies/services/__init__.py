"""Writing organizations and memberships. Import from ``hotich.agencies.services``."""

from hotich.agencies.services.imports import ImportFailed, ImportResult, organizations_import
from hotich.agencies.services.organizations import (
    membership_add,
    membership_end,
    membership_make_primary,
    organization_create,
    organization_update,
)

__all__ = [
    "ImportFailed",
    "ImportResult",
    "membership_add",
    "membership_end",
    "membership_make_primary",
    "organization_create",
    "organization_update",
    "organizations_import",
]
