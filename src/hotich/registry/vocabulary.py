"""The registry's vocabulary: event types, party roles, statuses, and one spec per event type.

An :class:`EventSpec` says which parties an entry of that type has and which event-specific
fields (``Record.data``) it carries; the same spec validates service input, drives the generic
officer form and documents the API. Messages are Vietnamese msgids (English through gettext).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # Registered directly by the authority (Law on Civil Status 2014, art. 3.1).
    BIRTH = "birth", _("Khai sinh")
    MARRIAGE = "marriage", _("Kết hôn")
    GUARDIANSHIP = "guardianship", _("Giám hộ")
    GUARDIANSHIP_END = "guardianship_end", _("Chấm dứt giám hộ")
    RECOGNITION = "recognition", _("Nhận cha, mẹ, con")
    CORRECTION = "correction", _("Thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc")
    DEATH = "death", _("Khai tử")
    # Recorded from a court or other decision (art. 3.2).
    NATIONALITY_CHANGE = "nationality_change", _("Thay đổi quốc tịch")
    PARENTAGE = "parentage", _("Xác định cha, mẹ, con")
    SEX_REDETERMINATION = "sex_redetermination", _("Xác định lại giới tính")
    ADOPTION = "adoption", _("Nuôi con nuôi")
    ADOPTION_END = "adoption_end", _("Chấm dứt việc nuôi con nuôi")
    DIVORCE = "divorce", _("Ly hôn")
    ANNULMENT = "annulment", _("Hủy việc kết hôn trái pháp luật")
    MARRIAGE_RECOGNITION = "marriage_recognition", _("Công nhận việc kết hôn")
    GUARDIANSHIP_RECOGNITION = "guardianship_recognition", _("Công nhận giám hộ")
    MISSING = "missing", _("Tuyên bố mất tích")
    MISSING_CANCELLED = "missing_cancelled", _("Hủy tuyên bố mất tích")
    DECLARED_DEAD = "declared_dead", _("Tuyên bố đã chết")
    DECLARED_DEAD_CANCELLED = "declared_dead_cancelled", _("Hủy tuyên bố đã chết")
    CAPACITY = "capacity", _("Mất, hạn chế năng lực hành vi dân sự")
    # Settled abroad, recorded here (art. 3.3).
    ABROAD_BIRTH = "abroad_birth", _("Khai sinh ở nước ngoài")
    ABROAD_MARRIAGE = "abroad_marriage", _("Kết hôn ở nước ngoài")
    ABROAD_DIVORCE = "abroad_divorce", _("Ly hôn, hủy kết hôn ở nước ngoài")
    ABROAD_ADOPTION = "abroad_adoption", _("Nuôi con nuôi ở nước ngoài")
    ABROAD_DEATH = "abroad_death", _("Khai tử ở nước ngoài")
    ABROAD_OTHER = "abroad_other", _("Việc hộ tịch khác ở nước ngoài")


class Category(models.TextChoices):
    DIRECT = "direct", _("Đăng ký")
    DECISION = "decision", _("Ghi vào sổ theo bản án, quyết định")
    ABROAD = "abroad", _("Ghi vào sổ việc đã giải quyết ở nước ngoài")


class Role(models.TextChoices):
    CHILD = "child", _("Con")
    FATHER = "father", _("Cha")
    MOTHER = "mother", _("Mẹ")
    PARENT = "parent", _("Cha/mẹ")
    HUSBAND = "husband", _("Chồng")
    WIFE = "wife", _("Vợ")
    DECEASED = "deceased", _("Người chết")
    SUBJECT = "subject", _("Người được đăng ký")
    GUARDIAN = "guardian", _("Người giám hộ")
    WARD = "ward", _("Người được giám hộ")
    PETITIONER = "petitioner", _("Người yêu cầu")


#: Roles whose name a name search looks at (parents are searched through ``parent=``).
PRINCIPAL_ROLES = frozenset(
    {Role.CHILD, Role.HUSBAND, Role.WIFE, Role.DECEASED, Role.SUBJECT, Role.WARD}
)
PARENT_ROLES = frozenset({Role.FATHER, Role.MOTHER, Role.PARENT})


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REGISTERED = "registered", _("Đã đăng ký")
    REVOKED = "revoked", _("Đã bị hủy theo quyết định")
    DISCARDED = "discarded", _("Đã bỏ (nháp)")


#: the Vietnamese address of each event type's form (``/ho-tich/dang-ky/khai-sinh/``)
EVENT_SLUGS: dict[str, str] = {
    EventType.BIRTH: "khai-sinh",
    EventType.MARRIAGE: "ket-hon",
    EventType.GUARDIANSHIP: "giam-ho",
    EventType.GUARDIANSHIP_END: "cham-dut-giam-ho",
    EventType.RECOGNITION: "nhan-cha-me-con",
    EventType.CORRECTION: "cai-chinh-ho-tich",
    EventType.DEATH: "khai-tu",
    EventType.NATIONALITY_CHANGE: "thay-doi-quoc-tich",
    EventType.PARENTAGE: "xac-dinh-cha-me-con",
    EventType.SEX_REDETERMINATION: "xac-dinh-lai-gioi-tinh",
    EventType.ADOPTION: "nuoi-con-nuoi",
    EventType.ADOPTION_END: "cham-dut-nuoi-con-nuoi",
    EventType.DIVORCE: "ly-hon",
    EventType.ANNULMENT: "huy-ket-hon-trai-phap-luat",
    EventType.MARRIAGE_RECOGNITION: "cong-nhan-ket-hon",
    EventType.GUARDIANSHIP_RECOGNITION: "cong-nhan-giam-ho",
    EventType.MISSING: "tuyen-bo-mat-tich",
    EventType.MISSING_CANCELLED: "huy-tuyen-bo-mat-tich",
    EventType.DECLARED_DEAD: "tuyen-bo-da-chet",
    EventType.DECLARED_DEAD_CANCELLED: "huy-tuyen-bo-da-chet",
    EventType.CAPACITY: "nang-luc-hanh-vi-dan-su",
    EventType.ABROAD_BIRTH: "khai-sinh-o-nuoc-ngoai",
    EventType.ABROAD_MARRIAGE: "ket-hon-o-nuoc-ngoai",
    EventType.ABROAD_DIVORCE: "ly-hon-o-nuoc-ngoai",
    EventType.ABROAD_ADOPTION: "nuoi-con-nuoi-o-nuoc-ngoai",
    EventType.ABROAD_DEATH: "khai-tu-o-nuoc-ngoai",
    EventType.ABROAD_OTHER: "viec-ho-tich-khac-o-nuoc-ngoai",
}
EVENT_BY_SLUG = {slug: code for code, slug in EVENT_SLUGS.items()}


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


@dataclass(frozen=True)
class FieldSpec:
    """One event-specific field of ``Record.data``. ``kind``: text, date, choice, sex."""

    name: str
    label: str | Promise
    kind: str = "text"
    required: bool = False
    max_length: int = 255
    choices: tuple[tuple[str, str | Promise], ...] = ()


@dataclass(frozen=True)
class PartySpec:
    role: str
    required: bool = True
    sex: str | None = None  # the sex the role implies, when it does
    full_birth_date: bool = False  # whether the person's full birth date is required


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    category: str
    parties: tuple[PartySpec, ...]
    fields: tuple[FieldSpec, ...] = ()
    #: event types of the earlier record this one refers to (``Record.related_record``)
    target_types: tuple[str, ...] = ()
    target_required: bool = False
    #: registering this record revokes its target (a decision cancelling an earlier one)
    revokes_target: bool = False
    #: registering this record ends the target marriage
    ends_marriage: bool = False
    code: str = ""  # short book code

    @property
    def label(self) -> str | Promise:
        return EventType(self.event_type).label

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def party(self, role: str) -> PartySpec | None:
        return next((p for p in self.parties if p.role == role), None)


DECISION_FIELDS = (
    FieldSpec("decision_number", _("Số bản án/quyết định"), required=True, max_length=60),
    FieldSpec("decision_date", _("Ngày bản án/quyết định"), kind="date", required=True),
    FieldSpec("authority", _("Tòa án/cơ quan ra quyết định"), required=True, max_length=200),
    FieldSpec("effective_date", _("Ngày có hiệu lực"), kind="date"),
    FieldSpec("note", _("Ghi chú"), max_length=500),
)
ABROAD_FIELDS = (
    FieldSpec("country", _("Nước"), required=True, max_length=80),
    FieldSpec("decision_number", _("Số giấy tờ"), max_length=60),
    FieldSpec("decision_date", _("Ngày giải quyết ở nước ngoài"), kind="date", required=True),
    FieldSpec("authority", _("Cơ quan có thẩm quyền nước ngoài"), required=True, max_length=200),
    FieldSpec("note", _("Ghi chú"), max_length=500),
)
BIRTH_KINDS = (
    ("on_time", _("Đúng hạn")),
    ("late", _("Quá hạn")),
    ("re_registration", _("Đăng ký lại")),
)
CORRECTION_KINDS = (
    ("change", _("Thay đổi hộ tịch")),
    ("correct", _("Cải chính hộ tịch")),
    ("ethnicity", _("Xác định lại dân tộc")),
    ("supplement", _("Bổ sung thông tin hộ tịch")),
)
RECOGNITION_KINDS = (
    ("father", _("Nhận cha")),
    ("mother", _("Nhận mẹ")),
    ("child", _("Nhận con")),
)
_P = PartySpec
_F = FieldSpec

SPECS: dict[str, EventSpec] = {
    s.event_type: s
    for s in (
        EventSpec(
            EventType.BIRTH,
            Category.DIRECT,
            (
                _P(Role.CHILD, full_birth_date=True),
                _P(Role.FATHER, False, "M"),
                _P(Role.MOTHER, False, "F"),
            ),
            (
                _F("kind", _("Loại đăng ký"), "choice", choices=BIRTH_KINDS),
                _F("declarant_name", _("Người đi khai"), max_length=100),
                _F("declarant_relation", _("Quan hệ với người được khai sinh"), max_length=60),
            ),
            code="KS",
        ),
        EventSpec(
            EventType.MARRIAGE,
            Category.DIRECT,
            (
                _P(Role.HUSBAND, sex="M", full_birth_date=True),
                _P(Role.WIFE, sex="F", full_birth_date=True),
            ),
            code="KH",
        ),
        EventSpec(
            EventType.DEATH,
            Category.DIRECT,
            (_P(Role.DECEASED),),
            (
                _F("death_date", _("Ngày chết"), "date", required=True),
                _F("death_place", _("Nơi chết"), required=True),
                _F("death_cause", _("Nguyên nhân chết"), max_length=200),
                _F("declarant_name", _("Người đi khai"), max_length=100),
            ),
            code="KT",
        ),
        EventSpec(
            EventType.RECOGNITION,
            Category.DIRECT,
            (_P(Role.PARENT), _P(Role.CHILD)),
            (_F("kind", _("Loại việc"), "choice", required=True, choices=RECOGNITION_KINDS),),
            target_types=(EventType.BIRTH,),
            code="CMC",
        ),
        EventSpec(
            EventType.CORRECTION,
            Category.DIRECT,
            (_P(Role.SUBJECT),),
            (
                _F("kind", _("Loại việc"), "choice", required=True, choices=CORRECTION_KINDS),
                _F("reason", _("Lý do"), required=True, max_length=500),
            ),
            target_types=tuple(EventType.values),
            target_required=True,
            code="TĐCC",
        ),
        EventSpec(
            EventType.GUARDIANSHIP,
            Category.DIRECT,
            (_P(Role.GUARDIAN), _P(Role.WARD)),
            (
                _F(
                    "kind",
                    _("Loại giám hộ"),
                    "choice",
                    choices=(("appointed", _("Giám hộ cử")), ("legal", _("Giám hộ đương nhiên"))),
                ),
                _F("start_date", _("Ngày bắt đầu giám hộ"), "date"),
            ),
            code="GH",
        ),
        EventSpec(
            EventType.GUARDIANSHIP_END,
            Category.DIRECT,
            (_P(Role.GUARDIAN, False), _P(Role.WARD)),
            (_F("reason", _("Lý do chấm dứt"), required=True, max_length=500),),
            target_types=(EventType.GUARDIANSHIP, EventType.GUARDIANSHIP_RECOGNITION),
            code="CDGH",
        ),
        EventSpec(
            EventType.NATIONALITY_CHANGE,
            Category.DECISION,
            (_P(Role.SUBJECT),),
            (
                *DECISION_FIELDS,
                _F(
                    "kind",
                    _("Loại việc"),
                    "choice",
                    required=True,
                    choices=(
                        ("acquire", _("Nhập quốc tịch")),
                        ("lose", _("Thôi quốc tịch")),
                        ("regain", _("Trở lại quốc tịch")),
                    ),
                ),
                _F("nationality", _("Quốc tịch"), required=True, max_length=80),
            ),
            code="QT",
        ),
        EventSpec(
            EventType.PARENTAGE,
            Category.DECISION,
            (_P(Role.PARENT), _P(Role.CHILD)),
            DECISION_FIELDS,
            target_types=(EventType.BIRTH,),
            code="XĐCMC",
        ),
        EventSpec(
            EventType.SEX_REDETERMINATION,
            Category.DECISION,
            (_P(Role.SUBJECT),),
            (*DECISION_FIELDS, _F("new_sex", _("Giới tính mới"), "sex", required=True)),
            target_types=(EventType.BIRTH,),
            code="XĐGT",
        ),
        EventSpec(
            EventType.ADOPTION,
            Category.DECISION,
            (_P(Role.FATHER, False, "M"), _P(Role.MOTHER, False, "F"), _P(Role.CHILD)),
            DECISION_FIELDS,
            code="NCN",
        ),
        EventSpec(
            EventType.ADOPTION_END,
            Category.DECISION,
            (_P(Role.CHILD),),
            DECISION_FIELDS,
            target_types=(EventType.ADOPTION, EventType.ABROAD_ADOPTION),
            code="CDNCN",
        ),
        EventSpec(
            EventType.DIVORCE,
            Category.DECISION,
            (_P(Role.HUSBAND, sex="M"), _P(Role.WIFE, sex="F")),
            DECISION_FIELDS,
            target_types=(
                EventType.MARRIAGE,
                EventType.MARRIAGE_RECOGNITION,
                EventType.ABROAD_MARRIAGE,
            ),
            ends_marriage=True,
            code="LH",
        ),
        EventSpec(
            EventType.ANNULMENT,
            Category.DECISION,
            (_P(Role.HUSBAND, sex="M"), _P(Role.WIFE, sex="F")),
            DECISION_FIELDS,
            target_types=(
                EventType.MARRIAGE,
                EventType.MARRIAGE_RECOGNITION,
                EventType.ABROAD_MARRIAGE,
            ),
            ends_marriage=True,
            code="HKH",
        ),
        EventSpec(
            EventType.MARRIAGE_RECOGNITION,
            Category.DECISION,
            (_P(Role.HUSBAND, sex="M"), _P(Role.WIFE, sex="F")),
            DECISION_FIELDS,
            code="CNKH",
        ),
        EventSpec(
            EventType.GUARDIANSHIP_RECOGNITION,
            Category.DECISION,
            (_P(Role.GUARDIAN), _P(Role.WARD)),
            DECISION_FIELDS,
            code="CNGH",
        ),
        EventSpec(
            EventType.MISSING, Category.DECISION, (_P(Role.SUBJECT),), DECISION_FIELDS, code="MT"
        ),
        EventSpec(
            EventType.MISSING_CANCELLED,
            Category.DECISION,
            (_P(Role.SUBJECT),),
            DECISION_FIELDS,
            target_types=(EventType.MISSING,),
            revokes_target=True,
            code="HMT",
        ),
        EventSpec(
            EventType.DECLARED_DEAD,
            Category.DECISION,
            (_P(Role.SUBJECT),),
            (*DECISION_FIELDS, _F("death_date", _("Ngày được coi là đã chết"), "date")),
            code="TBC",
        ),
        EventSpec(
            EventType.DECLARED_DEAD_CANCELLED,
            Category.DECISION,
            (_P(Role.SUBJECT),),
            DECISION_FIELDS,
            target_types=(EventType.DECLARED_DEAD,),
            revokes_target=True,
            code="HTBC",
        ),
        EventSpec(
            EventType.CAPACITY,
            Category.DECISION,
            (_P(Role.SUBJECT),),
            (
                *DECISION_FIELDS,
                _F(
                    "kind",
                    _("Loại việc"),
                    "choice",
                    required=True,
                    choices=(
                        ("lost", _("Mất năng lực hành vi dân sự")),
                        ("restricted", _("Hạn chế năng lực hành vi dân sự")),
                        ("difficulty", _("Khó khăn trong nhận thức, làm chủ hành vi")),
                        ("restored", _("Hủy quyết định")),
                    ),
                ),
            ),
            code="NLHV",
        ),
        EventSpec(
            EventType.ABROAD_BIRTH,
            Category.ABROAD,
            (
                _P(Role.CHILD, full_birth_date=True),
                _P(Role.FATHER, False, "M"),
                _P(Role.MOTHER, False, "F"),
            ),
            ABROAD_FIELDS,
            code="GCKS",
        ),
        EventSpec(
            EventType.ABROAD_MARRIAGE,
            Category.ABROAD,
            (_P(Role.HUSBAND, sex="M"), _P(Role.WIFE, sex="F")),
            ABROAD_FIELDS,
            code="GCKH",
        ),
        EventSpec(
            EventType.ABROAD_DIVORCE,
            Category.ABROAD,
            (_P(Role.HUSBAND, sex="M"), _P(Role.WIFE, sex="F")),
            ABROAD_FIELDS,
            target_types=(
                EventType.MARRIAGE,
                EventType.ABROAD_MARRIAGE,
                EventType.MARRIAGE_RECOGNITION,
            ),
            ends_marriage=True,
            code="GCLH",
        ),
        EventSpec(
            EventType.ABROAD_ADOPTION,
            Category.ABROAD,
            (_P(Role.FATHER, False, "M"), _P(Role.MOTHER, False, "F"), _P(Role.CHILD)),
            ABROAD_FIELDS,
            code="GCNCN",
        ),
        EventSpec(
            EventType.ABROAD_DEATH,
            Category.ABROAD,
            (_P(Role.DECEASED),),
            (*ABROAD_FIELDS, _F("death_date", _("Ngày chết"), "date", required=True)),
            code="GCKT",
        ),
        EventSpec(
            EventType.ABROAD_OTHER,
            Category.ABROAD,
            (_P(Role.SUBJECT),),
            (*ABROAD_FIELDS, _F("kind", _("Việc hộ tịch"), required=True, max_length=120)),
            code="GCK",
        ),
    )
}
assert set(SPECS) == set(EventType.values)

MARRIAGE_TYPES = (EventType.MARRIAGE, EventType.MARRIAGE_RECOGNITION, EventType.ABROAD_MARRIAGE)
MARRIAGE_END_TYPES = tuple(t for t, s in SPECS.items() if s.ends_marriage)
DEATH_TYPES = (EventType.DEATH, EventType.DECLARED_DEAD, EventType.ABROAD_DEATH)
BIRTH_TYPES = (EventType.BIRTH, EventType.ABROAD_BIRTH)
#: Event types whose parents (father, mother or parent) are the child's by birth.
PARENTAGE_TYPES = (*BIRTH_TYPES, EventType.RECOGNITION, EventType.PARENTAGE)
#: Records naming a parent (by birth or adoption) and a child: the two may not marry.
FAMILY_TYPES = (*PARENTAGE_TYPES, EventType.ADOPTION, EventType.ABROAD_ADOPTION)

#: Person fields a record writes for each party (``Party.as_written``); amendments address them
#: as ``<role>.<field>``.
PERSON_FIELDS: dict[str, str | Promise] = {
    "full_name": _("Họ, chữ đệm và tên"),
    "sex": _("Giới tính"),
    "birth_date": _("Ngày sinh"),
    "birth_place": _("Nơi sinh"),
    "ethnicity": _("Dân tộc"),
    "nationality": _("Quốc tịch"),
    "personal_id": _("Số định danh cá nhân"),
    "residence": _("Nơi cư trú"),
    "home_town": _("Quê quán"),
}
PERSON_MAX_LENGTH = {
    "full_name": 100,
    "birth_place": 255,
    "ethnicity": 40,
    "nationality": 80,
    "residence": 255,
    "home_town": 255,
}
NAME_PART_MAX = 40

ROLE_FIELD_LABELS = {"unit": _("Đơn vị đăng ký")}


_ROLE_LABELS: dict[str, str | Promise] = {r.value: r.label for r in Role}


def role_label(role: str) -> str | Promise:
    return _ROLE_LABELS.get(role, role)


#: the kinds of paper the registry has the signing context sign (``extracts.document.Kind``)
SIGNED_KINDS = {
    "birth_certificate": _("Giấy khai sinh"),
    "marriage_certificate": _("Giấy chứng nhận kết hôn"),
    "extract": _("Trích lục hộ tịch"),
}


def field_label(event_type: str, key: str) -> str:
    """The label of a field a margin note names: ``"child.birth_place"`` reads "Người được khai
    sinh – Nơi sinh", an event field its own label; an unknown key stays as it is."""
    role, dot, name = key.partition(".")
    if dot:
        return f"{role_label(role)} – {PERSON_FIELDS.get(name, name)}"
    spec = SPECS.get(event_type)
    found = next((f.label for f in spec.fields if f.name == key), None) if spec else None
    return str(found) if found is not None else key


def value_label(key: str, value: Any) -> Any:
    """A stored value as a person reads it: the sex ``"M"``/``"F"`` as "Nam"/"Nữ"."""
    if key.endswith("sex") and value in Sex.values:
        return Sex(value).label
    return value


def spec_for(event_type: str) -> EventSpec:
    return SPECS[event_type]
