"""Background tasks of the legacy import: previewing and importing large files."""

from __future__ import annotations

from django_tasks import task

from hotich.accounts.selectors import user_active
from hotich.legacy.services import IMPORT_BATCH_RUN, import_batch_run_pending


@IMPORT_BATCH_RUN.bind
@task()
def import_batch_run(batch_id: int, action: str, user_id: int) -> str:
    """Run the queued preview or import of one batch as the user who asked for it."""
    actor = user_active(user_id)
    # Never fall back to the system (no scope): a request whose user is gone is dropped.
    return import_batch_run_pending(batch_id=batch_id, action=action, actor=actor)
