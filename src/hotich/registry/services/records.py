"""Creating records, the one transition function, and margin notes (amendments)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user, actor_labels, actor_name
from hotich.accounts.authz import permits, require, scope_filter
from hotich.audit.services import audit_record
from hotich.core.errors import NotFound, ValidationFailed
from hotich.core.lifecycle import Action, Label, Lifecycle, Step
from hotich.core.text import fold
from hotich.geo.vocabulary import Era
from hotich.registry.dates import Precision, age_on
from hotich.registry.models import Amendment, Book, Party, Person, Record, Transition
from hotich.registry.search_index import index_persons
from hotich.registry.services.books import book_allocate_entry, book_open, check_unit_scope
from hotich.registry.services.personal_ids import personal_id_request_open
from hotich.registry.services.validation import (
    CleanPerson,
    CleanRecord,
    RuleWarning,
    WarningsUnconfirmed,
    _stored_partial,
    check_death_after_birth,
    clean_field,
    clean_person,
    clean_record,
    new_findings,
    unconfirmed,
)
from hotich.registry.vocabulary import (
    BIRTH_TYPES,
    DEATH_TYPES,
    FAMILY_TYPES,
    MARRIAGE_END_TYPES,
    MARRIAGE_TYPES,
    PARENT_ROLES,
    PERSON_FIELDS,
    PRINCIPAL_ROLES,
    EventType,
    PartySpec,
    Role,
    Status,
    spec_for,
)

if TYPE_CHECKING:
    from hotich.geo.models import Unit

OBJECT_TYPE = "registry.record"


# --- persons -------------------------------------------------------------------------------


def _apply_person_values(person: Person, values: Mapping[str, str]) -> None:
    for key in (
        "surname",
        "middle",
        "given",
        "full_name",
        "sex",
        "birth_place",
        "ethnicity",
        "nationality",
        "personal_id",
        "residence",
        "home_town",
    ):
        if key in values:
            setattr(person, key, values[key])
    if "full_name" in values:
        person.name_folded = fold(values["full_name"])
        person.given_folded = fold(values.get("given", person.given))
    if "birth_date" in values:
        birth = _stored_partial(values["birth_date"]) if values["birth_date"] else None
        person.birth_date = birth.first_day() if birth else None
        person.birth_precision = birth.precision if birth else Precision.DAY
        person.birth_year = birth.year if birth else None


def person_build(values: Mapping[str, str]) -> Person:
    """An unsaved Person from cleaned values (used by record_create and the bulk demo)."""
    person = Person()
    _apply_person_values(person, values)
    return person


def _visible_persons(actor: Actor) -> QuerySet[Person]:
    qs = Person.objects.all()
    if actor is None:
        return qs
    return qs.filter(
        pk__in=Party.objects.filter(scope_filter(actor, "record__unit")).values("person_id")
    )


def person_values(person: Person) -> dict[str, str]:
    """A person's current values in the shape of ``Party.as_written``."""
    values = {k: getattr(person, k) for k in PERSON_FIELDS if k != "birth_date"}
    values["birth_date"] = person.birth_date_text
    return values


def _prefill_linked(
    actor: Actor, parties: Mapping[str, Mapping[str, Any]]
) -> dict[str, Mapping[str, Any]]:
    """For a party given as ``{"person_id": id, ...}``, the person's current values under the
    values typed for this entry."""
    out: dict[str, Mapping[str, Any]] = {}
    for role, raw in parties.items():
        if raw and raw.get("person_id"):
            try:
                pk = int(raw["person_id"])
            except (TypeError, ValueError):
                pk = 0
            person = _visible_persons(actor).filter(pk=pk).first()
            if person is None:
                raise NotFound(_("Không tìm thấy người được chọn."), field=f"{role}.person_id")
            typed = {k: v for k, v in raw.items() if v not in (None, "")}
            out[role] = {**person_values(person), **typed}
        else:
            out[role] = raw
    return out


def _resolve_person(actor: Actor, party: CleanPerson) -> Person:
    """The person a party links to: the one named by id, or by personal ID, or a new one."""
    if party.person_id is not None:
        person = _visible_persons(actor).filter(pk=party.person_id).first()
        if person is None:
            raise NotFound(_("Không tìm thấy người được chọn."), field=f"{party.role}.person_id")
        return person
    number = party.values.get("personal_id")
    if number:
        person = Person.objects.filter(personal_id=number).order_by("pk").first()
        if person is not None:
            return person
    person = person_build(party.values)
    person.save()
    return person


# --- rules that need the database ----------------------------------------------------------


def _registered() -> Q:
    return Q(record__status=Status.REGISTERED)


def person_is_dead(person: Person, *, exclude_record: int | None = None) -> bool:
    qs = Party.objects.filter(
        _registered(),
        person=person,
        record__event_type__in=DEATH_TYPES,
        role__in=[Role.DECEASED, Role.SUBJECT],
    )
    if exclude_record:
        qs = qs.exclude(record_id=exclude_record)
    return qs.exists()


def marriage_in_force(person: Person, *, exclude_record: int | None = None) -> Record | None:
    """A registered marriage of ``person`` not ended by divorce, annulment or a death."""
    marriages = Record.objects.filter(
        status=Status.REGISTERED, event_type__in=MARRIAGE_TYPES, parties__person=person
    ).exclude(pk=exclude_record or 0)
    for marriage in marriages.prefetch_related("parties"):
        ended = Record.objects.filter(
            status=Status.REGISTERED, event_type__in=MARRIAGE_END_TYPES, related_record=marriage
        ).exists()
        if ended:
            continue
        spouses = [p.person for p in marriage.parties.all()]
        if _shared_end(spouses):
            continue
        if any(person_is_dead(s) for s in spouses):
            continue
        return marriage
    return None


def _shared_end(spouses: Sequence[Person]) -> bool:
    """A divorce/annulment recorded with both spouses as parties (no link to the marriage)."""
    if len(spouses) != 2:
        return False
    qs = Record.objects.filter(status=Status.REGISTERED, event_type__in=MARRIAGE_END_TYPES)
    for spouse in spouses:
        qs = qs.filter(pk__in=Party.objects.filter(person=spouse).values("record_id"))
    return qs.exists()


def _check_database_rules(record: Record, persons: Mapping[str, Person]) -> None:
    if record.is_historic:
        return
    if record.event_type in (EventType.MARRIAGE, EventType.DEATH):
        for role, person in persons.items():
            if person_is_dead(person, exclude_record=record.pk):
                raise ValidationFailed(
                    format_lazy(
                        _("{role}: người này đã được đăng ký khai tử."), role=Role(role).label
                    ),
                    field=f"{role}.full_name",
                )
    if record.event_type == EventType.MARRIAGE:
        if len({p.pk for p in persons.values()}) < len(persons):
            raise ValidationFailed(_("Hai bên kết hôn là cùng một người."), field="wife.full_name")
        husband, wife = persons.get(Role.HUSBAND), persons.get(Role.WIFE)
        if husband is not None and wife is not None and _parent_and_child(husband, wife):
            raise ValidationFailed(
                _(
                    "Hai bên kết hôn là cha/mẹ và con (đẻ hoặc nuôi) theo bản ghi đã đăng ký — "
                    "cấm kết hôn."
                ),
                field="wife.full_name",
                code="direct_line",
            )
        for role, person in persons.items():
            if marriage_in_force(person, exclude_record=record.pk) is not None:
                raise ValidationFailed(
                    format_lazy(
                        _(
                            "{role}: đang có hôn nhân đã đăng ký chưa chấm dứt (chưa ly hôn, hủy "
                            "kết hôn hay khai tử) — vi phạm chế độ một vợ một chồng."
                        ),
                        role=Role(role).label,
                    ),
                    field=f"{role}.full_name",
                    code="already_married",
                )
    if "death_date" in record.data:
        subject = persons.get(Role.DECEASED) or persons.get(Role.SUBJECT)
        if subject is not None:
            check_death_after_birth(subject.birth, _stored_partial(record.data["death_date"]))
    child = persons.get(Role.CHILD)
    if record.event_type in BIRTH_TYPES and child is not None:
        earlier = (
            Record.objects.filter(
                status=Status.REGISTERED,
                event_type__in=BIRTH_TYPES,
                parties__person=child,
                parties__role=Role.CHILD,
            )
            .exclude(pk=record.pk)
            .first()
        )
        if earlier is not None:
            raise ValidationFailed(
                format_lazy(
                    _(
                        "Con: người này đã được đăng ký khai sinh (bản ghi {record}, ngày "
                        "{date}); mỗi sự kiện hộ tịch chỉ đăng ký một lần — hãy cấp bản sao "
                        "trích lục."
                    ),
                    record=earlier.pk,
                    date=earlier.registration.iso(),
                ),
                field="child.full_name",
                code="birth_already_registered",
            )


def _parent_and_child(one: Person, other: Person) -> bool:
    """Whether a registered record names one of the two as the other's parent (by birth or
    adoption, even an adoption since ended)."""
    parents = Party.objects.filter(
        _registered(), record__event_type__in=FAMILY_TYPES, role__in=PARENT_ROLES
    )
    children = Party.objects.filter(role=Role.CHILD)
    return parents.filter(
        Q(person=one, record__in=children.filter(person=other).values("record_id"))
        | Q(person=other, record__in=children.filter(person=one).values("record_id"))
    ).exists()


def _check_target(actor: Actor, event_type: str, target: Record | int | None) -> Record | None:
    spec = spec_for(event_type)
    if target is None:
        if spec.target_required:
            raise ValidationFailed(
                _("Chưa chọn bản ghi được thay đổi (bắt buộc)."), field="related_record"
            )
        return None
    target_id = target.pk if isinstance(target, Record) else int(target)
    qs = Record.objects.select_related("unit")
    if actor is not None:
        qs = qs.filter(scope_filter(actor, "unit"))
    found = qs.filter(pk=target_id).first()
    if found is None:
        raise NotFound(_("Không tìm thấy bản ghi được dẫn chiếu."), field="related_record")
    if not spec.target_types or found.event_type not in spec.target_types:
        raise ValidationFailed(
            format_lazy(
                _("Bản ghi được dẫn chiếu là việc {kind}, không phù hợp với việc {event}."),
                kind=EventType(found.event_type).label,
                event=spec.label,
            ),
            field="related_record",
        )
    if found.status != Status.REGISTERED:
        raise ValidationFailed(
            _("Bản ghi được dẫn chiếu chưa đăng ký hoặc đã bị hủy."), field="related_record"
        )
    return found


def _check_ends_after_marriage(target: Record, clean: CleanRecord) -> None:
    """A divorce or annulment is decided after the marriage it ends was registered."""
    decided = clean.data.get("decision_date")
    if decided and _stored_partial(decided).last_day() < target.registration.first_day():
        raise ValidationFailed(
            format_lazy(
                _("Ngày bản án/quyết định {date} trước ngày đăng ký kết hôn {married}."),
                date=decided,
                married=target.registration.iso(),
            ),
            field="decision_date",
            code="ended_before_marriage",
        )


NAME_CONSENT_AGE = 9  # Civil Code 2015, art. 27.3 and 28.3
NAME_KEYS = ("full_name", "surname", "middle", "given")


def _correction_rules(target: Record, clean: CleanRecord) -> list[RuleWarning]:
    """Rules of a correction: its kind against its changes, and the rules of the target entry
    as the changes leave it. Errors are raised; warnings returned."""
    kind = clean.data.get("kind")
    if kind == "ethnicity" and any(not c["field"].endswith(".ethnicity") for c in clean.changes):
        raise ValidationFailed(
            _("Xác định lại dân tộc chỉ thay đổi trường Dân tộc."),
            field="changes",
            code="ethnicity_only",
        )
    warnings = check_changes(target, clean.changes)
    if kind != "change":
        return warnings
    values = current_values(target)
    roles = sorted({c["field"].split(".", 1)[0] for c in clean.changes if "." in c["field"]})
    for role in roles:
        if not any(c["field"] == f"{role}.{k}" for c in clean.changes for k in NAME_KEYS):
            continue
        birth_text = values["parties"].get(role, {}).get("birth_date")
        if not birth_text:
            continue
        age = age_on(_stored_partial(birth_text), clean.registration.first_day())
        if age >= NAME_CONSENT_AGE:
            warnings.append(
                RuleWarning(
                    code="name_change_consent",
                    field=f"{role}.full_name",
                    message=format_lazy(
                        _(
                            "{role}: người được thay đổi họ, chữ đệm, tên đã {age} tuổi; từ đủ "
                            "9 tuổi phải có sự đồng ý của người đó."
                        ),
                        role=Role(role).label,
                        age=age,
                    ),
                )
            )
    return warnings


def _as_clean(record: Record, values: Mapping[str, Any]) -> CleanRecord:
    return CleanRecord(
        event_type=record.event_type,
        registration=record.registration,
        is_historic=record.is_historic,
        parties=[CleanPerson(role=r, values=dict(v)) for r, v in values["parties"].items()],
        data={k: v for k, v in values["data"].items() if k != "changes"},
    )


def check_changes(record: Record, changes: Sequence[Mapping[str, Any]]) -> list[RuleWarning]:
    """The rules of ``record``'s entry with ``changes`` (``[{"field", "old", "new"}]``) applied:
    an error it would newly break is raised; the warnings it would newly raise are returned."""
    before = current_values(record)
    after = copy.deepcopy(before)
    for change in changes:
        _set_value(after, change["field"], change["new"])
    errors, warnings = new_findings(_as_clean(record, before), _as_clean(record, after))
    if errors:
        raise errors[0]
    return warnings


def _require_confirmed(
    warnings: Sequence[RuleWarning], confirm_warnings: bool | Collection[str]
) -> None:
    left = unconfirmed(warnings, confirm_warnings)
    if left:
        raise WarningsUnconfirmed(left)


# --- creating ------------------------------------------------------------------------------


@transaction.atomic
def record_create(
    *,
    actor: Actor,
    event_type: str,
    registration_date: object,
    parties: Mapping[str, Mapping[str, Any]],
    data: Mapping[str, Any] | None = None,
    unit: Unit | None = None,
    book: Book | None = None,
    entry_number: int | None = None,
    related_record: Record | int | None = None,
    changes: Mapping[str, Any] | None = None,
    officer_name: str = "",
    signer_name: str = "",
    signer_title: str = "",
    legal_basis: str = "",
    page_number: int | None = None,
    register: bool = True,
    confirm_warnings: bool | Collection[str] = False,
    today: dt.date | None = None,
) -> Record:
    """Create a record (a draft), and register it at once unless ``register`` is False.

    ``parties`` maps a role to the person's fields (``full_name``, ``sex``, ``birth_date``…) or
    to ``{"person_id": id}`` to link a person already named by a record in scope. A historic
    record is written into ``book`` (a historic book) with the ``entry_number`` of the paper.
    ``changes`` (corrections only) maps ``<role>.<field>`` or a data field of the target to its
    new value.

    Rules the law allows with a reason (a mother under 12…) are warnings: unless
    ``confirm_warnings`` is True (or holds the key of each, ``code:field``), nothing is saved and
    :class:`WarningsUnconfirmed` lists them; the confirmed ones are written into the audit entry.
    """
    require(actor, "registry.register")
    if event_type not in EventType.values:
        raise ValidationFailed(_("Loại việc hộ tịch không hợp lệ."), field="event_type")
    spec = spec_for(event_type)
    is_historic = bool(book and book.is_historic)
    if book is not None:
        if book.event_type != event_type:
            raise ValidationFailed(_("Sổ không phải sổ của loại việc này."), field="book")
        unit = book.scope_unit
    elif unit is None:
        unit = getattr(actor, "unit", None)
    if unit is None:
        raise ValidationFailed(_("Chưa chọn đơn vị đăng ký."), field="unit")
    if unit.era != Era.CURRENT:
        raise ValidationFailed(_("Việc đăng ký mới phải ghi vào đơn vị hiện nay."), field="unit")
    check_unit_scope(actor, unit)
    if entry_number is not None and not is_historic:
        raise ValidationFailed(
            _("Chỉ sổ cũ mới ghi số đăng ký theo sổ giấy."), field="entry_number"
        )
    today = today or timezone.localdate()
    parties = _prefill_linked(actor, parties)
    clean = clean_record(
        spec=spec,
        registration_date=registration_date,
        parties=parties,
        data=data or {},
        is_historic=is_historic,
        today=today,
    )
    if book is not None and clean.registration.year != book.year:
        raise ValidationFailed(
            format_lazy(
                _("Ngày đăng ký {reg} không thuộc năm của sổ ({year})."),
                reg=clean.registration.iso(),
                year=book.year,
            ),
            field="registration_date",
        )
    target = _check_target(actor, event_type, related_record)
    warnings = list(clean.warnings)
    if event_type == EventType.CORRECTION:
        assert target is not None
        clean.changes = validate_changes(target, changes or {}, today=today)
        warnings += _correction_rules(target, clean)
    elif changes:
        raise ValidationFailed(
            _("Chỉ việc thay đổi, cải chính mới có danh sách thay đổi."), field="changes"
        )
    if spec.ends_marriage and target is not None:
        _check_ends_after_marriage(target, clean)
    _require_confirmed(warnings, confirm_warnings)
    record = Record(
        event_type=event_type,
        status=Status.DRAFT,
        unit=unit,
        book=book,
        registration_date=clean.registration.first_day(),
        registration_precision=clean.registration.precision,
        is_historic=is_historic,
        officer_name=_short(officer_name, "officer_name", 100),
        signer_name=_short(signer_name, "signer_name", 100),
        signer_title=_short(signer_title, "signer_title", 100),
        legal_basis=_short(legal_basis, "legal_basis", 300),
        data={**clean.data, **({"changes": clean.changes} if clean.changes else {})},
        related_record=target,
        page_number=page_number,
        created_by=acting_user(actor),
    )
    record.save()
    principals = []
    for position, party in enumerate(clean.parties):
        person = _resolve_person(actor, party)
        Party.objects.create(
            record=record,
            person=person,
            role=party.role,
            position=position,
            as_written=party.values,
        )
        if party.role in PRINCIPAL_ROLES:
            principals.append(person)
    # Search returns the principal persons; parents are found through the parent filter.
    index_persons((p.pk, p.name_folded, p.birth_year) for p in principals)
    Transition.objects.create(
        record=record, action="create", to_status=Status.DRAFT, actor_name=actor_name(actor)
    )
    audit_record(
        actor=actor,
        action="create",
        object_type=OBJECT_TYPE,
        object_id=record.pk,
        after=record.state(),
        legal_basis=record.legal_basis,
        detail={"warnings_confirmed": [w.key for w in warnings]} if warnings else None,
    )
    if register:
        record = record_transition(
            actor=actor, record=record, action="register", entry_number=entry_number, today=today
        )
    return record


def _short(value: str, name: str, limit: int) -> str:
    from hotich.registry.services.validation import clean_text

    return clean_text(value, name=name, label=name, max_length=limit)


# --- amendments ----------------------------------------------------------------------------


def current_values(record: Record) -> dict[str, Any]:
    """The record's values with its amendments applied in order:
    ``{"data": {...}, "parties": {role: {...}}}``."""
    values: dict[str, Any] = {
        "data": copy.deepcopy(record.data),
        "parties": {p.role: dict(p.as_written) for p in record.parties.all()},
    }
    for amendment in record.amendments.all():
        for change in amendment.changes:
            _set_value(values, change["field"], change["new"])
    return values


def _get_value(values: Mapping[str, Any], path: str) -> Any:
    if "." in path:
        role, key = path.split(".", 1)
        return values["parties"].get(role, {}).get(key, "")
    return values["data"].get(path, "")


def _set_value(values: dict[str, Any], path: str, new: Any) -> None:
    if "." in path:
        role, key = path.split(".", 1)
        values["parties"].setdefault(role, {})[key] = new
    else:
        values["data"][path] = new


def validate_changes(
    record: Record, changes: Mapping[str, Any], *, today: dt.date
) -> list[dict[str, Any]]:
    """``{field: new value}`` → ``[{"field", "old", "new"}]`` checked against the record's spec.

    A person field is re-validated together with the rest of that party's current values, so the
    result is a consistent entry (a changed full name is split again; a changed personal ID must
    agree with sex and birth year).
    """
    if not changes:
        raise ValidationFailed(_("Chưa nhập nội dung thay đổi."), field="changes")
    spec = spec_for(record.event_type)
    values = current_values(record)
    out: list[dict[str, Any]] = []
    party_changes: dict[str, dict[str, Any]] = {}
    for path, new in changes.items():
        if "." in path:
            role, key = path.split(".", 1)
            if key not in PERSON_FIELDS or role not in values["parties"]:
                raise ValidationFailed(
                    format_lazy(_("Trường “{name}” không có trong bản ghi này."), name=path[:60]),
                    field=path,
                )
            party_changes.setdefault(role, {})[key] = new
        else:
            fspec = spec.field(path)
            if fspec is None:
                raise ValidationFailed(
                    format_lazy(_("Trường “{name}” không có trong bản ghi này."), name=path[:60]),
                    field=path,
                )
            cleaned = clean_field(fspec, new, is_historic=record.is_historic, today=today)
            if cleaned == "" and fspec.required:
                raise ValidationFailed(
                    format_lazy(_("{label}: chưa nhập (bắt buộc)."), label=fspec.label), field=path
                )
            out.append({"field": path, "old": values["data"].get(path, ""), "new": cleaned})
    for role, role_changes in party_changes.items():
        current = values["parties"][role]
        merged = {k: current.get(k, "") for k in PERSON_FIELDS}
        merged.update(role_changes)
        pspec = spec.party(role) or PartySpec(role, required=False)
        pspec = PartySpec(
            role,
            pspec.required,
            None if "sex" in role_changes else pspec.sex,
            pspec.full_birth_date,
        )
        clean = clean_person(
            merged,
            spec=pspec,
            is_historic=record.is_historic,
            today=today,
            check_id="personal_id" in role_changes or "birth_date" in role_changes,
        )
        for key in role_changes:
            keys = ["full_name", "surname", "middle", "given"] if key == "full_name" else [key]
            for k in keys:
                out.append(
                    {"field": f"{role}.{k}", "old": current.get(k, ""), "new": clean.values[k]}
                )
    out = [c for c in out if c["old"] != c["new"]]
    if not out:
        raise ValidationFailed(_("Nội dung thay đổi giống giá trị hiện tại."), field="changes")
    return out


def _apply_to_persons(record: Record, changes: Sequence[Mapping[str, Any]]) -> None:
    """Keep each linked Person's current values (and the name index) in step."""
    by_role: dict[str, dict[str, str]] = {}
    for change in changes:
        if "." in change["field"]:
            role, key = change["field"].split(".", 1)
            by_role.setdefault(role, {})[key] = change["new"]
    for party in record.parties.select_related("person").filter(role__in=list(by_role)):
        person = party.person
        _apply_person_values(person, by_role[party.role])
        person.save()
        if Party.objects.filter(person=person, role__in=PRINCIPAL_ROLES).exists():
            index_persons([(person.pk, person.name_folded, person.birth_year)])


# --- the one transition function -------------------------------------------------------------


@transaction.atomic
def _run_register(step: Step[Record]) -> None:
    actor, record, today = step.actor, step.obj, step.params["today"]
    _register(actor, record, entry_number=step.params["entry_number"], today=today)

    def follow_up() -> None:
        _after_register(actor, record, today=today)
        personal_id_request_open(record=record)

    step.afterwards(follow_up)


def _run_amend(step: Step[Record]) -> None:
    p = step.params
    step.history["amendment"], warnings = _amend(
        step.actor,
        step.obj,
        legal_basis=step.legal_basis,
        changes=p["changes"],
        note=p["margin_note"],
        amended_on=p["amended_on"],
        officer_name=p["officer_name"],
        source_record=p["source_record"],
        confirm_warnings=p["confirm_warnings"],
        today=p["today"],
    )
    if warnings:
        step.detail["warnings_confirmed"] = [w.key for w in warnings]


def _run_revoke(step: Step[Record]) -> None:
    if not step.legal_basis.strip():
        raise ValidationFailed(
            _("Căn cứ hủy: chưa nhập quyết định hủy (bắt buộc)."), field="legal_basis"
        )


def _history(step: Step[Record]) -> None:
    Transition.objects.create(
        record=step.obj,
        action=step.action.name,
        from_status=step.from_status,
        to_status=step.to_status,
        actor_name=actor_name(step.actor),
        legal_basis=step.legal_basis[:300],
        amendment=step.history.get("amendment"),
    )


RECORD_LIFECYCLE = Lifecycle(
    model=Record,
    object_type=OBJECT_TYPE,
    noun=_("bản ghi"),
    statuses=Status,
    actions=[
        Action("register", _("Đăng ký"), "registry.register", Status.REGISTERED, _run_register),
        Action("discard", _("Bỏ bản nháp"), "registry.register", Status.DISCARDED),
        Action("amend", _("Ghi chú bên lề"), "registry.amend", None, _run_amend),
        Action("revoke", _("Hủy"), "registry.amend", Status.REVOKED, _run_revoke),
    ],
    table={
        Status.DRAFT: ("register", "discard"),
        Status.REGISTERED: ("amend", "revoke"),
        Status.REVOKED: (),
        Status.DISCARDED: (),
    },
    initial=(Status.DRAFT,),
    other_steps={"create": _("Tạo bản ghi")},
    scope=lambda actor, record: check_unit_scope(actor, record.unit),
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("unit", "book"),
)


def record_history(steps: Sequence[Transition]) -> list[dict[str, Any]]:
    """A record's steps as an officer reads them: labels and names, never codes."""
    actors = actor_labels(t.actor_name for t in steps)
    return RECORD_LIFECYCLE.history_words(steps, actors, "legal_basis")


def record_actions(actor: Actor, record: Record) -> list[tuple[str, Label]]:
    """The status changes ``actor`` may make to ``record`` now (a margin note has its own form)."""
    return [(a.name, a.label) for a in RECORD_LIFECYCLE.allowed(actor, record) if a.name != "amend"]


def record_transition(
    *,
    actor: Actor,
    record: Record,
    action: str,
    legal_basis: str = "",
    changes: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    note: str = "",
    amended_on: object = None,
    officer_name: str = "",
    source_record: Record | None = None,
    entry_number: int | None = None,
    confirm_warnings: bool | Collection[str] = False,
    today: dt.date | None = None,
) -> Record:
    """Apply one action of :data:`RECORD_LIFECYCLE` to a record.

    Actions: ``register`` (draft → registered, allocates the entry number), ``discard``
    (draft → discarded), ``amend`` (registered, adds a margin note: ``changes``, ``note``),
    ``revoke`` (registered → revoked, needs the legal basis of the cancelling decision). A margin
    note whose changes raise a warning of the entry's rules needs ``confirm_warnings`` as
    :func:`record_create` does.
    """
    RECORD_LIFECYCLE.transition(
        actor=actor,
        obj=record,
        action=action,
        legal_basis=legal_basis,
        changes=changes,
        margin_note=note,
        amended_on=amended_on,
        officer_name=officer_name,
        source_record=source_record,
        entry_number=entry_number,
        confirm_warnings=confirm_warnings,
        today=today or timezone.localdate(),
    )
    record.refresh_from_db()
    return record


def _register(actor: Actor, record: Record, *, entry_number: int | None, today: dt.date) -> None:
    persons = {p.role: p.person for p in record.parties.select_related("person")}
    _check_database_rules(record, persons)
    if record.book is None:
        record.book = book_open(
            actor=actor,
            unit=record.unit,
            event_type=record.event_type,
            year=record.registration_date.year,
        )
    record.entry_number = book_allocate_entry(book=record.book, entry_number=entry_number)
    record.registered_at = timezone.now()


def _after_register(actor: Actor, record: Record, *, today: dt.date) -> None:
    """Follow-ups of a registration on the record it refers to: a margin note on the target
    (with the changes for a correction or a sex re-determination), or its revocation."""
    target = record.related_record
    if target is None:
        return
    spec = spec_for(record.event_type)
    basis = str(
        format_lazy(
            _("{event}, sổ {book}, số {number}, ngày {date}"),
            event=spec.label,
            book=record.book_id,
            number=record.entry_number,
            date=record.registration.iso(),
        )
    )
    if spec.revokes_target:
        record_transition(
            actor=actor, record=target, action="revoke", legal_basis=basis, today=today
        )
        return
    changes: Any = None
    if record.event_type == EventType.CORRECTION:
        changes = record.data.get("changes")
    elif record.event_type == EventType.SEX_REDETERMINATION:
        role = next((p.role for p in target.parties.all() if p.role == Role.CHILD), None)
        if role:
            changes = validate_changes(target, {f"{role}.sex": record.data["new_sex"]}, today=today)
    record_transition(
        actor=actor,
        record=target,
        action="amend",
        legal_basis=basis,
        changes=changes,
        note=str(spec.label),
        amended_on=record.registration_date,
        officer_name=record.officer_name,
        source_record=record,
        today=today,
    )


def _amend(
    actor: Actor,
    record: Record,
    *,
    legal_basis: str,
    changes: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
    note: str,
    amended_on: object,
    officer_name: str,
    source_record: Record | None,
    confirm_warnings: bool | Collection[str],
    today: dt.date,
) -> tuple[Amendment, list[RuleWarning]]:
    """The margin note, and the warnings of its changes that were confirmed."""
    if not legal_basis.strip():
        raise ValidationFailed(
            _("Căn cứ pháp lý của ghi chú: chưa nhập (bắt buộc)."), field="legal_basis"
        )
    if len(legal_basis) > 300:
        raise ValidationFailed(
            _("Căn cứ pháp lý của ghi chú: dài quá 300 ký tự."), field="legal_basis"
        )
    warnings: list[RuleWarning] = []
    if isinstance(changes, Mapping):
        checked = validate_changes(record, changes, today=today)
        warnings = check_changes(record, checked)
        _require_confirmed(warnings, confirm_warnings)
    elif changes:
        checked = [dict(c) for c in changes]
    else:
        checked = []
    if not checked and not note.strip():
        raise ValidationFailed(_("Chưa nhập nội dung thay đổi."), field="changes")
    from hotich.registry.dates import parse_date

    on = parse_date(
        amended_on or today,
        field="amended_on",
        label=_("Ngày ghi chú"),
        allow_partial=False,
        today=today,
    )
    assert on is not None
    seq = (record.amendments.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    amendment = Amendment.objects.create(
        record=record,
        seq=seq,
        changes=checked,
        note=_short(note, "note", 500),
        legal_basis=legal_basis.strip(),
        amended_on=on.first_day(),
        officer_name=_short(officer_name, "officer_name", 100),
        source_record=source_record,
        created_by=acting_user(actor),
    )
    _apply_to_persons(record, checked)
    return amendment, warnings


def amendment_add(
    *,
    actor: Actor,
    record: Record,
    changes: Mapping[str, Any],
    legal_basis: str,
    note: str = "",
    amended_on: object = None,
    officer_name: str = "",
    confirm_warnings: bool | Collection[str] = False,
) -> Amendment:
    """Add a margin note to a registered record (through :func:`record_transition`)."""
    record_transition(
        actor=actor,
        record=record,
        action="amend",
        legal_basis=legal_basis,
        changes=changes,
        note=note,
        amended_on=amended_on,
        officer_name=officer_name,
        confirm_warnings=confirm_warnings,
    )
    return record.amendments.order_by("-seq").first()  # type: ignore[return-value]
