"""Background work of the document register (ADR 16): the text of a stored file."""

from __future__ import annotations

from django_tasks import task

from hotich.documents.services.text import DOCUMENT_TEXT, document_text_read


@DOCUMENT_TEXT.bind
@task()
def document_text(document_id: int) -> str:
    outcome = document_text_read(document_id)
    if outcome is None:
        return "skipped"
    return "failed" if outcome.failed_step else "done"
