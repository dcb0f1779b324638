"""Background tasks of digitization: page derivatives (web image, thumbnail, deskew) and, when
the OCR engine is installed, the page text."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def page_derivatives(page_id: int) -> str:
    """Make the web image and the thumbnail of one page (idempotent)."""
    from hotich.digitization.services.derivatives import page_make_derivatives

    return page_make_derivatives(page_id=page_id)


@task()
def page_ocr(page_id: int) -> str:
    """Read the text of one page with the OCR engine (when installed)."""
    from hotich.digitization.services.derivatives import page_make_ocr

    return page_make_ocr(page_id=page_id)


@task()
def entry_prefill(entry_id: int) -> str:
    """OCR suggestions for the keying form of one entry (when the OCR engine is installed)."""
    from hotich.digitization.services.derivatives import entry_make_prefill

    return entry_make_prefill(entry_id=entry_id)
