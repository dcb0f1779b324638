"""A report as the JSON payload for the national reporting system and as an XLSX in the form's
layout. The payload follows the concepts of QCVN 125:2021 (report regime, form, period,
indicator, unit, value) and is validated against ``schemas/report-data.schema.json``."""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from hotich.core.errors import ValidationFailed
from hotich.reporting.adapters.national import SecretRefused, refuse_secret
from hotich.reporting.civil_status import CivilStatusReport, UnitFigures
from hotich.reporting.models import DataValue, FormReport, FormReportStatus, ValueType
from hotich.reporting.periods import Period

if TYPE_CHECKING:
    from hotich.geo.models import Unit

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "report-data.schema.json"
SCHEMA_ID = "hotich.reporting.report-data/1"


@functools.cache
def payload_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(payload_schema())


def validate_payload(payload: Any) -> None:
    """Raise ValidationFailed naming the first place where ``payload`` breaks the schema."""
    validator = _validator()
    error = next(iter(sorted(validator.iter_errors(payload), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(gốc)"
        raise ValidationFailed(
            format_lazy(
                gettext_lazy("Dữ liệu báo cáo không đúng lược đồ tại {where}: {reason}"),
                where=where,
                reason=error.message,
            ),
            field=where,
            code="schema",
        )


def _unit(unit: Unit) -> dict[str, str]:
    level = "commune" if unit.level == "commune" else "province"
    return {"code": unit.code, "name": unit.name, "level": level}


def _values(fig: UnitFigures, report: CivilStatusReport) -> list[dict[str, Any]]:
    unit = _unit(fig.unit)
    rows: list[dict[str, Any]] = [
        {"indicator": i.code, "unit": unit, "value": fig.values[i.code]} for i in report.indicators
    ]
    for ethnicity, n in sorted(fig.births_by_ethnicity.items()):
        rows.append(
            {"indicator": "KS_DAN_TOC", "unit": unit, "dimensions": {"ethnicity": ethnicity},
             "value": n}
        )  # fmt: skip
    return rows


def report_payload(report: CivilStatusReport) -> dict[str, Any]:
    d, p = report.definition, report.period
    indicators = [
        {
            "code": i.code,
            "name": str(i.name),
            "group": str(i.group),
            "unit_of_measure": str(i.unit_of_measure),
            "decimals": i.decimals,
        }
        for i in report.indicators
    ]
    indicators.append(
        {
            "code": "KS_DAN_TOC",
            "name": _("Khai sinh theo dân tộc"),
            "group": _("Khai sinh"),
            "unit_of_measure": _("trường hợp"),
            "decimals": 0,
        }
    )
    data = [row for fig in report.rows for row in _values(fig, report)]
    if report.unit.level != "commune":
        data += _values(report.total, report)
    payload = {
        "schema": SCHEMA_ID,
        "standard": "QCVN 125:2021/BTTTT",
        "report_regime": {"code": d.code, "name": str(d.name), "frequency": p.regime},
        "form": {"code": d.form_code, "name": str(d.form_name)},
        "period": {
            "code": p.code,
            "frequency": p.regime,
            "year": p.year,
            "index": p.index,
            "from": p.start.isoformat(),
            "to": p.end.isoformat(),
            "deadline": report.deadline.isoformat(),
        },
        "reporting_unit": _unit(report.unit),
        "receiving_unit": {"name": str(d.receiver)},
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "indicators": indicators,
        "data": data,
    }
    validate_payload(payload)
    return payload


#: the office that runs the National Reporting Information System (Decree 09/2019, art. 21)
NATIONAL_RECEIVER = gettext_lazy("Văn phòng Chính phủ")


def _number(value: Any) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def form_report_payload(report: FormReport) -> dict[str, Any]:
    """An approved form of one organization for one period as the national payload: its
    non-secret indicators and their values per disaggregation.

    Refuses (:class:`SecretRefused`) a secret form, and checks the payload it built as the
    client does, so a secret indicator's value cannot leave through it."""
    form, org = report.form, report.organization
    if form.is_secret:
        raise SecretRefused(
            format_lazy(
                gettext_lazy(
                    "Biểu {form} là biểu mật: không được gửi lên Hệ thống thông tin báo cáo "
                    "quốc gia."
                ),
                form=form.code,
            )
        )
    if report.status != FormReportStatus.APPROVED:
        raise ValidationFailed(gettext_lazy("Chỉ gửi biểu đã được phê duyệt."), code="not_approved")
    period = Period.parse(report.period_code, cutoff_day=form.cutoff_day)
    indicators = [
        row.indicator
        for row in form.rows.select_related("indicator").prefetch_related("indicator__categories")
        if not row.indicator.is_secret
    ]
    categories = {
        i.pk: [c.code for c in sorted(i.categories.all(), key=lambda c: c.code)] for i in indicators
    }
    unit = _unit(org.unit)
    data: list[dict[str, Any]] = []
    by_pk = {i.pk: i for i in indicators}
    values = DataValue.objects.filter(
        organization=org, period_code=period.code, indicator__in=indicators
    ).order_by("indicator__code", "combo")
    for indicator_id, combo, value in values.values_list("indicator_id", "combo", "value"):
        row: dict[str, Any] = {
            "indicator": by_pk[indicator_id].code,
            "unit": unit,
            "value": _number(value),
        }
        if combo:
            row["dimensions"] = dict(zip(categories[indicator_id], combo.split("."), strict=False))
        data.append(row)
    payload = {
        "schema": SCHEMA_ID,
        "standard": "QCVN 125:2021/BTTTT",
        "report_regime": {"code": form.code, "name": form.name, "frequency": period.regime},
        "form": {"code": form.code, "name": form.name},
        "period": {
            "code": period.code,
            "frequency": period.regime,
            "year": period.year,
            "index": period.index,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "deadline": period.deadline(form.deadline_days).isoformat(),
        },
        "reporting_unit": unit,
        "reporting_organization": {"code": org.code, "name": org.name},
        "receiving_unit": {"name": str(NATIONAL_RECEIVER)},
        "generated_at": (report.approved_at or report.updated_at).isoformat(timespec="seconds"),
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "group": form.name,
                "unit_of_measure": i.unit_of_measure or "-",
                "decimals": 0 if i.value_type in (ValueType.INTEGER, ValueType.BOOLEAN) else 2,
            }
            for i in indicators
        ],
        "data": data,
    }
    validate_payload(payload)
    refuse_secret(payload)
    return payload


# --- XLSX in the form's layout -------------------------------------------------------------

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)

#: first row of the table's header (rows above are the form's heading)
HEADER_ROW = 8


def _heading(ws: Any, report: CivilStatusReport, width: int, title: str) -> None:
    d, p = report.definition, report.period
    last = get_column_letter(width)
    form_label, unit_label, receiver_label = (
        _("Biểu số"),
        _("Đơn vị báo cáo"),
        _("Đơn vị nhận báo cáo"),
    )
    period_label = _("Kỳ báo cáo")
    ws["A1"] = f"{form_label}: {d.form_code}"
    ws["A1"].font = _BOLD
    ws["A2"] = f"{unit_label}: {report.unit.name}"
    ws["A3"] = f"{receiver_label}: {d.receiver}"
    right = max(width - 5, 4)
    col = get_column_letter(right)
    ws[f"{col}1"] = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws[f"{col}1"].font = _BOLD
    ws[f"{col}2"] = _("Độc lập - Tự do - Hạnh phúc")
    ws.merge_cells(f"A5:{last}5")
    ws["A5"] = title
    ws["A5"].font = Font(bold=True, size=13)
    ws["A5"].alignment = _CENTER
    ws.merge_cells(f"A6:{last}6")
    ws["A6"] = f"{period_label}: {p.label} ({p.span_label})"
    ws["A6"].alignment = _CENTER


def _box(ws: Any, row: int, col: int, value: Any, *, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.border = _BOX
    cell.alignment = _CENTER
    if bold:
        cell.font = _BOLD


def report_xlsx(report: CivilStatusReport) -> bytes:
    """The form: heading, a two-row header (event group over indicator), one row per commune
    (STT, unit, values) and the total row; a second sheet with births by ethnicity."""
    wb = Workbook()
    ws = wb.active
    ws.title = "HT-01"
    inds = report.indicators
    width = 2 + len(inds)
    _heading(ws, report, width, str(report.definition.form_name).upper())
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for col, label in ((1, _("STT")), (2, _("Đơn vị"))):
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        _box(ws, top, col, label, bold=True)
        _box(ws, sub, col, None)
    col = 3
    groups: list[tuple[str, int, int]] = []
    for ind in inds:
        group = str(ind.group)
        if groups and groups[-1][0] == group:
            groups[-1] = (group, groups[-1][1], col)
        else:
            groups.append((group, col, col))
        _box(ws, sub, col, str(ind.name), bold=True)
        col += 1
    for group, first, last_col in groups:
        if last_col > first:
            ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last_col)
        _box(ws, top, first, group, bold=True)
    # the column numbers line (A, B, 1, 2, ...) as the ministry's forms print it
    numbers = sub + 1
    _box(ws, numbers, 1, "A")
    _box(ws, numbers, 2, "B")
    for i in range(len(inds)):
        _box(ws, numbers, 3 + i, i + 1)
    row = numbers + 1
    for n, fig in enumerate(report.rows, start=1):
        _box(ws, row, 1, n)
        _box(ws, row, 2, fig.unit.name)
        ws.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        for i, ind in enumerate(inds):
            _box(ws, row, 3 + i, fig.values[ind.code])
        row += 1
    _box(ws, row, 1, None)
    _box(ws, row, 2, _("Tổng cộng"), bold=True)
    for i, ind in enumerate(inds):
        _box(ws, row, 3 + i, report.total.values[ind.code], bold=True)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 28
    for i in range(len(inds)):
        ws.column_dimensions[get_column_letter(3 + i)].width = 11
    ws.row_dimensions[sub].height = 45
    footer = row + 2
    made = _("Ngày lập")
    ws.cell(row=footer, column=2, value=f"{made}: {report.generated_at:%d/%m/%Y}")
    ws.cell(row=footer, column=max(width - 5, 4), value=_("THỦ TRƯỞNG ĐƠN VỊ")).font = _BOLD
    ws.freeze_panes = ws.cell(row=numbers + 1, column=3)

    eth = wb.create_sheet("Dân tộc")
    names = report.ethnicities
    _heading(eth, report, 2 + max(len(names), 1), _("KHAI SINH THEO DÂN TỘC"))
    _box(eth, HEADER_ROW, 1, _("STT"), bold=True)
    _box(eth, HEADER_ROW, 2, _("Đơn vị"), bold=True)
    for i, name in enumerate(names):
        _box(eth, HEADER_ROW, 3 + i, name, bold=True)
    row = HEADER_ROW + 1
    for n, fig in enumerate(report.rows, start=1):
        _box(eth, row, 1, n)
        _box(eth, row, 2, fig.unit.name)
        for i, name in enumerate(names):
            _box(eth, row, 3 + i, fig.births_by_ethnicity.get(name, 0))
        row += 1
    _box(eth, row, 2, _("Tổng cộng"), bold=True)
    for i, name in enumerate(names):
        _box(eth, row, 3 + i, report.total.births_by_ethnicity.get(name, 0), bold=True)
    eth.column_dimensions["B"].width = 28

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
