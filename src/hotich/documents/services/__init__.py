"""Writes of the document register. Import from here: ``from hotich.documents.services import ...``.

Every write checks the actor's permission (``accounts.authz``) and that the document belongs to
the actor's own unit (other units' documents do not exist for them: ``NotFound``), runs in one
transaction, records an :class:`~hotich.documents.models.Event` and an audit entry.
"""

from hotich.documents.services.common import check_pdf
from hotich.documents.services.incoming import (
    document_deliver,
    incoming_receive_signed,
    incoming_register,
)
from hotich.documents.services.lifecycle import DOCUMENT_LIFECYCLE, document_transition
from hotich.documents.services.numbering import format_number, next_sequence
from hotich.documents.services.outgoing import document_create, document_update

__all__ = [
    "DOCUMENT_LIFECYCLE",
    "check_pdf",
    "document_create",
    "document_deliver",
    "document_transition",
    "document_update",
    "format_number",
    "incoming_receive_signed",
    "incoming_register",
    "next_sequence",
]
