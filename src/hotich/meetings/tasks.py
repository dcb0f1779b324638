"""Background task of meetings: the cells' schedule every month.

``cells_schedule_monthly`` schedules the current and the next month of every party cell (a
re-run makes nothing twice) and, when the task backend can defer, enqueues itself again for the
first day of the next month, so one run started by ``hotich meetings schedule --every-month``
keeps the schedule a month ahead.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from hotich.meetings.services import cells_schedule

logger = logging.getLogger(__name__)


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@task()
def cells_schedule_monthly(reschedule: bool = True) -> int:
    today = timezone.localdate()
    made = 0
    for day in (today, _month_after(today)):
        result = cells_schedule(actor=None, year=day.year, month=day.month)
        made += len(result.created)
        for cell, reason in result.skipped:
            logger.warning("Cell %s not scheduled: %s", cell.pk, reason)
    if reschedule:
        schedule_next()
    return made


def schedule_next() -> bool:
    """Enqueue the next run on the first day of next month, 01:00 (False when the backend cannot
    defer)."""
    if not getattr(default_task_backend, "supports_defer", False):
        return False
    first = _month_after(timezone.localdate())
    at = timezone.make_aware(dt.datetime.combine(first, dt.time(1, 0)))
    cells_schedule_monthly.using(run_after=at).enqueue(reschedule=True)
    return True
