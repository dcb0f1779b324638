"""Per-event field lists: which rows an extract or certificate prints, in the forms' order.

A layout takes a :class:`RecordData` (the record's current values as plain data, independent of
the ORM) and returns the document's sections. Birth follows the Giấy khai sinh form (the child,
then the mother, then the father), marriage the Giấy chứng nhận kết hôn (husband, wife), death the
Trích lục khai tử; every other event gets the generic layout: one section per party and one for
the event's own fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hotich.registry.extracts.document import FieldRow, Kind, Section
from hotich.registry.vocabulary import SPECS, EventType, role_label

Parties = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class RecordData:
    """A record's current values: ``parties`` maps a role (``child``, ``mother``...) to the
    person's fields (``full_name``, ``sex``, ``birth_date`` as ISO full or partial text,
    ``birth_place``, ``ethnicity``, ``nationality``, ``personal_id``, ``residence``, ``home_town``,
    ``identity_document``); ``data`` holds the event's own fields."""

    event_type: str
    parties: Parties = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)

    def party(self, role: str) -> Mapping[str, Any]:
        return self.parties.get(role) or {}


# -- formatting ------------------------------------------------------------------------------

SEX_LABELS = {"M": "Nam", "F": "Nữ"}
_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _two_digits_words(n: int) -> str:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return _DIGIT_WORDS[unit]
    head = "mười" if tens == 1 else f"{_DIGIT_WORDS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens >= 2:
        tail = "mốt"
    elif unit == 4 and tens >= 2:
        tail = "tư"
    else:
        tail = _DIGIT_WORDS[unit]
    return f"{head} {tail}"


def number_words(n: int) -> str:
    """Vietnamese words for 0 ≤ n < 10 000, as a year or a day is read aloud."""
    if not 0 <= n < 10_000:
        raise ValueError(n)
    if n < 100:
        return _two_digits_words(n)
    thousands, rest = divmod(n, 1000)
    hundreds, below = divmod(rest, 100)
    parts: list[str] = []
    if thousands:
        parts.append(f"{_DIGIT_WORDS[thousands]} nghìn")
    if hundreds or (thousands and below):
        parts.append(f"{_DIGIT_WORDS[hundreds]} trăm")
    if below:
        if below < 10 and parts:
            parts.append(f"linh {_DIGIT_WORDS[below]}")
        else:
            parts.append(_two_digits_words(below))
    return " ".join(parts)


def date_in_words(day: dt.date) -> str:
    """``Ngày hai, tháng ba, năm hai nghìn không trăm hai mươi tư`` (Giấy khai sinh)."""
    month = "tư" if day.month == 4 else number_words(day.month)
    return f"Ngày {number_words(day.day)}, tháng {month}, năm {number_words(day.year)}"


def parse_partial(value: Any) -> tuple[int, int | None, int | None] | None:
    """``date``/``"YYYY"``/``"YYYY-MM"``/``"YYYY-MM-DD"`` → (year, month, day)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    parts = str(value).strip().split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= 3:
        return None
    padded: list[int | None] = [*numbers, None, None]
    return numbers[0], padded[1], padded[2]


def format_date(value: Any) -> str:
    """``dd/mm/yyyy``, ``mm/yyyy`` or ``yyyy`` as far as the date is known."""
    parsed = parse_partial(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    year, month, day = parsed
    if day is not None and month is not None:
        return f"{day:02d}/{month:02d}/{year:04d}"
    if month is not None:
        return f"{month:02d}/{year:04d}"
    return f"{year:04d}"


def format_date_words(value: Any) -> str:
    parsed = parse_partial(value)
    if parsed is None or parsed[1] is None or parsed[2] is None:
        return ""
    year, month, day = parsed
    assert month is not None and day is not None
    try:
        return date_in_words(dt.date(year, month, day))
    except ValueError:
        return ""


def birth_year_of(person: Mapping[str, Any]) -> str:
    if person.get("birth_year"):
        return str(person["birth_year"])
    parsed = parse_partial(person.get("birth_date"))
    return f"{parsed[0]:04d}" if parsed else ""


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# -- layouts ---------------------------------------------------------------------------------


def _parent_section(person: Mapping[str, Any], label: str) -> Section:
    return Section(
        "",
        (
            FieldRow(f"Họ, chữ đệm, tên {label}", text(person.get("full_name"))),
            FieldRow("Năm sinh", birth_year_of(person), half=True),
            FieldRow("Dân tộc", text(person.get("ethnicity")), half=True),
            FieldRow("Quốc tịch", text(person.get("nationality"))),
            FieldRow("Nơi cư trú", text(person.get("residence"))),
        ),
    )


def birth_layout(record: RecordData) -> tuple[Section, ...]:
    child = record.party("child")
    sections = [
        Section(
            "",
            (
                FieldRow("Họ, chữ đệm, tên", text(child.get("full_name")).upper()),
                FieldRow("Ngày, tháng, năm sinh", format_date(child.get("birth_date"))),
                FieldRow("ghi bằng chữ", format_date_words(child.get("birth_date"))),
                FieldRow("Giới tính", SEX_LABELS.get(text(child.get("sex")), ""), half=True),
                FieldRow("Dân tộc", text(child.get("ethnicity")), half=True),
                FieldRow("Quốc tịch", text(child.get("nationality"))),
                FieldRow("Nơi sinh", text(child.get("birth_place"))),
                FieldRow("Quê quán", text(child.get("home_town"))),
                FieldRow("Số định danh cá nhân", text(child.get("personal_id"))),
            ),
        ),
        _parent_section(record.party("mother"), "người mẹ"),
        _parent_section(record.party("father"), "người cha"),
    ]
    declarant = text(record.data.get("declarant_name"))
    if declarant:
        relation = text(record.data.get("declarant_relation"))
        sections.append(
            Section(
                "",
                (
                    FieldRow("Họ, chữ đệm, tên người đi đăng ký khai sinh", declarant),
                    FieldRow("Quan hệ với người được khai sinh", relation),
                ),
            )
        )
    return tuple(sections)


def _spouse_section(person: Mapping[str, Any], title: str) -> Section:
    return Section(
        title,
        (
            FieldRow("Họ, chữ đệm, tên", text(person.get("full_name")).upper()),
            FieldRow("Ngày, tháng, năm sinh", format_date(person.get("birth_date"))),
            FieldRow("Dân tộc", text(person.get("ethnicity")), half=True),
            FieldRow("Quốc tịch", text(person.get("nationality")), half=True),
            FieldRow("Nơi cư trú", text(person.get("residence"))),
            FieldRow("Số định danh cá nhân", text(person.get("personal_id"))),
            *(
                (FieldRow("Giấy tờ tùy thân", text(person.get("identity_document"))),)
                if person.get("identity_document")
                else ()
            ),
        ),
    )


def marriage_layout(record: RecordData) -> tuple[Section, ...]:
    return (
        _spouse_section(record.party("husband"), "Thông tin người chồng"),
        _spouse_section(record.party("wife"), "Thông tin người vợ"),
    )


def death_layout(record: RecordData) -> tuple[Section, ...]:
    person = record.party("deceased")
    data = record.data
    rows = [
        FieldRow("Họ, chữ đệm, tên", text(person.get("full_name")).upper()),
        FieldRow("Ngày, tháng, năm sinh", format_date(person.get("birth_date"))),
        FieldRow("Giới tính", SEX_LABELS.get(text(person.get("sex")), ""), half=True),
        FieldRow("Dân tộc", text(person.get("ethnicity")), half=True),
        FieldRow("Quốc tịch", text(person.get("nationality"))),
        FieldRow("Số định danh cá nhân", text(person.get("personal_id"))),
        FieldRow("Nơi cư trú cuối cùng", text(person.get("residence"))),
        FieldRow("Đã chết vào ngày", format_date(data.get("death_date"))),
        FieldRow("Nơi chết", text(data.get("death_place"))),
        FieldRow("Nguyên nhân chết", text(data.get("death_cause"))),
    ]
    sections = [Section("", tuple(rows))]
    if text(data.get("declarant_name")):
        sections.append(
            Section(
                "", (FieldRow("Họ, chữ đệm, tên người đi khai tử", text(data["declarant_name"])),)
            )
        )
    return tuple(sections)


def _person_rows(person: Mapping[str, Any]) -> tuple[FieldRow, ...]:
    rows = [FieldRow("Họ, chữ đệm, tên", text(person.get("full_name")).upper())]
    optional = (
        ("Ngày, tháng, năm sinh", format_date(person.get("birth_date")), False),
        ("Giới tính", SEX_LABELS.get(text(person.get("sex")), ""), True),
        ("Dân tộc", text(person.get("ethnicity")), True),
        ("Quốc tịch", text(person.get("nationality")), False),
        ("Số định danh cá nhân", text(person.get("personal_id")), False),
        ("Nơi cư trú", text(person.get("residence")), False),
    )
    rows.extend(FieldRow(label, value, half=half) for label, value, half in optional if value)
    return tuple(rows)


def _data_rows(
    event_type: str, data: Mapping[str, Any], *, skip: frozenset[str] = frozenset()
) -> tuple[FieldRow, ...]:
    spec = SPECS.get(event_type)
    rows: list[FieldRow] = []
    specs = spec.fields if spec else ()
    known = {f.name for f in specs}
    for f in specs:
        value = data.get(f.name)
        if value in (None, "") or f.name in skip:
            continue
        if f.kind == "date":
            shown = format_date(value)
        elif f.kind == "sex":
            shown = SEX_LABELS.get(text(value), text(value))
        elif f.choices:
            shown = str(dict(f.choices).get(value, value))
        else:
            shown = text(value)
        rows.append(FieldRow(str(f.label), shown))
    rows.extend(
        FieldRow(name, text(value))
        for name, value in data.items()
        if name not in known | skip and value not in (None, "") and not name.startswith("_")
    )
    return tuple(rows)


def generic_layout(record: RecordData) -> tuple[Section, ...]:
    spec = SPECS.get(record.event_type)
    roles = [p.role for p in spec.parties] if spec else list(record.parties)
    roles += [r for r in record.parties if r not in roles]
    sections = [
        Section(str(role_label(role)), _person_rows(record.party(role)))
        for role in roles
        if record.party(role)
    ]
    rows = _data_rows(record.event_type, record.data)
    if rows:
        sections.append(Section("Nội dung đăng ký", rows))
    return tuple(sections)


LAYOUTS: dict[str, Callable[[RecordData], tuple[Section, ...]]] = {
    EventType.BIRTH: birth_layout,
    EventType.ABROAD_BIRTH: birth_layout,
    EventType.MARRIAGE: marriage_layout,
    EventType.ABROAD_MARRIAGE: marriage_layout,
    EventType.MARRIAGE_RECOGNITION: marriage_layout,
    EventType.DEATH: death_layout,
}


#: Data fields the specific layouts already print, per layout.
_SHOWN: dict[Callable[[RecordData], tuple[Section, ...]], frozenset[str]] = {
    birth_layout: frozenset({"declarant_name", "declarant_relation", "kind"}),
    death_layout: frozenset({"death_date", "death_place", "death_cause", "declarant_name"}),
    marriage_layout: frozenset(),
}


def sections_for(record: RecordData) -> tuple[Section, ...]:
    layout = LAYOUTS.get(record.event_type, generic_layout)
    sections = layout(record)
    if layout is not generic_layout:
        # Events recorded from abroad or from a decision also print their own fields.
        extra = _data_rows(record.event_type, record.data, skip=_SHOWN[layout])
        if extra:
            sections += (Section("Nội dung đăng ký", extra),)
    return sections


def document_kind(event_type: str, *, copy: bool) -> Kind:
    """Originals of a birth or marriage are certificates; copies and every other event are
    extracts (trích lục ... bản sao)."""
    if not copy and event_type == EventType.BIRTH:
        return Kind.BIRTH_CERTIFICATE
    if not copy and event_type == EventType.MARRIAGE:
        return Kind.MARRIAGE_CERTIFICATE
    return Kind.EXTRACT


def event_label(event_type: str) -> str:
    """The event as an extract's title names it: ``khai sinh``, ``khai tử``…"""
    if event_type in EventType.values:
        label = str(EventType(event_type).label)
        return label[:1].lower() + label[1:]
    return event_type


def number_suffix(event_type: str, *, copy: bool) -> str:
    """``TLKS-BS`` (copy of a birth extract), ``TLKT`` (death extract), ``GKS``, ``GCNKH``."""
    kind = document_kind(event_type, copy=copy)
    if kind is Kind.BIRTH_CERTIFICATE:
        return "GKS"
    if kind is Kind.MARRIAGE_CERTIFICATE:
        return "GCNKH"
    spec = SPECS.get(event_type)
    code = spec.code if spec and spec.code else "HT"
    return f"TL{code}-BS" if copy else f"TL{code}"
