"""Columns of a legacy spreadsheet → the register fields of an event type.

A target is ``registration_date``, ``entry_number``, ``page_number``, ``officer_name``,
``signer_name``, ``<role>.<person field>`` (``child.full_name``) or ``data.<field>``
(``data.death_date``). :func:`guess_mapping` proposes one from the header texts; the officer
corrects it before the preview.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed
from hotich.core.text import fold
from hotich.registry.vocabulary import PERSON_FIELDS, role_label, spec_for

RECORD_TARGETS: dict[str, str | Promise] = {
    "entry_number": _("Số đăng ký (số thứ tự trong sổ)"),
    "registration_date": _("Ngày đăng ký"),
    "page_number": _("Số trang"),
    "officer_name": _("Người thực hiện"),
    "signer_name": _("Người ký"),
    "signer_title": _("Chức vụ người ký"),
}
REQUIRED = ("registration_date",)

#: Folded words of header texts that name a person field.
_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "personal_id": ("so dinh danh", "dinh danh", "cccd", "cmnd", "can cuoc"),
    "birth_date": ("ngay sinh", "nam sinh", "ngay thang nam sinh", "sinh ngay"),
    "birth_place": ("noi sinh",),
    "sex": ("gioi tinh", "gioi", "nam nu", "phai"),
    "ethnicity": ("dan toc",),
    "nationality": ("quoc tich",),
    "residence": ("noi cu tru", "cu tru", "thuong tru", "dia chi", "noi o", "tru quan"),
    "home_town": ("que quan", "nguyen quan", "que"),
    "full_name": ("ho va ten", "ho ten", "ho, chu dem va ten", "ten"),
}
#: Folded words that name a role in a header ("Họ tên cha", "Ngày sinh vợ").
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "father": ("cha", "bo"),
    "mother": ("me",),
    "husband": ("chong", "ben nam"),
    "wife": ("vo", "ben nu"),
    "deceased": ("nguoi chet", "nguoi mat", "nguoi qua doi"),
    "child": ("con", "tre", "nguoi duoc khai sinh", "khai sinh"),
    "subject": ("nguoi duoc dang ky",),
}
_RECORD_WORDS: dict[str, tuple[str, ...]] = {
    "entry_number": ("so dang ky", "so dk", "so"),
    "signer_title": ("chuc vu nguoi ky", "chuc vu"),
    "registration_date": ("ngay dang ky", "ngay dk", "ngay ghi so"),
    "page_number": ("so trang", "trang", "to so"),
    "officer_name": ("nguoi thuc hien", "can bo", "can bo tu phap", "nguoi ghi so"),
    "signer_name": ("nguoi ky", "chu tich", "nguoi ky giay"),
}


#: Folded header words of event fields (``data.<name>``) beyond their labels.
_DATA_WORDS: dict[str, tuple[str, ...]] = {
    "death_date": ("ngay chet", "ngay gio chet", "ngay, gio chet", "ngay mat", "chet ngay"),
    "death_place": ("noi chet", "noi mat"),
    "death_cause": ("nguyen nhan chet", "nguyen nhan"),
    "kind": ("loai dang ky", "loai viec"),
}


@dataclass(frozen=True)
class Target:
    name: str
    label: str | Promise


def targets(event_type: str) -> list[Target]:
    """Every field a column may be mapped to for ``event_type``, in form order."""
    spec = spec_for(event_type)
    out = [Target(name, label) for name, label in RECORD_TARGETS.items()]
    for party in spec.parties:
        for key, label in PERSON_FIELDS.items():
            out.append(
                Target(
                    f"{party.role}.{key}",
                    format_lazy("{}: {}", role_label(party.role), label),
                )
            )
    for field in spec.fields:
        out.append(Target(f"data.{field.name}", field.label))
    return out


def _has_words(text: str, words: Sequence[str]) -> str | None:
    for word in words:
        if re.search(rf"(?:^|\W){re.escape(word)}(?:$|\W)", text):
            return word
    return None


def guess_target(header: str, event_type: str) -> str:
    """The likely target of a column from its header text, or ``""``."""
    spec = spec_for(event_type)
    text = fold(header).strip()
    if not text:
        return ""
    names = {t.name for t in targets(event_type)}
    for target, words in _RECORD_WORDS.items():
        if text in words or (target != "entry_number" and _has_words(text, words)):
            return target
    for field in spec.fields:
        if text == fold(str(field.label)) or _has_words(text, _DATA_WORDS.get(field.name, ())):
            return f"data.{field.name}"
    roles = [p.role for p in spec.parties]
    role = next((r for r in roles if r in _ROLE_WORDS and _has_words(text, _ROLE_WORDS[r])), None)
    for key, words in _FIELD_WORDS.items():
        found = _has_words(text, words)
        if not found:
            continue
        rest = text.replace(found, " ")
        chosen = role or next(
            (r for r in roles if r in _ROLE_WORDS and _has_words(rest, _ROLE_WORDS[r])), roles[0]
        )
        name = f"{chosen}.{key}"
        return name if name in names else ""
    for field in spec.fields:
        if _has_words(text, (fold(str(field.label)),)):
            return f"data.{field.name}"
    return ""


def guess_mapping(headers: Sequence[str], event_type: str) -> dict[str, str]:
    """Column index (as text) → target, each target used once (the first column wins)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        target = guess_target(header, event_type)
        if target and target not in used:
            mapping[str(index)] = target
            used.add(target)
    return mapping


def check_mapping(mapping: Mapping[str, str], headers: Sequence[str], event_type: str) -> None:
    """Refuse a mapping naming an unknown column or field, a field twice, or missing the
    fields every entry needs (the registration date and the principal person's name)."""
    names = {t.name for t in targets(event_type)}
    seen: dict[str, str] = {}
    for column, target in mapping.items():
        if not target:
            continue
        if not column.isdigit() or int(column) >= len(headers):
            raise ValidationFailed(_("Cột không có trong tệp."), field="mapping")
        if target not in names:
            raise ValidationFailed(
                format_lazy(_("Trường “{target}” không có trong loại việc này."), target=target),
                field="mapping",
            )
        if target in seen:
            raise ValidationFailed(
                format_lazy(
                    _("Hai cột “{a}” và “{b}” cùng được gán vào một trường."),
                    a=headers[int(seen[target])],
                    b=headers[int(column)],
                ),
                field="mapping",
            )
        seen[target] = column
    spec = spec_for(event_type)
    required = [*REQUIRED, *(f"{p.role}.full_name" for p in spec.parties if p.required)]
    label = {t.name: t.label for t in targets(event_type)}
    missing = [name for name in required if name not in seen]
    if missing:
        raise ValidationFailed(
            format_lazy(
                _("Tệp thiếu cột bắt buộc: {fields}."),
                fields=", ".join(str(label[m]) for m in missing),
            ),
            field="mapping",
            code="missing_columns",
        )


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2})?$")


def normalize_date(value: str) -> str:
    """Dates as old files write them (``05/03/1985``, ``3/1985``, ``1985``) to ISO 8601 partial
    (``1985-03-05``, ``1985-03``, ``1985``); anything else is left for the register to refuse."""
    text = value.strip()
    if match := _DMY.match(text):
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if match := _MY.match(text):
        month, year = match.groups()
        return f"{year}-{int(month):02d}"
    if match := _ISO_TIME.match(text):
        return match.group(1)
    return text


def _number(value: str, field: str, label: str | Promise) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationFailed(
            format_lazy(_("{label}: “{value}” không phải số."), label=label, value=text[:20]),
            field=field,
        )
    return int(text)


def _choice_code(value: str, choices: Sequence[tuple[str, Any]]) -> str:
    """A choice written as its label ("Quá hạn") or its code ("late") → the code."""
    folded = fold(value).strip()
    for code, label in choices:
        if folded in (fold(str(code)), fold(str(label))):
            return str(code)
    return value


def row_input(
    row: Sequence[str], mapping: Mapping[str, str], event_type: str | None = None
) -> dict[str, Any]:
    """One row as keyword arguments of ``registry.services.record_create``."""
    spec = spec_for(event_type) if event_type else None
    values = {target: row[int(column)] for column, target in mapping.items() if target}
    parties: dict[str, dict[str, str]] = {}
    data: dict[str, str] = {}
    out: dict[str, Any] = {}
    for target, value in values.items():
        if target in ("entry_number", "page_number"):
            out[target] = _number(value, target, RECORD_TARGETS[target])
        elif target in ("officer_name", "signer_name", "signer_title"):
            out[target] = value
        elif target == "registration_date":
            out[target] = normalize_date(value)
        elif target.startswith("data."):
            name = target[5:]
            field = spec.field(name) if spec else None
            if field is not None and field.choices and value.strip():
                value = _choice_code(value, field.choices)
            data[name] = normalize_date(value) if name.endswith("_date") else value
        else:
            role, key = target.split(".", 1)
            parties.setdefault(role, {})[key] = (
                normalize_date(value) if key == "birth_date" else value
            )
    out["parties"] = {role: v for role, v in parties.items() if any(x.strip() for x in v.values())}
    out["data"] = data
    return out


def registration_year(value: str) -> int | None:
    match = re.match(r"^(\d{4})", normalize_date(value))
    return int(match.group(1)) if match else None
