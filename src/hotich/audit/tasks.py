"""Background tasks of the audit context."""

from __future__ import annotations

import logging

from django_tasks import task

from hotich.audit.services import audit_chain_recheck

logger = logging.getLogger(__name__)


@task()
def audit_chain_check() -> str:
    """Walk the hash chain in the background and keep the outcome; the result names the first
    broken entry."""
    broken = audit_chain_recheck()
    if broken is None:
        return "ok"
    logger.error("Audit chain broken at %s: run `hotich audit verify`", broken)
    return str(broken)
