"""Background tasks of digitization: the scan pipeline of a page (derivatives, then OCR when the
engine is installed) and the OCR suggestions of a marked entry. Tasks import the services they
run; the services queue them through ``hotich.core.deferred`` (ADR 12, ADR 16)."""

from __future__ import annotations

from django_tasks import task

from hotich.digitization.services.scan import (
    ENTRY_PREFILL,
    PAGE_SCAN,
    entry_make_prefill,
    page_process,
)


@PAGE_SCAN.bind
@task()
def page_scan(page_id: int, start_at: str = "") -> str:
    """Run the scan pipeline of one page, from ``start_at`` (a step's name) or the first step."""
    return page_process(page_id=page_id, start_at=start_at)


@ENTRY_PREFILL.bind
@task()
def entry_prefill(entry_id: int) -> str:
    """OCR suggestions for the keying form of one entry (when the OCR engine is installed)."""
    return entry_make_prefill(entry_id=entry_id)
