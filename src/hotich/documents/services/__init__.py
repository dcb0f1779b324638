"""Writes of the document register. Import from here: ``from hotich.documents.services import ...``.

Every write checks the actor's permission (``accounts.authz``) and that the document belongs to
the actor's own unit (other units' documents do not exist for them: ``NotFound``), runs in one
transaction, records an :class:`~hotich.documents.models.Event` and an audit entry.
"""

from hotich.documents.services.calendar import calendar_entry_create, calendar_week_publish
from hotich.documents.services.common import check_pdf
from hotich.documents.services.files import (
    FILE_LIFECYCLE,
    HandoverRow,
    file_add_document,
    file_create,
    file_in_reach,
    file_people,
    file_remove_document,
    file_transition,
    files_close_year,
    files_hand_over,
    handover_rows,
)
from hotich.documents.services.incoming import (
    document_deliver,
    incoming_receive_signed,
    incoming_register,
)
from hotich.documents.services.lifecycle import DOCUMENT_LIFECYCLE, document_transition
from hotich.documents.services.numbering import format_number, next_sequence
from hotich.documents.services.outgoing import document_comment, document_create, document_update
from hotich.documents.services.routing import route_candidates
from hotich.documents.services.tasks import (
    TASK_LIFECYCLE,
    task_create,
    task_in_reach,
    task_people,
    task_send,
    task_transition,
)
from hotich.documents.services.text import document_text_read, documents_without_text

__all__ = [
    "DOCUMENT_LIFECYCLE",
    "FILE_LIFECYCLE",
    "TASK_LIFECYCLE",
    "HandoverRow",
    "calendar_entry_create",
    "calendar_week_publish",
    "check_pdf",
    "document_comment",
    "document_create",
    "document_deliver",
    "document_text_read",
    "document_transition",
    "document_update",
    "documents_without_text",
    "file_add_document",
    "file_create",
    "file_in_reach",
    "file_people",
    "file_remove_document",
    "file_transition",
    "files_close_year",
    "files_hand_over",
    "format_number",
    "handover_rows",
    "incoming_receive_signed",
    "incoming_register",
    "next_sequence",
    "route_candidates",
    "task_create",
    "task_in_reach",
    "task_people",
    "task_send",
    "task_transition",
]
