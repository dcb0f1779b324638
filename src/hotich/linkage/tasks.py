"""Background tasks of the linkage context (enqueued on commit, run eagerly in tests)."""

from __future__ import annotations

from django_tasks import task

from hotich.linkage.services import LINKAGE_RUN, run_execute


@LINKAGE_RUN.bind
@task()
def linkage_run(run_id: int) -> str:
    """Run one queued linkage job; the run records its outcome."""
    return str(run_execute(run_id=run_id).status)
