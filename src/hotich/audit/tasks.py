"""Background tasks of the audit context."""

from __future__ import annotations

import logging

from django_tasks import task

from hotich.audit.selectors import audit_chain_verify

logger = logging.getLogger(__name__)


@task()
def audit_chain_check() -> str:
    """Walk the hash chain in the background; the result names the first broken entry."""
    broken = audit_chain_verify()
    if broken is None:
        return "ok"
    logger.error("Audit chain broken: %s", broken)
    return str(broken)
