"""Background tasks of document interconnection: handing the outbox to the axis after a send,
and the periodic receive job (``hotich edoc axis schedule`` starts it; each run enqueues the
next ``HOTICH_EDOC_AXIS_POLL_SECONDS`` later when the task backend can defer)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from hotich.core.errors import ValidationFailed
from hotich.interconnect.adapters.axis.protocol import AxisRefused, AxisUnavailable
from hotich.interconnect.services import OUTBOX_FLUSH, axis_receive, outbox_flush_default

logger = logging.getLogger(__name__)


@OUTBOX_FLUSH.bind
@task()
def interconnect_outbox_flush() -> str:
    try:
        run = outbox_flush_default()
    except ValidationFailed:
        return "no axis"
    return f"sent {run.sent}, statuses {run.statuses_sent}, waiting {run.waiting}"


@task()
def interconnect_axis_receive(reschedule: bool = True) -> str:
    try:
        run = axis_receive()
        outcome = f"received {run.received}, refused {run.refused}, waiting {run.waiting}"
    except ValidationFailed:
        outcome = "no axis"
    except (AxisUnavailable, AxisRefused) as exc:
        logger.warning("Interconnection axis: %s", exc)
        outcome = "axis unavailable"
    if reschedule:
        schedule_next()
    return outcome


def schedule_next() -> bool:
    """Enqueue the next receive run (False when the backend cannot defer)."""
    if not getattr(default_task_backend, "supports_defer", False):
        return False
    seconds = int(getattr(settings, "HOTICH_EDOC_AXIS_POLL_SECONDS", 60))
    interconnect_axis_receive.using(
        run_after=timezone.now() + dt.timedelta(seconds=seconds)
    ).enqueue(reschedule=True)
    return True
