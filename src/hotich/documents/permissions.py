"""The register's actions, added to ``hotich.accounts.authz.PERMISSIONS`` at start-up."""

from __future__ import annotations

from hotich.accounts.models import Role

DOCUMENT_PERMISSIONS: dict[str, frozenset[str]] = {
    "documents.view": frozenset(
        {Role.OFFICER, Role.SIGNER, Role.PROVINCE, Role.AUDITOR, Role.ADMIN}
    ),
    # drafting outgoing documents and registering incoming paper documents
    "documents.draft": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    "documents.approve": frozenset({Role.SIGNER}),
    "documents.sign": frozenset({Role.SIGNER}),
    # sending a signed document (the clerk's job, or the signer's)
    "documents.issue": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
    # assigning, processing and closing incoming documents
    "documents.handle": frozenset({Role.OFFICER, Role.SIGNER, Role.PROVINCE}),
}
