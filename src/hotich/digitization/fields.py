"""The fields keyed for an entry of a book, derived from the registry's event spec.

A keyed value is ``{"v": text, "m": marker}`` where the marker is ``""`` (written as keyed),
``"illegible"`` (cannot be read on the page) or ``"blank"`` (left empty on the page). Field
names follow the registry: ``registration_date``, ``<role>.<person field>``, ``<data field>``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core import dates
from hotich.core.errors import ValidationFailed
from hotich.core.text import nfc
from hotich.registry.vocabulary import PERSON_FIELDS, PRINCIPAL_ROLES, role_label, spec_for

MARKERS = ("", "illegible", "blank")
MARKER_LABELS = {"illegible": _("không đọc được"), "blank": _("để trống")}

# Person fields keyed for principal persons and for the others (parents, declarants…).
_PRINCIPAL_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "ethnicity",
    "nationality",
    "residence",
    "home_town",
)
_OTHER_FIELDS = ("full_name", "birth_date", "ethnicity", "nationality", "residence")
_PLACE_FIELDS = {"birth_place", "residence", "home_town", "death_place"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.](\d{4})$")


@dataclass(frozen=True)
class KeyField:
    name: str
    label: Any
    kind: str = "text"  # text | date | sex | choice | place
    choices: tuple[tuple[str, Any], ...] = ()
    max_length: int = 255


def fields_for(event_type: str) -> list[KeyField]:
    """The keying form of a book's event type, in the order of the paper entry."""
    spec = spec_for(event_type)
    out = [KeyField("registration_date", _("Ngày đăng ký"), "date")]
    for party in spec.parties:
        principal = party.role in PRINCIPAL_ROLES
        for key in _PRINCIPAL_FIELDS if principal else _OTHER_FIELDS:
            if key == "sex" and party.sex:
                continue
            kind = {"birth_date": "date", "sex": "sex"}.get(key, "text")
            if key in _PLACE_FIELDS:
                kind = "place"
            out.append(
                KeyField(
                    f"{party.role}.{key}",
                    format_lazy(
                        "{role} — {field}", role=role_label(party.role), field=PERSON_FIELDS[key]
                    ),
                    kind,
                    max_length=100 if key == "full_name" else 255,
                )
            )
    for field in spec.fields:
        kind = field.kind
        if field.name in _PLACE_FIELDS:
            kind = "place"
        out.append(KeyField(field.name, field.label, kind, field.choices, field.max_length))
    out.append(KeyField("signer_name", _("Người ký"), max_length=100))
    return out


def normalize(value: dict[str, str] | None) -> tuple[str, str]:
    """The comparison key of a keyed value: marker, then NFC text with spacing collapsed and
    case folded (so "nguyễn  Văn An" and "Nguyễn Văn An" agree)."""
    if not value:
        return ("", "")
    marker = value.get("m", "")
    if marker:
        return (marker, "")
    return ("", unicodedata.normalize("NFC", nfc(str(value.get("v", "")))).casefold())


def clean_date(text: str) -> str:
    """A keyed date as ISO (full or partial); ``dd/mm/yyyy`` and ``mm/yyyy`` are accepted."""
    text = text.strip()
    if m := _DMY.match(text):
        text = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    elif m := _MY.match(text):
        text = f"{m.group(2)}-{int(m.group(1)):02d}"
    m = _DATE.match(text)
    if not m:
        raise ValueError(text)
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    import datetime as dt

    if month is not None and not 1 <= month <= 12:
        raise ValueError(text)
    if day is not None:
        dt.date(year, month or 1, day)
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def clean_values(event_type: str, raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Check keyed input ``{field: {"v", "m"}}`` against the form; unknown fields refused."""
    fields = {f.name: f for f in fields_for(event_type)}
    unknown = set(raw) - set(fields)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(
            format_lazy(_("Trường “{name}” không có trong mẫu nhập."), name=name[:60]), field=name
        )
    out: dict[str, dict[str, str]] = {}
    for name, field in fields.items():
        item = raw.get(name) or {}
        marker = str(item.get("m", "") or "")
        if marker not in MARKERS:
            raise ValidationFailed(
                format_lazy(_("{label}: đánh dấu không hợp lệ."), label=field.label), field=name
            )
        if marker:
            out[name] = {"v": "", "m": marker}
            continue
        text = nfc(str(item.get("v", "") or ""))
        if len(text) > field.max_length:
            raise ValidationFailed(
                format_lazy(
                    _("{label}: dài quá {limit} ký tự."), label=field.label, limit=field.max_length
                ),
                field=name,
            )
        if text and field.kind == "date":
            try:
                text = clean_date(text)
            except ValueError:
                raise ValidationFailed(
                    format_lazy(
                        _(
                            "{label}: “{value}” không phải ngày (NNNN, NNNN-TT, NNNN-TT-NN "
                            "hoặc NN/TT/NNNN)."
                        ),
                        label=field.label,
                        value=text[:20],
                    ),
                    field=name,
                ) from None
        if text and field.kind == "sex":
            folded = text.casefold()
            text = {"m": "M", "nam": "M", "f": "F", "nữ": "F", "nu": "F"}.get(folded, "")
            if not text:
                raise ValidationFailed(
                    format_lazy(_("{label}: chọn Nam hoặc Nữ."), label=field.label), field=name
                )
        if text and field.kind == "choice" and text not in {c for c, _l in field.choices}:
            raise ValidationFailed(
                format_lazy(_("{label}: lựa chọn không hợp lệ."), label=field.label), field=name
            )
        out[name] = {"v": text, "m": ""}
    return out


_KEYED_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def display(value: dict[str, str] | None) -> str:
    """A keyed value as shown to people: the text (a date as people write it), or the marker's
    label."""
    if not value:
        return ""
    marker = value.get("m", "")
    if marker:
        return f"[{MARKER_LABELS.get(marker, marker)}]"
    text = str(value.get("v", ""))
    return dates.display(text) if _KEYED_DATE.match(text) else text


#: How the exchange spreadsheet writes the markers (fixed Vietnamese, whatever the UI language).
EXCHANGE_MARKERS = {"illegible": "[không đọc được]", "blank": "[để trống]"}


def exchange_text(value: dict[str, str] | None) -> str:
    """A keyed value as the exchange spreadsheet writes it."""
    if not value:
        return ""
    marker = value.get("m", "")
    if marker:
        return EXCHANGE_MARKERS.get(marker, f"[{marker}]")
    return str(value.get("v", ""))


def exchange_value(text: object) -> dict[str, str]:
    """A cell of the exchange spreadsheet back into a keyed value."""
    cell = "" if text is None else str(text).strip()
    for marker, token in EXCHANGE_MARKERS.items():
        if cell == token:
            return {"v": "", "m": marker}
    return {"v": cell, "m": ""}
