"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task

from hotich.registry.services.personal_id_assignment import (
    personal_id_request_process,
    personal_id_requests_retry,
)
from hotich.registry.services.personal_ids import PERSONAL_ID_REQUEST


@PERSONAL_ID_REQUEST.bind
@task()
def personal_id_request_task(request_id: int) -> str:
    """Ask the population database for a newborn's personal ID (one attempt)."""
    return str(personal_id_request_process(request_id=request_id).state)


@task()
def personal_id_requests_sweep() -> dict[str, int]:
    """Retry the pending personal ID requests that are due."""
    return personal_id_requests_retry()
