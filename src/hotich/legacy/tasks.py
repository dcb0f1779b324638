"""Background tasks of the legacy import: previewing and importing large files."""

from __future__ import annotations

from django_tasks import task


@task()
def import_batch_run(batch_id: int, action: str, user_id: int) -> str:
    """Run the queued preview or import of one batch as the user who asked for it."""
    from django.contrib.auth import get_user_model

    from hotich.legacy.services import import_batch_run_pending

    actor = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    # Never fall back to the system (no scope): a request whose user is gone is dropped.
    return import_batch_run_pending(batch_id=batch_id, action=action, actor=actor)
