"""The use cases of party member records (writes)."""

from hotich.party.services.badges import badges_award
from hotich.party.services.directives import directive_issue
from hotich.party.services.fees import fees_collect, fees_remit
from hotich.party.services.imports import ImportFailed, ImportResult, members_import
from hotich.party.services.members import (
    distinction_add,
    member_create,
    member_make_official,
)
from hotich.party.services.ratings import RATING_LIFECYCLE, rating_self, rating_transition
from hotich.party.services.transfers import (
    TRANSFER_LIFECYCLE,
    transfer_create,
    transfer_transition,
)

__all__ = [
    "RATING_LIFECYCLE",
    "TRANSFER_LIFECYCLE",
    "ImportFailed",
    "ImportResult",
    "badges_award",
    "directive_issue",
    "distinction_add",
    "fees_collect",
    "fees_remit",
    "member_create",
    "member_make_official",
    "members_import",
    "rating_self",
    "rating_transition",
    "transfer_create",
    "transfer_transition",
]
