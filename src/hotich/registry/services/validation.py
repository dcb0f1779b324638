"""Pure validation of record input against the event specs and the rules of the Law.

Nothing here writes; every refusal is a :class:`ValidationFailed` whose Vietnamese message names
the field and the rule, and whose ``field`` is the input name (``child.birth_date``).
Rules that need the database (a party already married, a target record) live in ``records.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import FormInvalid, ValidationFailed
from hotich.core.text import fold, nfc, split_name
from hotich.people.personal_id import check_consistent
from hotich.registry.dates import PartialDate, age_on, parse_date
from hotich.registry.vocabulary import (
    NAME_PART_MAX,
    PARENTAGE_TYPES,
    PERSON_FIELDS,
    PERSON_MAX_LENGTH,
    RECOGNITION_KINDS,
    EventSpec,
    EventType,
    FieldSpec,
    PartySpec,
    Role,
    Sex,
    role_label,
)

MARRIAGE_AGE = {"M": 20, "F": 18}  # Law on Marriage and Family 2014, art. 8
ADULT_AGE = 18  # Civil Code 2015, art. 20
PARENT_AGE_MIN = 12  # younger than this at the child's birth: a warning
MOTHER_AGE_MAX = 65  # older than this at the child's birth: a warning
ADOPTEE_AGE_MAX = 16  # Law on Adoption 2010, art. 8.1 (16 to 18: art. 8.2, a warning)
ADOPTION_AGE_GAP = 20  # Law on Adoption 2010, art. 14.1.b (exceptions: art. 14.3)
DEATH_AGE_MAX = 120  # older than this at death: a warning
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_SEX_WORDS = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "female": "F"}


@dataclass(frozen=True)
class RuleWarning:
    """A rule the entry breaks that the law allows with a reason: shown to the officer, who
    confirms it before the entry is saved. ``field`` is the input name, as for errors."""

    code: str
    field: str
    message: str | Promise

    @property
    def key(self) -> str:
        return f"{self.code}:{self.field}"

    def as_json(self) -> dict[str, str]:
        with translation.override("vi"):
            vi = str(self.message)
        with translation.override("en"):
            en = str(self.message)
        return {"code": self.code, "field": self.field, "message": vi, "message_en": en}


class WarningsUnconfirmed(ValidationFailed):
    """The entry has warnings the officer has not confirmed; nothing was saved."""

    status = 409
    code = "warnings_unconfirmed"

    def __init__(self, warnings: Sequence[RuleWarning]):
        self.warnings = list(warnings)
        listed = format_lazy(" ".join(["{}"] * len(self.warnings)), *(w.message for w in warnings))
        super().__init__(
            format_lazy(
                _("Có cảnh báo cần kiểm tra và xác nhận trước khi lưu: {warnings}"),
                warnings=listed,
            ),
            field=self.warnings[0].field if self.warnings else None,
        )


def unconfirmed(
    warnings: Sequence[RuleWarning], confirmed: bool | Collection[str]
) -> list[RuleWarning]:
    """The warnings not confirmed: ``True`` confirms all, a collection those of its keys."""
    if confirmed is True:
        return []
    keys = confirmed if isinstance(confirmed, Collection) else ()
    return [w for w in warnings if w.key not in keys]


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
    warnings: list[RuleWarning] = field(default_factory=list)

    def party(self, role: str) -> CleanPerson | None:
        return next((p for p in self.parties if p.role == role), None)


@functools.lru_cache(maxsize=1 << 16)
def _stored_partial(value: str) -> PartialDate:
    """The partial date of a stored ``YYYY[-MM[-DD]]`` (cached: pure and called per party)."""
    parts = [int(p) for p in value.split("-")]
    return PartialDate(parts[0], *[*parts[1:], None, None][:2])


def _label(role: str | None, label: object) -> object:
    return format_lazy("{} – {}", role_label(role), label) if role else label


#: (role, person field) → its lazy label; built once, translated when shown
_PERSON_LABELS: dict[tuple[str, str], object] = {}


def _person_label(role: str, key: str) -> object:
    label = _PERSON_LABELS.get((role, key))
    if label is None:
        label = _PERSON_LABELS[(role, key)] = _label(role, PERSON_FIELDS[key])
    return label


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
        return _person_label(role, key)

    found = _Findings()  # every field's error at once
    full = raw.get("full_name")
    if not full and any(raw.get(k) for k in ("surname", "middle", "given")):
        full = " ".join(str(raw.get(k) or "") for k in ("surname", "middle", "given"))
    values: dict[str, str] = {"full_name": "", "surname": "", "middle": "", "given": "", "sex": ""}
    with found.collect():
        values.update(clean_name(full, name=f"{role}.full_name", label=lbl("full_name")))
    with found.collect():
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
    birth = None
    with found.collect():
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
        with found.collect():
            values[key] = clean_text(
                raw.get(key),
                name=f"{role}.{key}",
                label=lbl(key),
                max_length=PERSON_MAX_LENGTH[key],
            )
    number = re.sub(r"\s+", "", str(raw.get("personal_id") or ""))
    if number and check_id:
        try:
            check_consistent(
                number, sex=values["sex"] or None, birth_year=birth.year if birth else None
            )
        except ValidationFailed as exc:
            found.error(
                exc.code,
                f"{role}.personal_id",
                format_lazy("{}: {}", lbl("personal_id"), exc.message),
            )
    if found.errors:
        raise FormInvalid.collect(found.errors)
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
    found = _Findings()
    for fspec in spec.fields:
        with found.collect():
            value = clean_field(fspec, raw.get(fspec.name), is_historic=is_historic, today=today)
            if value != "":
                cleaned[fspec.name] = value
    if found.errors:
        raise FormInvalid.collect(found.errors)
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
    found = _Findings()  # every input's error is reported at once
    registration = None
    with found.collect():
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
                # Each of the person's required fields is named, as for a person half filled.
                with found.collect():
                    clean_person({}, spec=pspec, is_historic=is_historic, today=today)
            continue
        with found.collect():
            cleaned_parties.append(
                clean_person(raw, spec=pspec, is_historic=is_historic, today=today)
            )
    cleaned_data: dict[str, Any] = {}
    with found.collect():
        cleaned_data = clean_data(spec, data, is_historic=is_historic, today=today)
    if found.errors:
        raise FormInvalid.collect(found.errors)
    assert registration is not None
    record = CleanRecord(
        event_type=spec.event_type,
        registration=registration,
        is_historic=is_historic,
        parties=cleaned_parties,
        data=cleaned_data,
    )
    check_rules(record)
    return record


def check_rules(record: CleanRecord) -> None:
    """Rules between the fields of one entry: the first error is raised; the warnings are kept
    on ``record.warnings`` for the officer to confirm."""
    errors, warnings = rule_findings(record)
    if errors:
        raise errors[0]
    record.warnings = warnings


def rule_findings(record: CleanRecord) -> tuple[list[ValidationFailed], list[RuleWarning]]:
    """Every error and warning of the rules between the fields of one entry, in order."""
    found = _Findings()
    reg = record.registration
    for party in record.parties:
        birth = party.birth
        if birth and birth.first_day() > reg.last_day():
            found.errors.append(
                ValidationFailed(
                    format_lazy(
                        _("{label}: ngày sinh {birth} sau ngày đăng ký {reg}."),
                        label=_label(party.role, PERSON_FIELDS["birth_date"]),
                        birth=birth.iso(),
                        reg=reg.iso(),
                    ),
                    field=f"{party.role}.birth_date",
                )
            )
    for name, value in record.data.items():
        if name.endswith("_date") and name != "effective_date" and value:
            when = _stored_partial(value)
            if when.first_day() > reg.last_day():
                found.errors.append(
                    ValidationFailed(
                        format_lazy(
                            _("Ngày {value} (trường {name}) sau ngày đăng ký {reg}."),
                            value=value,
                            name=name,
                            reg=reg.iso(),
                        ),
                        field=name,
                    )
                )
    death = record.data.get("death_date")
    if death:
        subject = record.party("deceased") or record.party("subject")
        with found.collect():
            check_death_after_birth(subject.birth if subject else None, _stored_partial(death))
    if record.is_historic:
        return found.errors, found.warnings
    if record.event_type == EventType.MARRIAGE:
        for party in record.parties:
            with found.collect():
                check_marriage_age(party, reg.first_day())
    if record.event_type in PARENTAGE_TYPES:
        _parent_rules(record, found)
    if record.event_type == EventType.RECOGNITION:
        _recognition_rules(record, found)
    if record.event_type == EventType.ADOPTION:
        _adoption_rules(record, found)
    if record.event_type == EventType.GUARDIANSHIP:
        _guardianship_rules(record, found)
    if death and record.event_type in (EventType.DEATH, EventType.ABROAD_DEATH):
        _death_age_rule(record, _stored_partial(death), found)
    return found.errors, found.warnings


def new_findings(
    before: CleanRecord, after: CleanRecord
) -> tuple[list[ValidationFailed], list[RuleWarning]]:
    """The errors and warnings of ``after`` (an entry with changes applied) that ``before`` (the
    entry as it stands) does not already have: a change is refused only for what it breaks."""
    old_errors, old_warnings = rule_findings(before)
    errors, warnings = rule_findings(after)
    known = {(e.code, e.field) for e in old_errors} | {(w.code, w.field) for w in old_warnings}
    return (
        [e for e in errors if (e.code, e.field) not in known],
        [w for w in warnings if (w.code, w.field) not in known],
    )


stored_partial = _stored_partial


class _Findings:
    def __init__(self) -> None:
        self.errors: list[ValidationFailed] = []
        self.warnings: list[RuleWarning] = []

    @contextmanager
    def collect(self) -> Iterator[None]:
        try:
            yield
        except ValidationFailed as exc:
            self.errors.append(exc)

    def error(self, code: str, field: str, message: str | Promise) -> None:
        self.errors.append(ValidationFailed(message, field=field, code=code))

    def warn(self, code: str, field: str, message: str | Promise) -> None:
        self.warnings.append(RuleWarning(code=code, field=field, message=message))


def _age_range(birth: PartialDate, on: PartialDate) -> tuple[int, int]:
    """(smallest, largest) full years of age on a day within ``on`` for a birth within
    ``birth`` (both may be partial); negative when born after that day."""
    first = birth.first_day()
    return age_on(birth, on.first_day()), age_on(
        PartialDate(first.year, first.month, first.day), on.last_day()
    )


def _parent_rules(record: CleanRecord, found: _Findings) -> None:
    """A parent is born before the child (error) and is of an age to have one (warning)."""
    child = record.party(Role.CHILD)
    if child is None or child.birth is None:
        return
    for role in (Role.FATHER, Role.MOTHER, Role.PARENT):
        parent = record.party(role)
        if parent is None or parent.birth is None:
            continue
        label = _label(role, PERSON_FIELDS["birth_date"])
        field = f"{role}.birth_date"
        if parent.birth.first_day() > child.birth.last_day():
            found.error(
                "parent_born_after_child",
                field,
                format_lazy(
                    _("{label}: ngày sinh {birth} sau ngày sinh của con ({child})."),
                    label=label,
                    birth=parent.birth.iso(),
                    child=child.birth.iso(),
                ),
            )
            continue
        youngest, oldest = _age_range(parent.birth, child.birth)
        if oldest < PARENT_AGE_MIN:
            found.warn(
                "parent_too_young",
                field,
                format_lazy(
                    _("{label}: khi con sinh ra mới {age} tuổi (dưới {limit} tuổi)."),
                    label=label,
                    age=oldest,
                    limit=PARENT_AGE_MIN,
                ),
            )
        elif parent.values.get("sex") == Sex.FEMALE and youngest > MOTHER_AGE_MAX:
            found.warn(
                "mother_too_old",
                field,
                format_lazy(
                    _("{label}: khi con sinh ra người mẹ đã {age} tuổi (trên {limit} tuổi)."),
                    label=label,
                    age=youngest,
                    limit=MOTHER_AGE_MAX,
                ),
            )


def _recognition_rules(record: CleanRecord, found: _Findings) -> None:
    """Nhận cha names a man, nhận mẹ a woman."""
    parent = record.party(Role.PARENT)
    wanted = {"father": Sex.MALE, "mother": Sex.FEMALE}.get(record.data.get("kind", ""))
    if parent is None or wanted is None:
        return
    if parent.values.get("sex") and parent.values["sex"] != wanted:
        found.error(
            "recognition_sex",
            f"{Role.PARENT}.sex",
            format_lazy(
                _("{label}: việc {kind} thì cha/mẹ phải là {sex}."),
                label=_label(Role.PARENT, PERSON_FIELDS["sex"]),
                kind=dict(RECOGNITION_KINDS)[record.data["kind"]],
                sex=Sex(wanted).label,
            ),
        )


def _event_day(record: CleanRecord) -> PartialDate:
    """The day a decision settled the event (its date), or the registration date."""
    value = record.data.get("decision_date")
    return _stored_partial(value) if value else record.registration


def _adoption_rules(record: CleanRecord, found: _Findings) -> None:
    """Law on Adoption 2010: the child under 16 (16 to 18 only for a step-parent, aunt or
    uncle), each adopter an adult at least 20 years older (except those same relatives)."""
    adopters = [p for p in (record.party(Role.FATHER), record.party(Role.MOTHER)) if p]
    if not adopters:
        found.error(
            "adopter_missing",
            f"{Role.FATHER}.full_name",
            _("Chưa nhập cha nuôi hoặc mẹ nuôi (phải có ít nhất một người nhận con nuôi)."),
        )
        return
    on = _event_day(record)
    child = record.party(Role.CHILD)
    if child is not None and child.birth is not None:
        youngest, _oldest = _age_range(child.birth, on)
        if youngest >= ADULT_AGE:
            found.error(
                "adoptee_adult",
                f"{Role.CHILD}.birth_date",
                format_lazy(
                    _(
                        "{label}: người được nhận làm con nuôi đã {age} tuổi; chỉ nhận con nuôi "
                        "người dưới 18 tuổi."
                    ),
                    label=_label(Role.CHILD, PERSON_FIELDS["birth_date"]),
                    age=youngest,
                ),
            )
        elif youngest >= ADOPTEE_AGE_MAX:
            found.warn(
                "adoptee_over_16",
                f"{Role.CHILD}.birth_date",
                format_lazy(
                    _(
                        "{label}: người được nhận làm con nuôi đã {age} tuổi; từ đủ 16 đến dưới "
                        "18 tuổi chỉ được nhận bởi cha dượng, mẹ kế hoặc cô, cậu, dì, chú, bác "
                        "ruột."
                    ),
                    label=_label(Role.CHILD, PERSON_FIELDS["birth_date"]),
                    age=youngest,
                ),
            )
    for adopter in adopters:
        if adopter.birth is None:
            continue
        label = _label(adopter.role, PERSON_FIELDS["birth_date"])
        field = f"{adopter.role}.birth_date"
        _youngest, oldest = _age_range(adopter.birth, on)
        if oldest < ADULT_AGE:
            found.error(
                "adopter_minor",
                field,
                format_lazy(
                    _("{label}: người nhận con nuôi mới {age} tuổi, chưa thành niên."),
                    label=label,
                    age=oldest,
                ),
            )
            continue
        if child is None or child.birth is None:
            continue
        if _age_range(adopter.birth, child.birth)[1] < ADOPTION_AGE_GAP:
            found.warn(
                "adoption_age_gap",
                field,
                format_lazy(
                    _(
                        "{label}: người nhận con nuôi không hơn con nuôi từ {gap} tuổi trở lên "
                        "(chỉ được miễn khi là cha dượng, mẹ kế hoặc cô, cậu, dì, chú, bác ruột)."
                    ),
                    label=label,
                    gap=ADOPTION_AGE_GAP,
                ),
            )


def _guardianship_rules(record: CleanRecord, found: _Findings) -> None:
    """Civil Code 2015, art. 49: a guardian has full civil capacity (an adult)."""
    guardian = record.party(Role.GUARDIAN)
    if guardian is None or guardian.birth is None:
        return
    _youngest, oldest = _age_range(guardian.birth, record.registration)
    if oldest < ADULT_AGE:
        found.error(
            "guardian_minor",
            f"{Role.GUARDIAN}.birth_date",
            format_lazy(
                _("{label}: người giám hộ mới {age} tuổi, chưa thành niên."),
                label=_label(Role.GUARDIAN, PERSON_FIELDS["birth_date"]),
                age=oldest,
            ),
        )


def _death_age_rule(record: CleanRecord, death: PartialDate, found: _Findings) -> None:
    deceased = record.party(Role.DECEASED)
    if deceased is None or deceased.birth is None:
        return
    youngest, _oldest = _age_range(deceased.birth, death)
    if youngest > DEATH_AGE_MAX:
        found.warn(
            "implausible_age",
            f"{Role.DECEASED}.birth_date",
            format_lazy(
                _("{label}: người chết đã {age} tuổi (trên {limit} tuổi), hãy kiểm tra năm sinh."),
                label=_label(Role.DECEASED, PERSON_FIELDS["birth_date"]),
                age=youngest,
                limit=DEATH_AGE_MAX,
            ),
        )


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


# --- the same checks for many rows at once (bulk import) -----------------------------------
#
# ``clean_record_quick`` gives exactly what ``clean_record`` gives for an entry that passes every
# check, and ``None`` for any entry it is not sure of (an error, a linked person, a split name):
# the caller then runs ``clean_record`` for the entry, which names each error. The checks of one
# value (a name, a date, a sex word) depend on that value only, so each distinct value of a file
# is checked once (the caches below); a file of a province repeats its names and dates.

_CACHE_MAX = 1 << 18
_TEXT_FIELDS = ("birth_place", "ethnicity", "nationality", "residence", "home_town")
_QUICK_KEYS = frozenset({"full_name", "sex", "birth_date", "personal_id", *_TEXT_FIELDS})
_WHITE = re.compile(r"\s+")
_ROLES: dict[str, frozenset[str]] = {}


@functools.lru_cache(maxsize=_CACHE_MAX)
def _quick_name(value: str) -> tuple[str, str, str, str] | None:
    """``clean_name`` of a name that passes it (full, surname, middle, given), else None."""
    full = nfc(value)
    if not full or len(full) > PERSON_MAX_LENGTH["full_name"] or not _NAME_CHARS.match(full):
        return None
    parts = split_name(full)
    if len(parts.surname) > NAME_PART_MAX or len(parts.given) > NAME_PART_MAX:
        return None
    return parts.full, parts.surname, parts.middle, parts.given


@functools.lru_cache(maxsize=_CACHE_MAX)
def _quick_date(value: str, allow_partial: bool, today: dt.date) -> PartialDate | None:
    """``parse_date`` of a date that passes it, else None (empty text is not passed here)."""
    try:
        return parse_date(value, field="", label="", allow_partial=allow_partial, today=today)
    except ValidationFailed:
        return None


@functools.lru_cache(maxsize=1024)
def _quick_sex(value: str) -> str | None:
    """``clean_sex`` of a non-empty value that passes it, else None."""
    text = fold(value)
    return _SEX_WORDS.get(text) if text else ""


@functools.lru_cache(maxsize=_CACHE_MAX)
def _quick_text(value: str, max_length: int) -> str | None:
    text = nfc(value)
    return text if len(text) <= max_length else None


def _quick_person(
    raw: Mapping[str, str], spec: PartySpec, is_historic: bool, today: dt.date
) -> CleanPerson | None:
    if not _QUICK_KEYS.issuperset(raw):
        return None
    full = raw.get("full_name")
    if not full or not isinstance(full, str):
        return None
    name = _quick_name(full)
    if name is None:
        return None
    sex = ""
    typed = raw.get("sex")
    if typed:
        sex_or_none = _quick_sex(str(typed))
        if sex_or_none is None:
            return None
        sex = sex_or_none
    if spec.sex:
        if sex and sex != spec.sex:
            return None
        sex = spec.sex
    typed = raw.get("birth_date")
    birth = None
    if typed:
        birth = _quick_date(str(typed), is_historic or not spec.full_birth_date, today)
        if birth is None:
            return None
    elif spec.full_birth_date and not is_historic:
        return None
    values = {
        "full_name": name[0],
        "surname": name[1],
        "middle": name[2],
        "given": name[3],
        "sex": sex,
        "birth_date": birth.iso() if birth else "",
    }
    for key in _TEXT_FIELDS:
        typed = raw.get(key)
        if typed:
            text = _quick_text(str(typed), PERSON_MAX_LENGTH[key])
            if text is None:
                return None
            values[key] = text
        else:
            values[key] = ""
    number = _WHITE.sub("", str(raw.get("personal_id") or ""))
    if number:
        try:
            check_consistent(number, sex=sex or None, birth_year=birth.year if birth else None)
        except ValidationFailed:
            return None
    values["personal_id"] = number
    return CleanPerson(role=spec.role, values=values)


def clean_record_quick(
    *,
    spec: EventSpec,
    registration_date: str,
    parties: Mapping[str, Mapping[str, str]],
    data: Mapping[str, str],
    is_historic: bool,
    today: dt.date,
) -> CleanRecord | None:
    """``clean_record`` of an entry typed as text (a file's row) when it passes every check,
    ``None`` when it may not (run ``clean_record`` then for its errors)."""
    if not registration_date:
        return None
    registration = _quick_date(registration_date, is_historic, today)
    if registration is None:
        return None
    roles = _ROLES.get(spec.event_type)
    if roles is None:
        roles = _ROLES[spec.event_type] = frozenset(p.role for p in spec.parties)
    if not roles.issuperset(parties):
        return None
    cleaned_parties = []
    for pspec in spec.parties:
        raw = parties.get(pspec.role)
        if not raw or not any(v not in (None, "") for v in raw.values()):
            if pspec.required:
                return None
            continue
        person = _quick_person(raw, pspec, is_historic, today)
        if person is None:
            return None
        cleaned_parties.append(person)
    try:
        cleaned_data = clean_data(spec, data, is_historic=is_historic, today=today)
    except ValidationFailed:
        return None
    record = CleanRecord(
        event_type=spec.event_type,
        registration=registration,
        is_historic=is_historic,
        parties=cleaned_parties,
        data=cleaned_data,
    )
    errors, warnings = rule_findings(record)
    if errors:
        return None
    record.warnings = warnings
    return record
