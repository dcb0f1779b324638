"""The indicator catalogue: disaggregations (categories) and indicators, and their spreadsheet.

An indicator's disaggregation is data: a :class:`Category` is any list of options (sex,
ethnicity, age group, urban/rural…); an indicator takes one or more categories and its values are
kept per combination of their options (the combination ``""`` when it has none). The catalogue is
imported from and exported to an XLSX sheet with the columns of :data:`COLUMNS`; an import saves
every row or none, and names each bad row.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from hotich.accounts.actors import Actor
from hotich.accounts.authz import permits, require
from hotich.agencies.selectors import organization_by_code
from hotich.audit.services import audit_record
from hotich.core.errors import ValidationFailed
from hotich.core.spreadsheets import read_sheet
from hotich.core.text import nfc
from hotich.reporting.models import (
    Aggregation,
    Category,
    CategoryOption,
    Indicator,
    ValueType,
)

COLUMNS = (
    "code",
    "name",
    "name_en",
    "unit_of_measure",
    "value_type",
    "aggregation_units",
    "aggregation_time",
    "categories",
    "legal_basis",
    "owner",
    "secret",
)
MAX_ROWS = 5000
YES = {"1", "x", "có", "co", "yes", "true", "mật", "mat"}
NO = {"", "0", "không", "khong", "no", "false"}
_REFUSED = _("Bạn không có quyền quản lý danh mục chỉ tiêu.")


@dataclass(frozen=True)
class OptionInput:
    code: str
    name: str
    name_en: str = ""


def category_save(
    *, actor: Actor, code: str, name: str, options: Sequence[OptionInput], name_en: str = ""
) -> Category:
    """Create or replace a disaggregation and its options (in the order given)."""
    require(actor, "reporting.indicators", message=_REFUSED)
    code = code.strip()
    codes = [o.code.strip() for o in options]
    if not code or not options or any(not c or "." in c for c in codes):
        raise ValidationFailed(
            _("Phân tổ cần mã và ít nhất một phương án; mã phương án không chứa dấu chấm."),
            field="options",
        )
    if len(set(codes)) != len(codes):
        raise ValidationFailed(_("Mã phương án phân tổ bị trùng."), field="options")
    with transaction.atomic():
        category, _created = Category.objects.update_or_create(
            code=code, defaults={"name": nfc(name), "name_en": name_en}
        )
        category.options.exclude(code__in=codes).delete()
        for order, option in enumerate(options):
            CategoryOption.objects.update_or_create(
                category=category,
                code=option.code.strip(),
                defaults={"name": nfc(option.name), "name_en": option.name_en, "order": order},
            )
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.category",
            object_id=code,
            detail={"options": codes},
        )
    return category


def combos(indicator: Indicator) -> list[tuple[str, str]]:
    """The option combinations of an indicator: ``(key, label)``, ``("", "")`` when it has no
    disaggregation."""
    lists = [
        [(o.code, o.name) for o in category.options.all()]
        for category in sorted(indicator.categories.all(), key=lambda c: c.code)
    ]
    if not lists:
        return [("", "")]
    return [
        (".".join(c for c, _n in combo), " · ".join(n for _c, n in combo))
        for combo in itertools.product(*lists)
    ]


def parse_value(indicator: Indicator, raw: object) -> Decimal:
    """A typed value of ``indicator`` from what was typed or read, or ValidationFailed."""
    text = str(raw).strip().replace(" ", "") if raw is not None else ""
    if indicator.value_type == ValueType.BOOLEAN:
        folded = text.lower()
        if folded in YES | {"c"}:
            return Decimal(1)
        if folded in NO - {""} | {"k"}:
            return Decimal(0)
        raise ValidationFailed(_("Chỉ nhập Có (1) hoặc Không (0)."), field="value")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(_("Giá trị phải là một số."), field="value") from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 15:
        raise ValidationFailed(_("Giá trị phải là một số."), field="value")
    if indicator.value_type == ValueType.INTEGER and value != value.to_integral_value():
        raise ValidationFailed(_("Chỉ tiêu này chỉ nhận số nguyên."), field="value")
    if indicator.value_type == ValueType.PERCENT and not 0 <= value <= 100:
        raise ValidationFailed(_("Tỷ lệ phần trăm phải từ 0 đến 100."), field="value")
    if indicator.value_type != ValueType.NUMBER and value < 0:
        raise ValidationFailed(_("Giá trị không được âm."), field="value")
    return value


def joined(errors: Sequence[str | Promise], *, limit: int) -> Promise:
    """The first ``limit`` messages joined by ``; `` (``…`` when there are more), translated
    when printed."""
    shown = list(errors[:limit])
    more = "…" if len(errors) > limit else ""
    return format_lazy("; ".join(["{}"] * len(shown)) + more, *shown)


def _text(cells: list[Any], index: int) -> str:
    value = cells[index] if index < len(cells) else None
    return nfc(str(value).strip()) if value is not None else ""


def _row(cells: list[Any], categories: dict[str, Category]) -> tuple[dict[str, Any], list[str]]:
    """The fields of one sheet row and the codes of its categories, or ValidationFailed."""
    row = {name: _text(cells, i) for i, name in enumerate(COLUMNS)}
    if not row["code"] or not row["name"]:
        raise ValidationFailed(_("thiếu mã hoặc tên chỉ tiêu"))
    if len(row["code"]) > 40 or " " in row["code"]:
        raise ValidationFailed(_("mã chỉ tiêu tối đa 40 ký tự, không có khoảng trắng"))
    if row["value_type"] not in ValueType.values:
        raise ValidationFailed(
            format_lazy(_("kiểu giá trị “{v}” không hợp lệ"), v=row["value_type"])
        )
    for key in ("aggregation_units", "aggregation_time"):
        if row[key] not in Aggregation.values:
            raise ValidationFailed(format_lazy(_("cách tổng hợp “{v}” không hợp lệ"), v=row[key]))
    weighted = [row[k] == Aggregation.WEIGHTED for k in ("aggregation_units", "aggregation_time")]
    if any(weighted) and not (
        all(weighted) and Indicator.objects.filter(code=row["code"], weight__isnull=False).exists()
    ):
        raise ValidationFailed(
            _(
                "cách tổng hợp “weighted” dùng cho cả đơn vị và thời gian, với chỉ tiêu trọng số "
                "đã đặt trong danh mục"
            )
        )
    codes = [c.strip() for c in row["categories"].split(",") if c.strip()]
    unknown = [c for c in codes if c not in categories]
    if unknown:
        raise ValidationFailed(
            format_lazy(_("phân tổ không có trong danh mục: {codes}"), codes=", ".join(unknown))
        )
    owner = None
    if row["owner"]:
        owner = organization_by_code(row["owner"])
        if owner is None:
            raise ValidationFailed(format_lazy(_("không có cơ quan mã {code}"), code=row["owner"]))
    secret = row["secret"].lower()
    if secret not in YES | NO:
        raise ValidationFailed(_("cột “secret” chỉ nhận có/không"))
    fields: dict[str, Any] = {k: row[k] for k in COLUMNS[1:9] if k != "categories"}
    fields.update(owner=owner, is_secret=secret in YES)
    for key, limit in (("name", 300), ("name_en", 300), ("unit_of_measure", 60)):
        if len(fields[key]) > limit:
            raise ValidationFailed(format_lazy(_("cột {col} quá dài"), col=key))
    fields["legal_basis"] = fields["legal_basis"][:300]
    return {"code": row["code"], **fields}, codes


def indicators_import(*, actor: Actor, content: bytes, name: str = "chi-tieu.xlsx") -> int:
    """Create or update the indicators of a sheet (first row: the headers of :data:`COLUMNS`).
    Every row or none: a bad row raises ValidationFailed naming each bad row."""
    require(actor, "reporting.indicators", message=_REFUSED)
    rows = read_sheet(content, name=name, max_rows=MAX_ROWS, formats=("xlsx", "csv")).rows
    if not rows or [_text(rows[0][1], i).lower() for i in range(2)] != ["code", "name"]:
        raise ValidationFailed(
            format_lazy(_("Dòng đầu phải là tiêu đề các cột: {cols}."), cols=", ".join(COLUMNS)),
            field="file",
        )
    categories = {c.code: c for c in Category.objects.all()}
    parsed: list[tuple[dict[str, Any], list[str]]] = []
    errors: list[str | Promise] = []
    seen: set[str] = set()
    for number, cells in rows[1:]:
        try:
            fields, codes = _row(cells, categories)
            if fields["code"] in seen:
                raise ValidationFailed(_("mã chỉ tiêu lặp lại trong tệp"))
            seen.add(fields["code"])
            parsed.append((fields, codes))
        except ValidationFailed as exc:
            errors.append(format_lazy(_("Dòng {n}: {error}"), n=number, error=exc.message))
    if errors:
        raise ValidationFailed(joined(errors, limit=20), field="file", code="rows")
    with transaction.atomic():
        for fields, codes in parsed:
            code = fields.pop("code")
            indicator, _created = Indicator.objects.update_or_create(code=code, defaults=fields)
            indicator.categories.set([categories[c] for c in codes])
        audit_record(
            actor=actor,
            action="import",
            object_type="reporting.indicator",
            object_id="catalogue",
            detail={"rows": len(parsed)},
        )
    return len(parsed)


def indicators_export(*, actor: Actor) -> bytes:
    """The catalogue as XLSX, in the layout :func:`indicators_import` reads."""
    require(actor, "reporting.view", message=_("Bạn không có quyền xem báo cáo."))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ChiTieu"
    sheet.append(list(COLUMNS))
    found = Indicator.objects.select_related("owner").prefetch_related("categories")
    if not permits(actor, "reporting.secret"):  # secret indicators only for those who may see
        found = found.filter(is_secret=False)
    for indicator in found:
        sheet.append(
            [
                indicator.code,
                indicator.name,
                indicator.name_en,
                indicator.unit_of_measure,
                indicator.value_type,
                indicator.aggregation_units,
                indicator.aggregation_time,
                ",".join(sorted(c.code for c in indicator.categories.all())),
                indicator.legal_basis,
                indicator.owner.code if indicator.owner else "",
                "có" if indicator.is_secret else "không",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
