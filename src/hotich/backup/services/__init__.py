"""Backing up and restoring a whole instance: the database and the stored files.

A backup is a directory ("bag") holding::

    db.sqlite3 | db.pgdump   the database: a consistent SQLite copy, or ``pg_dump --format=custom``
    files/...                every stored file, under its storage name
    manifest.json            what is in the bag: versions, row counts, size and SHA-256 of each file
    manifest.sha256          the SHA-256 of manifest.json (``sha256sum -c manifest.sha256``)

It is written to a hidden sibling directory and renamed into place at the very end, so a
directory named like the target only ever holds a complete backup.
"""

from hotich.backup.services.common import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_SUM,
    FileEntry,
    Manifest,
    Problem,
    read_manifest,
)
from hotich.backup.services.create import backup_create
from hotich.backup.services.pitr import (
    DEFAULT_STANZA,
    DrillResult,
    SetupResult,
    pitr_drill,
    pitr_setup,
)
from hotich.backup.services.restore import RestoreResult, backup_restore
from hotich.backup.services.verify import backup_verify, problems_summary

__all__ = [
    "DEFAULT_STANZA",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "MANIFEST_SUM",
    "DrillResult",
    "FileEntry",
    "Manifest",
    "Problem",
    "RestoreResult",
    "SetupResult",
    "backup_create",
    "backup_restore",
    "backup_verify",
    "pitr_drill",
    "pitr_setup",
    "problems_summary",
    "read_manifest",
]
