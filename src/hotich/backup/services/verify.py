"""Verifying a backup against its manifest: every file present, unchanged, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from hotich.backup.services.common import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_SUM,
    Problem,
    _safe_relative,
    _sha256_file,
    read_manifest,
)
from hotich.core.errors import DomainError


def backup_verify(*, source: Path) -> list[Problem]:
    """Recompute every checksum of the backup at ``source``; an empty list means it is intact."""
    source = Path(source).expanduser().resolve()
    if not source.is_dir():
        return [Problem(str(source), "missing", "không phải thư mục / not a directory")]
    problems: list[Problem] = []
    for name in (MANIFEST, MANIFEST_SUM):
        if not (source / name).is_file():
            problems.append(Problem(name, "missing"))
    if problems:
        return problems
    expected = (source / MANIFEST_SUM).read_text(encoding="utf-8", errors="replace").split()
    actual = _sha256_file(source / MANIFEST)[1]
    if not expected or expected[0].lower() != actual:
        return [Problem(MANIFEST, "changed", "không khớp manifest.sha256 / does not match")]
    try:
        manifest = read_manifest(source)
    except DomainError as exc:
        return [Problem(MANIFEST, "invalid", str(exc))]
    if manifest.format != FORMAT or manifest.format_version != FORMAT_VERSION:
        return [
            Problem(
                MANIFEST,
                "invalid",
                f"định dạng {manifest.format} v{manifest.format_version} không hỗ trợ / "
                "unsupported format",
            )
        ]
    listed: set[str] = set()
    for entry in manifest.files:
        if not _safe_relative(entry.path) or entry.path in listed:
            problems.append(Problem(entry.path, "invalid", "đường dẫn sai / bad path"))
            continue
        listed.add(entry.path)
        path = source / entry.path
        if not path.is_file():
            problems.append(Problem(entry.path, "missing"))
            continue
        size, digest = _sha256_file(path)
        if size != entry.size or digest != entry.sha256:
            problems.append(Problem(entry.path, "changed", f"{size} B, sha256 {digest[:12]}…"))
    if manifest.database_file not in listed:
        problems.append(
            Problem(manifest.database_file, "invalid", "CSDL không có trong manifest / not listed")
        )
    for dirpath, _dirs, filenames in os.walk(source):
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(source).as_posix()
            if rel not in listed and rel not in (MANIFEST, MANIFEST_SUM):
                problems.append(Problem(rel, "unexpected"))
    return sorted(problems, key=lambda p: (p.path, p.kind))


def problems_summary(problems: list[Problem], limit: int = 5) -> str:
    shown = "; ".join(str(p) for p in problems[:limit])
    more = f"; … +{len(problems) - limit}" if len(problems) > limit else ""
    return f"{shown}{more}"


# --- Restore -----------------------------------------------------------------------------------
