"""Legacy import pages: upload → map columns → preview with the errors of each row → accept.

Each view translates input, makes one service or selector call and maps a DomainError to the
page. Batches of another unit do not exist for the user (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.legacy.forms import MappingForm, UploadForm
from hotich.legacy.models import BatchStatus, ImportBatch
from hotich.legacy.selectors import (
    import_batch_get,
    import_batches_visible,
    registering_units_for,
)
from hotich.legacy.services import (
    PERMISSION,
    SYNC_ROWS,
    import_batch_accept,
    import_batch_create,
    import_batch_discard,
    import_batch_preview,
    import_batch_request,
)

PREVIEW_ROWS = 50
ENCODING_LABELS = {"unicode": "Unicode", "tcvn3": "TCVN3 (ABC)", "vni": "VNI", "viqr": "VIQR"}


@staff_required(PERMISSION)
def home(request: StaffRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        registering_units=registering_units_for(request.user.unit),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with DomainErrors(form=form):
            batch = import_batch_create(
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                event_type=form.cleaned_data["event_type"],
                registering_unit=form.chosen_unit(),
            )
            return redirect("legacy:batch", batch_id=batch.pk)
    batches = import_batches_visible(request.user).exclude(status=BatchStatus.DISCARDED)[:30]
    return render(request, "legacy/home.html", {"form": form, "batches": batches})


def _errors_in_language(batch: ImportBatch) -> list[dict[str, Any]]:
    key = "message_en" if (get_language() or "vi").startswith("en") else "message_vi"
    return [{**e, "message": e.get(key, "")} for e in batch.errors]


@staff_required(PERMISSION)
def batch(request: StaffRequest, batch_id: int) -> HttpResponse:
    current = import_batch_get(actor=request.user, batch_id=batch_id)
    form = MappingForm(
        request.POST or None,
        headers=current.headers,
        event_type=current.event_type,
        mapping=current.mapping,
    )
    if request.method == "POST" and form.is_valid():
        with DomainErrors(form=form):
            if current.row_count > SYNC_ROWS:
                current = import_batch_request(
                    actor=request.user, batch=current, action="preview", mapping=form.mapping()
                )
            else:
                current = import_batch_preview(
                    actor=request.user, batch=current, mapping=form.mapping()
                )
            return redirect("legacy:batch", batch_id=current.pk)
    errors = _errors_in_language(current)
    rows_with_errors = {e["row"] for e in errors}
    preview = [
        {"number": n, "cells": row, "bad": n in rows_with_errors}
        for n, row in current.numbered_rows()[:PREVIEW_ROWS]
    ]
    columns = [
        {"header": h, "encoding": ENCODING_LABELS.get(e, e)}
        for h, e in zip(current.headers, current.encodings, strict=False)
    ]
    return render(
        request,
        "legacy/batch.html",
        {
            "batch": current,
            "form": form,
            "columns": columns,
            "mapping_rows": [
                {"field": field, "encoding": column["encoding"]}
                for field, column in zip(form, columns, strict=False)
            ],
            "preview": preview,
            "errors": errors,
            "more_rows": max(0, current.row_count - PREVIEW_ROWS),
            "can_accept": current.status == BatchStatus.PREVIEWED
            and not current.errors
            and not current.pending,
            "open": current.status in (BatchStatus.UPLOADED, BatchStatus.PREVIEWED)
            and not current.pending,
        },
    )


@require_POST
@staff_required(PERMISSION)
def accept(request: StaffRequest, batch_id: int) -> HttpResponse:
    current = import_batch_get(actor=request.user, batch_id=batch_id)
    with DomainErrors(request):
        if current.row_count > SYNC_ROWS:
            import_batch_request(actor=request.user, batch=current, action="accept")
            return redirect("legacy:batch", batch_id=current.pk)
        done = import_batch_accept(actor=request.user, batch=current)
        messages.success(
            request, _("Đã nhập %(n)d bản ghi vào sổ hộ tịch.") % {"n": len(done.record_ids)}
        )
    return redirect("legacy:batch", batch_id=current.pk)


@require_POST
@staff_required(PERMISSION)
def discard(request: StaffRequest, batch_id: int) -> HttpResponse:
    current = import_batch_get(actor=request.user, batch_id=batch_id)
    with DomainErrors(request):
        import_batch_discard(actor=request.user, batch=current)
        messages.success(request, _("Đã hủy lần nhập."))
        return redirect("legacy:home")
    return redirect("legacy:batch", batch_id=current.pk)
