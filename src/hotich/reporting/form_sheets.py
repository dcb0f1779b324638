"""A form's values as a spreadsheet in the form's own layout, and the same read back.

``form_layout_xlsx`` writes the grid of one organization and period (empty, or filled with the
values stored): a first row naming the form, organization and period, then one row per
indicator and one column per disaggregation option (its key in brackets in the header). The
upload (``form_values_upload``, through :func:`hotich.core.spreadsheets.read_sheet`) takes the
same sheet back with the rules of typing (``value_save``): every cell or none, each bad cell
named in Vietnamese (“Ô D6 (KS_GT, Nữ): Giá trị phải là một số.”), refused on a form submitted
or approved. A blank cell clears the value: the sheet is the form's whole state."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, ValidationFailed
from hotich.core.spreadsheets import read_sheet
from hotich.reporting.approval_flags import approved_refresh
from hotich.reporting.datasets import (
    _ENTER,
    Saved,
    _assigned,
    _form_rows,
    _grid,
    form_grid,
    form_period,
)
from hotich.reporting.indicators import combos, joined, parse_value
from hotich.reporting.models import DataForm, DataValue, FormReport, FormReportStatus, Indicator

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Promise

    from hotich.agencies.models import Organization

MAX_ROWS = 2_000
HEADER = "Mã chỉ tiêu"
_KEY = re.compile(r"\[([^\]]*)\]\s*$")
_NOT_HERE = PatternFill("solid", fgColor="DDDDDD")


def _columns(indicators: list[Indicator]) -> list[tuple[str, str]]:
    columns: list[tuple[str, str]] = []
    for indicator in indicators:
        for key, label in combos(indicator):
            if (key, label) not in columns:
                columns.append((key, label))
    return columns


def form_layout_xlsx(
    *, actor: Actor, form: DataForm, organization: Organization, period_code: str, filled: bool
) -> bytes:
    """The form's layout for ``organization`` and a period, empty or with the stored values."""
    grid = form_grid(actor=actor, form=form, organization=organization, period_code=period_code)
    columns = _columns([row.indicator for row in grid.rows])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bieu"
    sheet.append(["Biểu", form.code, "Đơn vị", organization.code, "Kỳ", grid.period.code])
    sheet.append([form.name, "", organization.name, "", str(grid.period.label)])
    sheet.append([])
    header = [HEADER, "Chỉ tiêu", "Đơn vị tính"]
    header += [f"{label or 'Giá trị'} [{key}]" for key, label in columns]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for number, row in enumerate(grid.rows, start=5):
        values = {c.combo: c for c in row.cells}
        line: list[Any] = [row.indicator.code, row.indicator.name, row.indicator.unit_of_measure]
        for key, _label in columns:
            found = values.get(key)
            line.append(
                float(found.value) if filled and found and found.value is not None else None
            )
        sheet.append(line)
        for index, (key, _label) in enumerate(columns, start=4):
            if key not in values:
                sheet.cell(row=number, column=index).fill = _NOT_HERE
    sheet.column_dimensions["B"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def form_values_upload(
    *,
    actor: Actor,
    form: DataForm,
    organization: Organization,
    period_code: str,
    content: bytes,
    name: str = "bieu.xlsx",
    today: dt.date | None = None,
) -> Saved:
    """Store every cell of an uploaded layout, or none (ValidationFailed naming each bad cell)."""
    require(actor, "reporting.submit", message=_ENTER)
    _assigned(actor, form, organization)
    period = form_period(form, period_code, today=today or timezone.localdate())
    indicators = {i.code: i for i in _form_rows(form, actor)}
    rows = read_sheet(content, name=name, max_rows=MAX_ROWS, formats=("xlsx",)).rows
    head = next((i for i, (_n, cells) in enumerate(rows) if cells and cells[0] == HEADER), None)
    meta = [_text(v) for v in rows[0][1]] if rows else []
    if head is None or meta[:6:2] != ["Biểu", "Đơn vị", "Kỳ"]:
        raise ValidationFailed(
            _("Tệp không theo mẫu của biểu: hãy tải mẫu của biểu này về và điền vào."),
            field="file",
        )
    if meta[1::2][:3] != [form.code, organization.code, period.code]:
        raise ValidationFailed(
            format_lazy(
                _("Tệp là của biểu {form}, đơn vị {org}, kỳ {period}, không phải biểu đang mở."),
                form=meta[1] if len(meta) > 1 else "-",
                org=meta[3] if len(meta) > 3 else "-",
                period=meta[5] if len(meta) > 5 else "-",
            ),
            field="file",
        )
    keys: dict[int, str] = {}
    for index, title in enumerate(rows[head][1][3:], start=3):
        match = _KEY.search(_text(title))
        if match is None:
            raise ValidationFailed(
                format_lazy(
                    _("Cột {col}: tiêu đề không có mã phân tổ."), col=get_column_letter(index + 1)
                ),
                field="file",
            )
        keys[index] = match.group(1)
    values: dict[tuple[int, str], Decimal] = {}
    errors: list[str | Promise] = []
    for number, cells in rows[head + 1 :]:
        code = _text(cells[0]) if cells else ""
        indicator = indicators.get(code)
        if indicator is None:
            errors.append(
                format_lazy(
                    _("Dòng {n}: chỉ tiêu không có trong biểu: {code}."), n=number, code=code
                )
            )
            continue
        if indicator.source:  # computed from the platform's data: what the file says is ignored
            continue
        allowed = dict(combos(indicator))
        for index, key in keys.items():
            raw = _text(cells[index]) if index < len(cells) else ""
            if not raw:
                continue
            where = f"{get_column_letter(index + 1)}{number}"
            if key not in allowed:
                errors.append(
                    format_lazy(
                        _("Ô {cell} ({code}): chỉ tiêu không có phân tổ này."),
                        cell=where,
                        code=code,
                    )
                )
                continue
            try:
                values[(indicator.pk, key)] = parse_value(indicator, raw)
            except ValidationFailed as exc:
                label = f"{code}, {allowed[key]}" if key else code
                errors.append(
                    format_lazy(
                        _("Ô {cell} ({label}): {error}"), cell=where, label=label, error=exc.message
                    )
                )
    if errors:
        raise ValidationFailed(joined(errors, limit=30), field="file", code="cells")
    user = acting_user(actor)
    with transaction.atomic():
        report, _created = FormReport.objects.select_for_update().get_or_create(
            form=form, organization=organization, period_code=period.code
        )
        if report.status not in (FormReportStatus.OPEN, FormReportStatus.RETURNED):
            raise Conflict(
                format_lazy(
                    _("Biểu đã {status}; không sửa được số liệu."),
                    status=FormReportStatus(report.status).label.lower(),
                ),
                code="locked",
            )
        DataValue.objects.filter(
            organization=organization,
            period_code=period.code,
            indicator__in=[i for i in indicators.values() if not i.source],
        ).delete()
        DataValue.objects.bulk_create(
            DataValue(
                indicator_id=indicator_id,
                organization=organization,
                period_code=period.code,
                combo=key,
                value=value,
                updated_by=user,
            )
            for (indicator_id, key), value in values.items()
        )
        # another form holding one of these indicators may be approved already
        approved_refresh(
            indicator_ids={indicator_id for indicator_id, _key in values},
            organization_id=organization.pk,
            period_code=period.code,
        )
        audit_record(
            actor=actor,
            action="import",
            object_type="reporting.data_value",
            object_id=f"{form.code}/{organization.code}/{period.code}",
            detail={"cells": len(values)},
        )
    grid = _grid(form, organization, period, list(indicators.values()))
    return Saved(None, grid.violations, grid.filled, grid.expected)
