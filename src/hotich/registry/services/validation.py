"""Pure validation of record input against the event specs and the rules of the Law.

Nothing here writes; every refusal is a :class:`ValidationFailed` whose Vietnamese message names
the field and the rule, and whose ``field`` is the input name (``child.birth_date``).
Rules that need the database (a party already married, a target record) live in ``records.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed
from hotich.core.text import fold, nfc, split_name
from hotich.people.personal_id import check_consistent
from hotich.registry.dates import PartialDate, age_on, parse_date
from hotich.registry.vocabulary import (
    NAME_PART_MAX,
    PERSON_FIELDS,
    PERSON_MAX_LENGTH,
    EventSpec,
    EventType,
    FieldSpec,
    PartySpec,
    Sex,
    role_label,
)

MARRIAGE_AGE = {"M": 20, "F": 18}  # Law on Marriage and Family 2014, art. 8
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_SEX_WORDS = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "female": "F"}


@dataclass
class CleanPerson:
    """A party's person as this entry writes it (``Party.as_written``)."""

    role: str
    values: dict[str, str]
    person_id: int | None = None

    @property
    def birth(self) -> PartialDate | None:
        value = self.values.get("birth_date")
        return _stored_partial(value) if value else None


@dataclass
class CleanRecord:
    event_type: str
    registration: PartialDate
    is_historic: bool
    parties: list[CleanPerson]
    data: dict[str, Any]
    changes: list[dict[str, Any]] = field(default_factory=list)

    def party(self, role: str) -> CleanPerson | None:
        return next((p for p in self.parties if p.role == role), None)


def _stored_partial(value: str) -> PartialDate:
    parts = [int(p) for p in value.split("-")]
    return PartialDate(parts[0], *[*parts[1:], None, None][:2])  # type: ignore[arg-type]


def _label(role: str | None, label: object) -> object:
    return format_lazy("{} – {}", role_label(role), label) if role else label


def _too_long(name: str, label: object, limit: int) -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("{label}: dài quá {limit} ký tự."), label=label, limit=limit), field=name
    )


def _required(name: str, label: object) -> ValidationFailed:
    return ValidationFailed(
        format_lazy(_("{label}: chưa nhập (bắt buộc)."), label=label), field=name
    )


def clean_text(
    value: object, *, name: str, label: object, max_length: int, required: bool = False
) -> str:
    text = nfc(str(value)) if value is not None else ""
    if not text and required:
        raise _required(name, label)
    if len(text) > max_length:
        raise _too_long(name, label, max_length)
    return text


def clean_sex(value: object, *, name: str, label: object, required: bool = False) -> str:
    text = fold(str(value or ""))
    if not text:
        if required:
            raise _required(name, label)
        return ""
    sex = _SEX_WORDS.get(text)
    if sex is None:
        raise ValidationFailed(
            format_lazy(
                _("{label}: “{value}” không hợp lệ, chọn Nam hoặc Nữ."),
                label=label,
                value=str(value)[:10],
            ),
            field=name,
        )
    return sex


def clean_name(value: object, *, name: str, label: object) -> dict[str, str]:
    """NFC, split into surname / middle / given, lengths and letters checked."""
    full = clean_text(
        value, name=name, label=label, max_length=PERSON_MAX_LENGTH["full_name"], required=True
    )
    if not _NAME_CHARS.match(full):
        raise ValidationFailed(
            format_lazy(_("{label}: chỉ được có chữ cái và dấu cách."), label=label), field=name
        )
    parts = split_name(full)
    for part in (parts.surname, parts.given):
        if len(part) > NAME_PART_MAX:
            raise _too_long(name, label, NAME_PART_MAX)
    return {
        "full_name": parts.full,
        "surname": parts.surname,
        "middle": parts.middle,
        "given": parts.given,
    }


def clean_person(
    raw: Mapping[str, Any],
    *,
    spec: PartySpec,
    is_historic: bool,
    today: dt.date,
    check_id: bool = True,
) -> CleanPerson:
    role = spec.role
    unknown = set(raw) - set(PERSON_FIELDS) - {"person_id", "surname", "middle", "given"}
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(
            format_lazy(_("Trường “{name}” không có trong thông tin người."), name=name[:40]),
            field=f"{role}.{name}",
        )

    def lbl(key: str) -> object:
        return _label(role, PERSON_FIELDS[key])

    full = raw.get("full_name")
    if not full and any(raw.get(k) for k in ("surname", "middle", "given")):
        full = " ".join(str(raw.get(k) or "") for k in ("surname", "middle", "given"))
    values: dict[str, str] = clean_name(full, name=f"{role}.full_name", label=lbl("full_name"))
    values["sex"] = clean_sex(raw.get("sex"), name=f"{role}.sex", label=lbl("sex"))
    if spec.sex:
        if values["sex"] and values["sex"] != spec.sex:
            raise ValidationFailed(
                format_lazy(
                    _("{label}: vai trò này phải là {sex}."),
                    label=lbl("sex"),
                    sex=Sex(spec.sex).label,
                ),
                field=f"{role}.sex",
            )
        values["sex"] = spec.sex
    birth = parse_date(
        raw.get("birth_date"),
        field=f"{role}.birth_date",
        label=lbl("birth_date"),
        allow_partial=is_historic or not spec.full_birth_date,
        today=today,
    )
    if birth is None and spec.full_birth_date and not is_historic:
        raise _required(f"{role}.birth_date", lbl("birth_date"))
    values["birth_date"] = birth.iso() if birth else ""
    for key in ("birth_place", "ethnicity", "nationality", "residence", "home_town"):
        values[key] = clean_text(
            raw.get(key), name=f"{role}.{key}", label=lbl(key), max_length=PERSON_MAX_LENGTH[key]
        )
    number = re.sub(r"\s+", "", str(raw.get("personal_id") or ""))
    if number and check_id:
        try:
            check_consistent(
                number, sex=values["sex"] or None, birth_year=birth.year if birth else None
            )
        except ValidationFailed as exc:
            raise ValidationFailed(
                format_lazy("{}: {}", lbl("personal_id"), exc.message),
                field=f"{role}.personal_id",
            ) from None
    values["personal_id"] = number
    person_id = raw.get("person_id")
    return CleanPerson(role=role, values=values, person_id=int(person_id) if person_id else None)


def clean_field(spec: FieldSpec, value: object, *, is_historic: bool, today: dt.date) -> Any:
    if spec.kind == "date":
        parsed = parse_date(
            value, field=spec.name, label=spec.label, allow_partial=is_historic, today=today
        )
        if parsed is None and spec.required:
            raise _required(spec.name, spec.label)
        return parsed.iso() if parsed else ""
    if spec.kind == "sex":
        return clean_sex(value, name=spec.name, label=spec.label, required=spec.required)
    text = clean_text(
        value, name=spec.name, label=spec.label, max_length=spec.max_length, required=spec.required
    )
    if spec.kind == "choice" and text and text not in {c for c, _label in spec.choices}:
        raise ValidationFailed(
            format_lazy(
                _("{label}: “{value}” không phải lựa chọn hợp lệ."),
                label=spec.label,
                value=text[:40],
            ),
            field=spec.name,
        )
    return text


def clean_data(
    spec: EventSpec, raw: Mapping[str, Any], *, is_historic: bool, today: dt.date
) -> dict[str, Any]:
    unknown = set(raw) - {f.name for f in spec.fields}
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(
            format_lazy(
                _("Trường “{name}” không có trong loại việc {event}."),
                name=name[:40],
                event=spec.label,
            ),
            field=name,
        )
    cleaned = {}
    for fspec in spec.fields:
        value = clean_field(fspec, raw.get(fspec.name), is_historic=is_historic, today=today)
        if value != "":
            cleaned[fspec.name] = value
    return cleaned


def clean_record(
    *,
    spec: EventSpec,
    registration_date: object,
    parties: Mapping[str, Mapping[str, Any]],
    data: Mapping[str, Any],
    is_historic: bool,
    today: dt.date,
) -> CleanRecord:
    label_reg: Promise = _("Ngày đăng ký")
    registration = parse_date(
        registration_date,
        field="registration_date",
        label=label_reg,
        allow_partial=is_historic,
        today=today,
    )
    if registration is None:
        raise _required("registration_date", label_reg)
    unknown_roles = set(parties) - {p.role for p in spec.parties}
    if unknown_roles:
        role = sorted(unknown_roles)[0]
        raise ValidationFailed(
            format_lazy(
                _("Vai trò “{role}” không có trong loại việc {event}."),
                role=role[:30],
                event=spec.label,
            ),
            field=role,
        )
    cleaned_parties = []
    for pspec in spec.parties:
        raw = parties.get(pspec.role)
        if not raw or not any(v not in (None, "") for v in raw.values()):
            if pspec.required:
                raise ValidationFailed(
                    format_lazy(
                        _("{role}: chưa nhập thông tin (bắt buộc)."), role=role_label(pspec.role)
                    ),
                    field=f"{pspec.role}.full_name",
                )
            continue
        cleaned_parties.append(clean_person(raw, spec=pspec, is_historic=is_historic, today=today))
    record = CleanRecord(
        event_type=spec.event_type,
        registration=registration,
        is_historic=is_historic,
        parties=cleaned_parties,
        data=clean_data(spec, data, is_historic=is_historic, today=today),
    )
    check_rules(record)
    return record


def check_rules(record: CleanRecord) -> None:
    """Rules between the fields of one entry."""
    reg = record.registration
    for party in record.parties:
        birth = party.birth
        if birth and birth.first_day() > reg.last_day():
            raise ValidationFailed(
                format_lazy(
                    _("{label}: ngày sinh {birth} sau ngày đăng ký {reg}."),
                    label=_label(party.role, PERSON_FIELDS["birth_date"]),
                    birth=birth.iso(),
                    reg=reg.iso(),
                ),
                field=f"{party.role}.birth_date",
            )
    for name, value in record.data.items():
        if name.endswith("_date") and name != "effective_date" and value:
            when = _stored_partial(value)
            if when.first_day() > reg.last_day():
                raise ValidationFailed(
                    format_lazy(
                        _("Ngày {value} (trường {name}) sau ngày đăng ký {reg}."),
                        value=value,
                        name=name,
                        reg=reg.iso(),
                    ),
                    field=name,
                )
    death = record.data.get("death_date")
    if death:
        subject = record.party("deceased") or record.party("subject")
        check_death_after_birth(subject.birth if subject else None, _stored_partial(death))
    if record.event_type == EventType.MARRIAGE and not record.is_historic:
        for party in record.parties:
            check_marriage_age(party, reg.first_day())


def check_death_after_birth(birth: PartialDate | None, death: PartialDate) -> None:
    if birth and death.last_day() < birth.first_day():
        raise ValidationFailed(
            format_lazy(
                _("Ngày chết {death} trước ngày sinh {birth}."),
                death=death.iso(),
                birth=birth.iso(),
            ),
            field="death_date",
        )


def check_marriage_age(party: CleanPerson, on: dt.date) -> None:
    birth = party.birth
    minimum = MARRIAGE_AGE[party.values["sex"]]
    if birth is None or age_on(birth, on) < minimum:
        raise ValidationFailed(
            format_lazy(
                _(
                    "{label}: chưa đủ tuổi kết hôn ({sex} phải từ đủ {age} tuổi trở lên vào ngày "
                    "đăng ký)."
                ),
                label=_label(party.role, PERSON_FIELDS["birth_date"]),
                sex=Sex(party.values["sex"]).label,
                age=minimum,
            ),
            field=f"{party.role}.birth_date",
            code="marriage_age",
        )
