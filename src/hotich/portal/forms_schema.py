"""A procedure's online form: its schema (checked with jsonschema) and the validation of what a
citizen typed, field by field, with Vietnamese messages (English through gettext).

A schema is ``{"sections": [{"title": str, "fields": [field, ...]}], "applicant": name}``; a
field is ``{"name", "label", "type", "required", "max_length", "choices": [[value, label]],
"help"}``. ``type`` is one of ``text, textarea, name, date, choice, phone, email, number,
personal_id``. Names ``<role>.<person field>`` and ``data.<field>`` feed the register record
when the procedure registers a civil-status event (``Procedure.registry_event``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.dates import to_date
from hotich.core.errors import FormInvalid, ValidationFailed
from hotich.core.text import nfc

TYPES = ("text", "textarea", "name", "date", "choice", "phone", "email", "number", "personal_id")

META_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["sections"],
    "properties": {
        "applicant": {"type": "string"},
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["title", "fields"],
                "properties": {
                    "title": {"type": "string"},
                    "fields": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "label", "type"],
                            "properties": {
                                "name": {"type": "string", "pattern": r"^[a-z_]+(\.[a-z_]+)?$"},
                                "label": {"type": "string", "minLength": 1},
                                "type": {"enum": list(TYPES)},
                                "required": {"type": "boolean"},
                                "max_length": {"type": "integer", "minimum": 1},
                                "choices": {
                                    "type": "array",
                                    "items": {
                                        "type": "array",
                                        "minItems": 2,
                                        "maxItems": 2,
                                        "items": {"type": "string"},
                                    },
                                },
                                "help": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
            },
        },
    },
    "additionalProperties": False,
}

_PHONE = re.compile(r"^(?:\+?84|0)(?:3|5|7|8|9)\d{8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
DEFAULT_MAX = {"textarea": 1000, "name": 100}
#: the party roles and person fields of the registry's record input (registry README)
REGISTRY_ROLES = frozenset(
    [
        "child",
        "father",
        "mother",
        "parent",
        "husband",
        "wife",
        "deceased",
        "subject",
        "guardian",
        "ward",
        "petitioner",
    ]
)
PERSON_KEYS = frozenset(
    [
        "full_name",
        "sex",
        "birth_date",
        "birth_place",
        "ethnicity",
        "nationality",
        "personal_id",
        "residence",
        "home_town",
    ]
)


def check_schema(schema: Any) -> None:
    """Refuse a malformed form schema (used by the catalogue import and the fixture)."""
    try:
        jsonschema.validate(schema, META_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "schema"
        raise ValidationFailed(
            format_lazy(_("Biểu mẫu trực tuyến không hợp lệ tại “{where}”."), where=where),
            field="form_schema",
        ) from None
    names = [f["name"] for f in iter_fields(schema)]
    if len(names) != len(set(names)):
        raise ValidationFailed(_("Biểu mẫu có hai trường trùng tên."), field="form_schema")
    for field in iter_fields(schema):
        if field["type"] == "choice" and not field.get("choices"):
            raise ValidationFailed(
                format_lazy(_("Trường “{name}” chưa có danh sách lựa chọn."), name=field["name"]),
                field="form_schema",
            )


def iter_fields(schema: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for section in schema.get("sections", []):
        yield from section.get("fields", [])


def clean_value(field: Mapping[str, Any], raw: Any, *, today: dt.date) -> str:
    """One field's cleaned value ("" when empty) or ValidationFailed naming the field."""
    name, label, kind = field["name"], field["label"], field["type"]
    text = nfc(str(raw if raw is not None else "")).strip()
    if kind != "textarea":
        text = " ".join(text.split())
    if not text:
        if field.get("required"):
            raise ValidationFailed(
                format_lazy(_("{label}: chưa nhập (bắt buộc)."), label=label), field=name
            )
        return ""
    limit = field.get("max_length") or DEFAULT_MAX.get(kind, 255)
    if len(text) > limit:
        raise ValidationFailed(
            format_lazy(_("{label}: dài quá {n} ký tự."), label=label, n=limit), field=name
        )
    if kind == "name" and not _NAME.match(text):
        raise ValidationFailed(
            format_lazy(_("{label}: chỉ gồm chữ cái và dấu cách."), label=label), field=name
        )
    if kind == "date":
        day = to_date(text)
        if day is None:
            raise ValidationFailed(
                format_lazy(_("{label}: ngày không hợp lệ (ngày/tháng/năm)."), label=label),
                field=name,
            )
        if day > today:
            raise ValidationFailed(
                format_lazy(_("{label}: không được sau ngày hôm nay."), label=label), field=name
            )
        if day.year < 1900:
            raise ValidationFailed(
                format_lazy(_("{label}: năm phải từ 1900 trở đi."), label=label), field=name
            )
        return day.isoformat()
    if kind == "choice" and text not in {c[0] for c in field.get("choices", [])}:
        raise ValidationFailed(
            format_lazy(_("{label}: giá trị không có trong danh sách."), label=label), field=name
        )
    if kind == "phone":
        digits = re.sub(r"[\s.\-]", "", text)
        if not _PHONE.match(digits):
            raise ValidationFailed(
                format_lazy(_("{label}: số điện thoại không hợp lệ."), label=label), field=name
            )
        return digits
    if kind == "email" and not _EMAIL.match(text):
        raise ValidationFailed(
            format_lazy(_("{label}: địa chỉ thư điện tử không hợp lệ."), label=label), field=name
        )
    if kind == "number" and not text.isdigit():
        raise ValidationFailed(
            format_lazy(_("{label}: phải là số nguyên không âm."), label=label), field=name
        )
    if kind == "personal_id" and not re.fullmatch(r"\d{12}", text.replace(" ", "")):
        raise ValidationFailed(
            format_lazy(_("{label}: số định danh cá nhân phải gồm 12 chữ số."), label=label),
            field=name,
        )
    return text.replace(" ", "") if kind == "personal_id" else text


def clean_form(
    schema: Mapping[str, Any], data: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, str]:
    """Every field of ``schema`` cleaned from ``data``; FormInvalid with all errors at once.
    Keys not in the schema are ignored."""
    today = today or timezone.localdate()
    out: dict[str, str] = {}
    errors: dict[str, Any] = {}
    for field in iter_fields(schema):
        try:
            out[field["name"]] = clean_value(field, data.get(field["name"]), today=today)
        except ValidationFailed as exc:
            errors[field["name"]] = exc.message
    if errors:
        raise FormInvalid(errors)
    return out


def registry_input(
    form_data: Mapping[str, str], *, fixed: Mapping[str, Any] | None = None
) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """``(parties, data)`` for ``registry.services.record_create`` from cleaned form data:
    ``<role>.<field>`` → parties, ``data.<field>`` → data (over the procedure's fixed data).
    A party none of whose fields was filled is left out."""
    parties: dict[str, dict[str, str]] = {}
    data: dict[str, Any] = dict(fixed or {})
    for key, value in form_data.items():
        head, _sep, tail = key.partition(".")
        if head == "data" and tail:
            if value:
                data[tail] = value
        elif head in REGISTRY_ROLES and tail in PERSON_KEYS:
            parties.setdefault(head, {})[tail] = value
    parties = {r: v for r, v in parties.items() if any(v.values())}
    return parties, data
