"""Background tasks of the archive: the periodic fixity check.

``archive_fixity_check`` runs one check and, when the task backend can defer, enqueues the
next one ``HOTICH_ARCHIVE_FIXITY_HOURS`` (default 24) later, so one run started by
``hotich archive schedule`` (or by the first fixity task) keeps the check going.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from hotich.archive.services import archive_fixity, fixity_interval

logger = logging.getLogger(__name__)


@task()
def archive_fixity_check(reschedule: bool = True) -> str:
    report = archive_fixity()
    if not report.ok:
        logger.error(
            "Archive fixity failed: %d changed, %d missing, %d unexpected",
            len(report.changed),
            len(report.missing),
            len(report.unexpected),
        )
    if reschedule:
        schedule_next()
    return "ok" if report.ok else "failed"


def schedule_next() -> bool:
    """Enqueue the next check one interval from now (False when the backend cannot defer)."""
    if not getattr(default_task_backend, "supports_defer", False):
        return False
    archive_fixity_check.using(run_after=timezone.now() + fixity_interval()).enqueue(
        reschedule=True
    )
    return True
