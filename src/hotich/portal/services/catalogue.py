"""The procedure catalogue: saving one procedure, loading the shipped civil-status procedures,
and importing a province's catalogue from a spreadsheet (all rows or none)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.audit.services import audit_bulk
from hotich.core.errors import ValidationFailed
from hotich.core.spreadsheets import Row, RowError, RowsRefused, read_sheet
from hotich.core.text import fold, nfc
from hotich.portal.forms_schema import check_schema
from hotich.portal.models import AuthorityLevel, Procedure, ServiceClass

#: spreadsheet header (folded) → field
HEADERS = {
    "ma thu tuc": "code",
    "code": "code",
    "ten thu tuc": "name",
    "name": "name",
    "linh vuc": "domain",
    "domain": "domain",
    "cap thuc hien": "authority_level",
    "authority level": "authority_level",
    "can cu phap ly": "legal_basis",
    "legal basis": "legal_basis",
    "thanh phan ho so": "required_documents",
    "required documents": "required_documents",
    "le phi": "fee",
    "fee": "fee",
    "thoi han giai quyet": "processing_days",
    "processing days": "processing_days",
    "muc do dich vu": "service_class",
    "service class": "service_class",
    "muc do cu": "old_level",
    "old level": "old_level",
    "bieu mau": "form_schema",
    "form schema": "form_schema",
}
REQUIRED_COLUMNS = ("code", "name", "authority_level", "processing_days", "service_class")
LEVELS = {
    "xa": AuthorityLevel.COMMUNE,
    "cap xa": AuthorityLevel.COMMUNE,
    "commune": AuthorityLevel.COMMUNE,
    "tinh": AuthorityLevel.PROVINCE,
    "cap tinh": AuthorityLevel.PROVINCE,
    "province": AuthorityLevel.PROVINCE,
    "trung uong": AuthorityLevel.CENTRAL,
    "cap trung uong": AuthorityLevel.CENTRAL,
    "central": AuthorityLevel.CENTRAL,
}
CLASSES = {
    "toan trinh": ServiceClass.FULL,
    "full": ServiceClass.FULL,
    "mot phan": ServiceClass.PARTIAL,
    "partial": ServiceClass.PARTIAL,
}
#: rows of an imported catalogue spreadsheet, the header included
MAX_ROWS = 5000


class ImportFailed(RowsRefused):
    """The spreadsheet has errors; ``errors`` lists each (row, column, message). Nothing saved."""

    def __init__(self, errors: list[RowError]):
        super().__init__(
            errors, _("Tệp có {n} lỗi; chưa nhập thủ tục nào. Dòng {row}, cột “{field}”: {msg}")
        )


def _text(value: Any) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _int(value: Any, field: str, label: Any, *, low: int, high: int) -> int:
    text = _text(value).replace(".", "").replace(",", "").replace(" ", "")
    if text == "" and field == "fee":
        return 0
    try:
        number = int(float(text)) if text else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ValidationFailed(
            format_lazy(
                _("{label}: phải là số nguyên từ {low} đến {high}."),
                label=label,
                low=low,
                high=high,
            ),
            field=field,
        )
    return number


def _documents(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return value
    out = []
    for i, part in enumerate(re.split(r"[;\n]+", _text(value))):
        name = part.strip()
        if not name:
            continue
        required = name.startswith("*")
        name = name.lstrip("*").strip()[:300]
        out.append({"key": f"tp{i + 1}", "name": name, "required": required})
    return out


def clean_procedure(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validated procedure fields from raw values (spreadsheet cells or the fixture)."""
    code = _text(raw.get("code"))
    if not code or len(code) > 40 or not re.fullmatch(r"[\w.\-]+", code):
        raise ValidationFailed(
            _("Mã thủ tục: bắt buộc, tối đa 40 ký tự, không có dấu cách."), field="code"
        )
    name = " ".join(_text(raw.get("name")).split())
    if not name or len(name) > 400:
        raise ValidationFailed(_("Tên thủ tục: bắt buộc, tối đa 400 ký tự."), field="name")
    level = raw.get("authority_level")
    level = level if level in AuthorityLevel.values else LEVELS.get(fold(_text(level)))
    if level is None:
        raise ValidationFailed(
            _("Cấp thực hiện: phải là xã, tỉnh hoặc trung ương."), field="authority_level"
        )
    service = raw.get("service_class")
    service = service if service in ServiceClass.values else CLASSES.get(fold(_text(service)))
    if service is None:
        raise ValidationFailed(
            _("Mức độ dịch vụ: phải là “toàn trình” hoặc “một phần”."), field="service_class"
        )
    schema = raw.get("form_schema") or {}
    if isinstance(schema, str):
        try:
            schema = json.loads(schema) if schema.strip() else {}
        except json.JSONDecodeError:
            raise ValidationFailed(
                _("Biểu mẫu: không phải JSON hợp lệ."), field="form_schema"
            ) from None
    if schema:
        check_schema(schema)
    old_level = raw.get("old_level")
    return {
        "code": code,
        "name": name,
        "domain": " ".join(_text(raw.get("domain")).split())[:120],
        "authority_level": level,
        "legal_basis": _text(raw.get("legal_basis"))[:4000],
        "required_documents": _documents(raw.get("required_documents")),
        "fee": _int(raw.get("fee"), "fee", _("Lệ phí"), low=0, high=100_000_000),
        "fee_note": _text(raw.get("fee_note"))[:300],
        "copy_fee": int(raw.get("copy_fee") or 0),
        "processing_days": _int(
            raw.get("processing_days"), "processing_days", _("Thời hạn giải quyết"), low=0, high=365
        ),
        "service_class": service,
        "old_level": _int(
            old_level if old_level not in (None, "") else 2,
            "old_level",
            _("Mức độ cũ"),
            low=1,
            high=4,
        ),
        "form_schema": schema,
        "registry_event": _text(raw.get("registry_event"))[:30],
        "registry_data": raw.get("registry_data") or {},
    }


@transaction.atomic
def procedure_save(*, actor: Actor, values: Mapping[str, Any]) -> Procedure:
    clean = clean_procedure(values)
    procedure, _created = Procedure.objects.update_or_create(code=clean["code"], defaults=clean)
    return procedure


@transaction.atomic
def catalogue_load_builtin(*, actor: Actor = None) -> int:
    """(Re)load the shipped civil-status procedures; returns how many."""
    from hotich.portal.catalogue_data import procedures

    ids = [procedure_save(actor=actor, values=p).pk for p in procedures()]
    audit_bulk(
        actor=actor,
        action="bulk",
        object_type="portal.procedure",
        object_ids=ids,
        detail={"source": "builtin"},
    )
    return len(ids)


def _rows(data: bytes) -> tuple[list[str | None], list[Row]]:
    rows = read_sheet(data, max_rows=MAX_ROWS).rows
    if not rows:
        raise ValidationFailed(_("Tệp không có dòng tiêu đề."), field="file")
    (_number, header_row), body = rows[0], rows[1:]
    return [HEADERS.get(fold(_text(c)).replace("_", " ")) for c in header_row], body


def catalogue_import(*, actor: Actor, data: bytes) -> int:
    """Import a catalogue spreadsheet (first sheet, a header row; see README for the columns).
    Every row is checked first; any error refuses the whole file, listing each row's error."""
    header, body = _rows(data)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            format_lazy(_("Thiếu cột bắt buộc: {cols}."), cols=", ".join(missing)), field="file"
        )
    errors: list[RowError] = []
    cleaned: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, cells in body:
        raw = {f: v for f, v in zip(header, cells, strict=False) if f}
        try:
            clean = clean_procedure(raw)
        except ValidationFailed as exc:
            errors.append(RowError(number, exc.field or "", str(exc)))
            continue
        if clean["code"] in seen:
            errors.append(
                RowError(
                    number,
                    "code",
                    str(
                        format_lazy(_("Mã thủ tục trùng với dòng {row}."), row=seen[clean["code"]])
                    ),
                )
            )
            continue
        seen[clean["code"]] = number
        cleaned.append(clean)
    if not cleaned and not errors:
        raise ValidationFailed(_("Tệp không có thủ tục nào."), field="file")
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        ids = []
        for clean in cleaned:
            existing = Procedure.objects.filter(code=clean["code"]).first()
            if existing is not None and existing.registry_event:
                # keep the shipped civil-status link and form unless the sheet gives a form
                clean["registry_event"] = existing.registry_event
                clean["registry_data"] = existing.registry_data
                clean["copy_fee"] = existing.copy_fee
                clean["form_schema"] = clean["form_schema"] or existing.form_schema
            procedure, _created = Procedure.objects.update_or_create(
                code=clean["code"], defaults=clean
            )
            ids.append(procedure.pk)
        audit_bulk(
            actor=actor,
            action="bulk",
            object_type="portal.procedure",
            object_ids=ids,
            detail={"source": "spreadsheet"},
        )
    return len(ids)
