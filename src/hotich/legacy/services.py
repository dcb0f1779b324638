"""Writes of the legacy import: upload, map and preview, accept (all or nothing), discard.

The preview runs the very import it announces (the registry's ``book_open`` and
``record_create``, each row in its own savepoint) inside a transaction that is then rolled
back, so its per-row errors are exactly the refusals the register would give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import permits, require, unit_in_scope
from hotich.audit.services import audit_bulk, audit_record
from hotich.core.deferred import Deferred
from hotich.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.legacy import mapping as colmap
from hotich.legacy.models import BatchStatus, ImportBatch
from hotich.legacy.readers import read_table
from hotich.legacy.selectors import registering_units_for
from hotich.registry.services import book_open, record_create
from hotich.registry.vocabulary import EventType

if TYPE_CHECKING:
    from hotich.geo.models import Unit
    from hotich.registry.models import Record

OBJECT_TYPE = "legacy.import_batch"
PERMISSION = "registry.register"
#: Files with more rows are previewed and imported by the background worker.
SYNC_ROWS = 200
BACKGROUND_ACTIONS = ("preview", "accept")
#: the queued preview or import of one batch: (batch id, action, id of the user who asked)
IMPORT_BATCH_RUN = Deferred[[int, str, int]]("legacy.import_batch_run")


_REFUSED = _("Bạn không có quyền nhập dữ liệu vào sổ hộ tịch.")


@transaction.atomic
def import_batch_create(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    event_type: str,
    unit: Unit | None = None,
    registering_unit: Unit | None = None,
) -> ImportBatch:
    """Read an uploaded spreadsheet, decode its text column by column, propose a mapping."""
    require(actor, PERMISSION, message=_REFUSED)
    if event_type not in EventType.values:
        raise ValidationFailed(_("Loại việc hộ tịch không hợp lệ."), field="event_type")
    unit = unit or getattr(actor, "unit", None)
    if unit is None:
        raise ValidationFailed(_("Chưa chọn đơn vị đăng ký."), field="unit")
    if actor is not None and not unit_in_scope(actor, unit):
        raise NotFound(_("Không tìm thấy đơn vị trong phạm vi được giao."), field="unit")
    if registering_unit is not None and registering_unit.pk not in {
        u.pk for u in registering_units_for(unit)
    }:
        raise ValidationFailed(
            _("Đơn vị đăng ký cũ không thuộc đơn vị hiện nay đang nhập."), field="registering_unit"
        )
    digest = hashlib.sha256(content).hexdigest()
    earlier = ImportBatch.objects.filter(
        unit=unit, sha256=digest, status=BatchStatus.IMPORTED
    ).first()
    if earlier is not None:
        raise Conflict(
            format_lazy(
                _("Tệp này đã được nhập vào sổ (lần nhập số {id}), không nhập lại."),
                id=earlier.pk,
            ),
            field="file",
        )
    table = read_table(file_name, content)
    batch = ImportBatch.objects.create(
        unit=unit,
        registering_unit=registering_unit,
        created_by=acting_user(actor),
        event_type=event_type,
        file_name=file_name[-200:],
        file_format=table.file_format,
        sha256=digest,
        headers=table.headers,
        encodings=table.encodings,
        rows=table.rows,
        row_numbers=table.row_numbers,
        mapping=colmap.guess_mapping(table.headers, event_type),
    )
    audit_record(
        actor=actor,
        action="create",
        object_type=OBJECT_TYPE,
        object_id=batch.pk,
        after=batch.state(),
        detail={"rows": len(table.rows), "format": table.file_format},
    )
    return batch


def _import_row(actor: Actor, batch: ImportBatch, row: list[str]) -> Record:
    values = colmap.row_input(row, batch.mapping, batch.event_type)
    year = colmap.registration_year(values.get("registration_date", ""))
    book = None
    if year is not None:
        book = book_open(
            actor=actor,
            unit=batch.registering_unit or batch.unit,
            scope_unit=batch.unit,
            event_type=batch.event_type,
            year=year,
            is_historic=True,
        )
    return record_create(actor=actor, event_type=batch.event_type, book=book, **values)


def _row_error(batch: ImportBatch, number: int, exc: DomainError) -> dict[str, Any]:
    column = ""
    if exc.field:
        by_target = {target: int(col) for col, target in batch.mapping.items() if target}
        key = exc.field if exc.field in by_target else f"data.{exc.field}"
        if key in by_target:
            column = batch.headers[by_target[key]]
    return {
        "row": number,
        "field": exc.field or "",
        "column": column,
        "message_vi": exc.in_language("vi"),
        "message_en": exc.in_language("en"),
    }


def _dry_run(actor: Actor, batch: ImportBatch) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    with transaction.atomic():
        for number, row in batch.numbered_rows():
            try:
                with transaction.atomic():
                    _import_row(actor, batch, row)
            except DomainError as exc:
                errors.append(_row_error(batch, number, exc))
        transaction.set_rollback(True)
    return errors


def _run_preview(step: Step[ImportBatch]) -> None:
    batch, mapping = step.obj, step.params["mapping"]
    chosen = {str(k): v for k, v in (mapping if mapping is not None else batch.mapping).items()}
    chosen = {k: v for k, v in chosen.items() if v}
    colmap.check_mapping(chosen, batch.headers, batch.event_type)
    batch.mapping = chosen
    batch.errors = _dry_run(step.actor, batch)
    step.detail["errors"] = len(batch.errors)


def _run_accept(step: Step[ImportBatch]) -> None:
    batch, actor = step.obj, step.actor
    if batch.errors:
        raise ValidationFailed(
            format_lazy(
                _("Còn {n} lỗi trong bản xem trước: sửa tệp rồi tải lên lại, chưa nhập gì."),
                n=len(batch.errors),
            ),
            field="batch",
        )
    ids = []
    for number, row in batch.numbered_rows():
        try:
            ids.append(_import_row(actor, batch, row).pk)
        except DomainError as exc:
            raise type(exc)(
                format_lazy(_("Dòng {row}: {message}"), row=number, message=exc.message),
                field=exc.field,
            ) from None
    batch.record_ids = ids
    batch.imported_at = timezone.now()
    step.detail["records"] = len(ids)
    step.afterwards(
        lambda: audit_bulk(
            actor=actor,
            action="create",
            object_type="registry.record",
            object_ids=ids,
            detail={"source": "legacy_import", "batch": batch.pk},
        )
    )


def _run_discard(step: Step[ImportBatch]) -> None:
    step.obj.rows = []
    step.obj.row_numbers = []
    step.obj.errors = []


def _check_scope(actor: Actor, batch: ImportBatch) -> None:
    if actor is not None and not unit_in_scope(actor, batch.unit):
        raise NotFound(_("Không tìm thấy lần nhập dữ liệu."))


_OPEN = (BatchStatus.UPLOADED, BatchStatus.PREVIEWED)
_FINISHED = _("Lần nhập này đã xong hoặc đã hủy.")

#: upload → preview (as often as needed) → accept, or discard before the import
BATCH_LIFECYCLE = Lifecycle(
    model=ImportBatch,
    object_type=OBJECT_TYPE,
    noun=_("lần nhập"),
    statuses=BatchStatus,
    actions=[
        Action(
            "preview",
            _("Xem trước"),
            PERMISSION,
            BatchStatus.PREVIEWED,
            _run_preview,
            refused_in={BatchStatus.IMPORTED: _FINISHED, BatchStatus.DISCARDED: _FINISHED},
        ),
        Action(
            "accept",
            _("Nhập vào sổ"),
            PERMISSION,
            BatchStatus.IMPORTED,
            _run_accept,
            refused_in={
                BatchStatus.IMPORTED: _("Lần nhập này đã được nhập vào sổ."),
                BatchStatus.UPLOADED: _("Cần xem trước và kiểm tra trước khi nhập."),
            },
        ),
        Action(
            "discard",
            _("Hủy lần nhập"),
            PERMISSION,
            BatchStatus.DISCARDED,
            _run_discard,
            refused_in={
                BatchStatus.IMPORTED: _("Lần nhập này đã được nhập vào sổ, không hủy được.")
            },
        ),
    ],
    table={
        BatchStatus.UPLOADED: ("preview", "discard"),
        BatchStatus.PREVIEWED: ("preview", "accept", "discard"),
        BatchStatus.IMPORTED: (),
        BatchStatus.DISCARDED: (),
    },
    initial=(BatchStatus.UPLOADED,),
    scope=_check_scope,
    permits=permits,
    history=lambda step: None,  # the batch and the audit log are its history
    audit=audit_record,
)


def import_batch_preview(
    *, actor: Actor, batch: ImportBatch, mapping: Mapping[str, str] | None = None
) -> ImportBatch:
    """Save the column mapping and check every row as the import would (nothing is kept)."""
    return BATCH_LIFECYCLE.transition(actor=actor, obj=batch, action="preview", mapping=mapping)


def import_batch_accept(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Import every row of a previewed batch as historic records, or none of them."""
    return BATCH_LIFECYCLE.transition(actor=actor, obj=batch, action="accept")


def import_batch_discard(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Drop a batch that was not imported (its decoded cells are emptied)."""
    return BATCH_LIFECYCLE.transition(actor=actor, obj=batch, action="discard")


@transaction.atomic
def import_batch_request(
    *, actor: Actor, batch: ImportBatch, action: str, mapping: Mapping[str, str] | None = None
) -> ImportBatch:
    """Queue the preview or the import of a large file for the background worker (the task
    runs :func:`import_batch_preview` or :func:`import_batch_accept` as the same user)."""
    require(actor, PERMISSION, message=_REFUSED)
    _check_scope(actor, batch)
    if action not in BACKGROUND_ACTIONS:
        raise ValidationFailed(_("Việc không hợp lệ."), field="action")
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.pending:
        raise Conflict(_("Lần nhập này đang được xử lý, vui lòng chờ."), field="batch")
    if locked.status not in (BatchStatus.UPLOADED, BatchStatus.PREVIEWED):
        raise Conflict(_("Lần nhập này đã xong hoặc đã hủy."), field="batch")
    if action == "preview":
        chosen = {str(k): v for k, v in (mapping or locked.mapping).items() if v}
        colmap.check_mapping(chosen, locked.headers, locked.event_type)
        locked.mapping = chosen
    elif locked.status != BatchStatus.PREVIEWED or locked.errors:
        raise Conflict(_("Cần xem trước và kiểm tra trước khi nhập."), field="batch")
    locked.pending = action
    locked.last_error = ""
    locked.save(update_fields=["mapping", "pending", "last_error"])
    audit_record(
        actor=actor,
        action="update",
        object_type=OBJECT_TYPE,
        object_id=locked.pk,
        after=locked.state(),
        detail={"action": f"queue_{action}"},
    )
    user_id = getattr(actor, "pk", None)
    if user_id is None:
        raise PermissionDenied(_("Chỉ người dùng mới gửi được việc chạy nền."))
    IMPORT_BATCH_RUN.enqueue_on_commit(locked.pk, action, user_id)
    return locked


def import_batch_run_pending(*, batch_id: int, action: str, actor: Actor) -> str:
    """Run a queued preview or import (called by the task); the outcome is kept on the batch."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.pending != action:
        return "nothing to do"
    outcome = "ok"
    error = ""
    try:
        if actor is None:
            raise PermissionDenied(_("Người yêu cầu không còn hoạt động, việc này bị bỏ."))
        if action == "preview":
            import_batch_preview(actor=actor, batch=batch)
        else:
            import_batch_accept(actor=actor, batch=batch)
    except DomainError as exc:
        outcome, error = "refused", exc.bilingual()
    ImportBatch.objects.filter(pk=batch_id).update(pending="", last_error=error)
    return outcome
