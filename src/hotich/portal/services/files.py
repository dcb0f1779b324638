"""Storing a dossier's documents, each checked exactly as scan intake checks an upload."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.archive.services import archive_store
from hotich.core.errors import ValidationFailed
from hotich.digitization.intake import check_upload
from hotich.portal.models import Dossier, DossierFile

MAX_FILES = 20


@dataclass(frozen=True)
class Upload:
    doc_key: str
    name: str
    data: bytes


def check_uploads(uploads: Sequence[Upload], *, allowed_keys: Iterable[str]) -> None:
    allowed = set(allowed_keys)
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(
            format_lazy(_("Tối đa {n} tệp cho một hồ sơ."), n=MAX_FILES), field="files"
        )
    for upload in uploads:
        if upload.doc_key not in allowed:
            raise ValidationFailed(
                _("Thành phần hồ sơ không thuộc thủ tục này."), field=f"file_{upload.doc_key}"
            )
        try:
            check_upload(upload.name, upload.data)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field=f"file_{upload.doc_key}") from None


def store_uploads(
    dossier: Dossier, uploads: Sequence[Upload], *, source: str, stored: list[str]
) -> None:
    """Save each file and its row; the paths written are appended to ``stored`` so that the
    caller can remove them if the transaction fails."""
    year = timezone.localdate().year
    for upload in uploads:
        ext = upload.name.rsplit(".", 1)[-1].lower()[:5] if "." in upload.name else "bin"
        path = archive_store(
            path=f"portal/{year}/{uuid.uuid4()}.{ext}", content=upload.data, source="portal.upload"
        ).path
        stored.append(path)
        DossierFile.objects.create(
            dossier=dossier,
            doc_key=upload.doc_key,
            name=upload.name[-200:],
            path=path,
            sha256=hashlib.sha256(upload.data).hexdigest(),
            size=len(upload.data),
            source=source,
        )


def remove_stored(paths: Iterable[str]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            default_storage.delete(path)


#: Files a citizen chose for a form that was refused are held here until the form is sent again.
HELD_PREFIX = "portal-held"
#: A held file not sent again within this time is removed (at the next hold).
HELD_FOR = dt.timedelta(hours=24)


@dataclass(frozen=True)
class HeldUpload:
    """A file kept after its form was refused: ``token`` names it (random, known only to the
    session that chose it), ``name`` is shown so the citizen sees it is still attached."""

    token: str
    doc_key: str
    name: str


def uploads_hold(uploads: Sequence[Upload]) -> list[HeldUpload]:
    """Keep ``uploads`` (each already checked or not: they are checked again when sent) so that
    a refused form need not have its files chosen again."""
    if uploads:
        _held_purge(older_than=timezone.now() - HELD_FOR)
    held = []
    for upload in uploads:
        token = uuid.uuid4().hex
        default_storage.save(f"{HELD_PREFIX}/{token}", ContentFile(upload.data))
        held.append(HeldUpload(token=token, doc_key=upload.doc_key, name=upload.name[-200:]))
    return held


def _held_purge(*, older_than: dt.datetime) -> None:
    """Remove the held files of forms abandoned before ``older_than``."""
    try:
        _dirs, names = default_storage.listdir(HELD_PREFIX)
    except (OSError, NotImplementedError):
        return
    for name in names:
        path = f"{HELD_PREFIX}/{name}"
        with contextlib.suppress(OSError, NotImplementedError):
            if default_storage.get_modified_time(path) < older_than:
                default_storage.delete(path)


def uploads_held(held: Iterable[HeldUpload]) -> list[Upload]:
    """The held files back as uploads (a file gone from the store is skipped)."""
    out = []
    for item in held:
        try:
            with default_storage.open(f"{HELD_PREFIX}/{item.token}", "rb") as f:
                out.append(Upload(doc_key=item.doc_key, name=item.name, data=f.read()))
        except OSError:
            continue
    return out


def uploads_release(held: Iterable[HeldUpload]) -> None:
    """Remove held files once the form was sent (or they were replaced)."""
    remove_stored(f"{HELD_PREFIX}/{item.token}" for item in held)
