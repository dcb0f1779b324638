"""Reads of the registry. Every read of a person's record is audited ("read"); a search result
list is one ``audit_bulk`` entry holding the record ids. Queries are never logged."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require, scope_filter
from hotich.audit.services import audit_bulk, audit_record
from hotich.core.dates import display as display_date
from hotich.core.errors import Conflict, NotFound, ValidationFailed
from hotich.core.lookups import AnyOf
from hotich.core.replica import replica_reads
from hotich.core.text import fold
from hotich.geo.selectors import within_unit
from hotich.registry.dates import PartialDate
from hotich.registry.models import (
    Amendment,
    Book,
    Party,
    Person,
    PersonalIdRequest,
    Record,
    Transition,
)
from hotich.registry.search_index import persons_matching, persons_with_word, query_words
from hotich.registry.services.records import OBJECT_TYPE, current_values, record_history
from hotich.registry.vocabulary import (
    PARENT_ROLES,
    PERSON_FIELDS,
    PRINCIPAL_ROLES,
    SPECS,
    Status,
    field_label,
    role_label,
    value_label,
)
from hotich.signing.services import status_provider_register

MAX_LIMIT = 200
_VIEW_REFUSED = _("Bạn không có quyền xem sổ hộ tịch.")


def records_visible(actor: Actor) -> QuerySet[Record]:
    """Records within the actor's scope (all of them for the system, actor None)."""
    qs = Record.objects.select_related("unit", "book", "book__unit")
    if actor is None:
        return qs
    require(actor, "registry.view", message=_VIEW_REFUSED)
    return qs.filter(scope_filter(actor, "unit"))


def records_recent(*, actor: Actor, limit: int = 20) -> Sequence[Record]:
    """The latest records in scope (discarded drafts left out), each with ``principal_name``: the
    name of the person the entry is about. Showing the names is a read of personal data: one
    audit entry for the page."""
    principal = Party.objects.filter(record_id=OuterRef("pk"), role__in=PRINCIPAL_ROLES).order_by(
        "pk"
    )
    records: list[Record] = list(
        records_visible(actor)
        .exclude(status=Status.DISCARDED)
        .annotate(principal_name=Subquery(principal.values("person__full_name")[:1]))
        .order_by("-pk")[:limit]
    )
    if records:
        audit_bulk(
            actor=actor,
            action="read",
            object_type=OBJECT_TYPE,
            object_ids=[r.pk for r in records],
            detail={"via": "recent"},
        )
    return records


def records_numbered(*, book: Book, numbers: Sequence[int]) -> dict[int, Record]:
    """The records of ``book`` registered directly (not published from a scanned page) that
    hold the entry ``numbers``, by number: those a digitized entry of the same number clashes
    with."""
    records = Record.objects.filter(
        book=book, entry_number__in=list(numbers), page_image_id=None
    ).exclude(status=Status.DISCARDED)
    return {r.entry_number: r for r in records if r.entry_number is not None}


def record_current_values(*, actor: Actor, record: Record, purpose: str) -> dict[str, Any]:
    """The current values of ``record`` (base and margin notes) for a caller that has checked
    the actor's right to see it (``purpose`` says why, in the audit log's detail)."""
    audit_record(
        actor=actor,
        action="read",
        object_type=OBJECT_TYPE,
        object_id=record.pk,
        detail={"via": purpose},
    )
    return current_values(record)


def record_get(*, actor: Actor, record_id: int, audit: bool = True) -> Record:
    """One record in scope, or NotFound (404) when it does not exist for this actor."""
    record = records_visible(actor).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("Không tìm thấy bản ghi hộ tịch."), field="record_id")
    if audit:
        audit_record(actor=actor, action="read", object_type=OBJECT_TYPE, object_id=record.pk)
    return record


@dataclass
class RecordDetail:
    record: Record
    parties: list[Party]
    current: dict[str, Any]
    amendments: list[Amendment]
    history: list[Transition]
    follow_ups: list[Record]
    changed_fields: set[str] = field(default_factory=set)
    #: the request for the child's personal ID, while it is not assigned (birth records)
    personal_id_request: Any = None

    @property
    def spec(self) -> Any:
        return SPECS[self.record.event_type]

    def party_rows(self) -> list[tuple[Any, list[tuple[Any, Any, bool]]]]:
        """(role label, [(field label, current value, changed?)]) for each party."""
        out = []
        for party in self.parties:
            values = self.current["parties"].get(party.role, {})
            rows = [
                (
                    label,
                    value_label(
                        key,
                        display_date(values.get(key, ""))
                        if key == "birth_date"
                        else values.get(key, ""),
                    ),
                    f"{party.role}.{key}" in self.changed_fields,
                )
                for key, label in PERSON_FIELDS.items()
            ]
            out.append((role_label(party.role), rows))
        return out

    def amendment_lines(self) -> list[tuple[Amendment, list[dict[str, Any]]]]:
        """Each margin note with its changes as an officer reads them: field labels, values."""
        event_type = self.record.event_type
        return [
            (
                a,
                [
                    {
                        "field": field_label(event_type, c.get("field", "")),
                        "old": value_label(c.get("field", ""), c.get("old")),
                        "new": value_label(c.get("field", ""), c.get("new")),
                    }
                    for c in a.changes
                ],
            )
            for a in self.amendments
        ]

    def history_lines(self) -> list[dict[str, Any]]:
        """The history as an officer reads it: labels and names, never codes."""
        return record_history(self.history)

    def data_rows(self) -> list[tuple[Any, Any, bool]]:
        """(label, current value, changed?) for each event field of the record."""
        rows = []
        for fspec in self.spec.fields:
            value = self.current["data"].get(fspec.name, "")
            if fspec.choices:
                value = dict(fspec.choices).get(value, value)
            elif fspec.kind == "date":
                value = display_date(value)
            rows.append((fspec.label, value, fspec.name in self.changed_fields))
        return rows


def record_detail(*, actor: Actor, record_id: int) -> RecordDetail:
    """A record with its current values (base + margin notes in order) and full history."""
    record = record_get(actor=actor, record_id=record_id)
    parties = list(record.parties.select_related("person").order_by("position"))
    amendments = list(record.amendments.order_by("seq").select_related("source_record"))
    changed = {c["field"] for a in amendments for c in a.changes}
    return RecordDetail(
        record=record,
        parties=parties,
        current=current_values(record),
        amendments=amendments,
        history=list(record.transitions.order_by("at", "pk")),
        follow_ups=list(records_visible(actor).filter(related_record=record)),
        changed_fields=changed,
        personal_id_request=PersonalIdRequest.objects.filter(record=record)
        .exclude(state=PersonalIdRequest.State.ASSIGNED)
        .first(),
    )


@dataclass(frozen=True)
class RecordHit:
    """One search result: a record and the person of it the query matched."""

    id: int
    event_type: str
    status: str
    full_name: str
    birth_date: str
    unit: str
    book: int | None
    entry_number: int | None
    registration_date: str
    person_id: int
    relevance: int
    book_year: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_type": self.event_type,
            "full_name": self.full_name,
            "birth_date": self.birth_date,
            "unit": self.unit,
            "book": self.book,
            "entry_number": self.entry_number,
        }


def _name_filter(words: list[str], birth_year: int | None) -> Q:
    """Persons having, for every typed word, a name word that starts with it."""
    condition = Q()
    for word in words:
        condition &= Q(person_id__in=persons_with_word(word, birth_year))
    return condition


@replica_reads()
def record_search(
    *,
    actor: Actor,
    query: str = "",
    birth_year: int | None = None,
    birth_date: dt.date | None = None,
    parent: str = "",
    personal_id: str = "",
    book: int | None = None,
    entry_number: int | None = None,
    unit: Any = None,
    event_type: str = "",
    include_inactive: bool = False,
    limit: int = 50,
    audit: bool = True,
) -> list[RecordHit]:
    """Records whose principal person matches, within the actor's scope, most relevant first.

    ``query`` is a name typed with or without diacritics (or with a wrong tone mark: names are
    compared folded), or a 12-digit personal ID. Relevance: the exact folded full name, then
    the given name equal to the query's last word, then the rest; then name, then date.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    parties = Party.objects.filter(role__in=PRINCIPAL_ROLES)
    if actor is not None:
        require(actor, "registry.view", message=_VIEW_REFUSED)
        parties = parties.filter(scope_filter(actor, "record__unit"))
    if not include_inactive:
        parties = parties.filter(record__status=Status.REGISTERED)
    query = (query or "").strip()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) == 12:
        personal_id, query = digits, ""
    words = query_words(query)
    criteria = bool(
        words or birth_year or birth_date or parent or personal_id or book or entry_number
    )
    if not criteria:
        return []
    if birth_year:
        parties = parties.filter(person__birth_year=int(birth_year))
    if birth_date:
        parties = parties.filter(person__birth_date=birth_date, person__birth_precision="d")
    if personal_id:
        parties = parties.filter(person__personal_id=personal_id.replace(" ", ""))
    if book:
        parties = parties.filter(record__book_id=book)
    if entry_number:
        parties = parties.filter(record__entry_number=entry_number)
    if unit is not None:
        parties = within_unit(parties, unit, "record__unit")
    if event_type:
        parties = parties.filter(record__event_type=event_type)
    parent_words = query_words(parent)
    if parent_words:
        parent_q = Q()
        for word in parent_words:
            parent_q &= Q(person__name_folded__contains=word)
        parties = parties.filter(
            record_id__in=Party.objects.filter(parent_q, role__in=PARENT_ROLES).values("record_id")
        )
    if words:
        rows = _name_rows(parties, words, int(birth_year) if birth_year else None, limit)
    else:
        rows = _rows(parties, words, limit)
    hits = []
    for row in rows:
        birth = PartialDate.from_stored(row["person__birth_date"], row["person__birth_precision"])
        hits.append(
            RecordHit(
                id=row["record_id"],
                event_type=row["record__event_type"],
                status=row["record__status"],
                full_name=row["person__full_name"],
                birth_date=birth.iso() if birth else "",
                unit=row["record__unit__name"],
                book=row["record__book_id"],
                entry_number=row["record__entry_number"],
                registration_date=row["record__registration_date"].isoformat(),
                book_year=row["record__book__year"],
                person_id=row["person_id"],
                relevance=row["relevance"],
            )
        )
    if audit and hits:
        audit_bulk(
            actor=actor,
            action="read",
            object_type=OBJECT_TYPE,
            object_ids=[h.id for h in hits],
            detail={"via": "search"},
        )
    return hits


def _name_rows(
    parties: QuerySet[Party], words: list[str], year: int | None, limit: int
) -> list[dict[str, Any]]:
    """The first page of ``parties`` whose person matches every typed word, by relevance.

    The persons matching come from one index range scan; when they are too many (very common
    words and no year), the relevance tiers answer if they fill the page (every other match
    ranks after them), and otherwise the database joins.
    """
    ids = persons_matching(words, year)
    if ids is not None:
        if len(ids) > FIRST_PERSONS:
            first = _first_persons(ids, words, FIRST_PERSONS)
            if first is not None:
                rows = _rows(parties.filter(AnyOf(F("person_id"), first)), words, limit)
                if len(rows) == limit:
                    return rows
        return _rows(parties.filter(AnyOf(F("person_id"), ids)), words, limit)
    if year is None:
        rows = _common_words_rows(parties, words, limit)
        if len(rows) == limit:
            return rows
    return _rows(parties.filter(_name_filter(words, year)), words, limit)


#: a common name born in one year of ten million records matches thousands of persons: the
#: page is first looked for among the persons that rank first
FIRST_PERSONS = 100


def _first_persons(ids: list[int], words: list[str], count: int) -> list[int] | None:
    """The ``count`` persons of ``ids`` that rank first (relevance, name, birth date), and every
    person tied with the last of them; None when the ties run past twice ``count``.

    Read from the persons alone, without their records: every record of a person left out
    ranks after every record of the persons kept, so a page filled from the kept persons is
    the page (``_name_rows``)."""
    ranked = list(
        Person.objects.filter(AnyOf(F("id"), ids))
        .annotate(relevance=_relevance(words, ""))
        .order_by("relevance", "name_folded", "birth_date", "id")
        .values_list("id", "relevance", "name_folded", "birth_date")[: 2 * count]
    )
    if len(ranked) <= count:
        return [row[0] for row in ranked]
    last = ranked[count - 1][1:]
    kept = ranked[:count] + list(itertools.takewhile(lambda r: r[1:] == last, ranked[count:]))
    if len(kept) == len(ranked):
        return None
    return [row[0] for row in kept]


def _relevance(words: list[str], path: str) -> Case:
    """0 for the exact folded full name, 1 for the given name equal to the last typed word, 2
    for the rest; ``path``: the way from the queried model to the person."""
    return Case(
        When(**{f"{path}name_folded": " ".join(words)}, then=Value(0)),
        When(**{f"{path}given_folded": words[-1] if words else ""}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _common_words_rows(
    parties: QuerySet[Party], words: list[str], limit: int
) -> list[dict[str, Any]]:
    """The first page for a name made only of very common words, by relevance tier.

    Rows rank by the exact full name, then the given name equal to the last word, then the
    rest. Each tier is a narrow index look-up; a tier that fills the page is the answer, since
    every row of a later tier ranks after it. A short list means the caller must run the full
    match (rare: few people carry that name).
    """
    exact = _rows(parties.filter(person__name_folded=" ".join(words)), words, limit)
    if len(exact) == limit:
        return exact
    given = parties.filter(person__given_folded=words[-1])
    for word in words[:-1]:
        given = given.filter(
            Q(person__name_folded__startswith=word) | Q(person__name_folded__contains=f" {word}")
        )
    return _rows(given, words, limit)


def _rows(parties: QuerySet[Party], words: list[str], limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` matches, most relevant first: the exact folded full name, then the
    given name equal to the last word, then the rest; then by name, birth date and record.

    Two statements: the page is chosen on the ranking keys alone (parties, persons, records),
    then its rows' display columns are read, so the units and books are joined for the page's
    rows only, whatever the number of matches (a common name born in one year of ten million
    records is thousands).
    """
    ranked = parties.annotate(relevance=_relevance(words, "person__")).order_by(
        "relevance", "person__name_folded", "person__birth_date", "record_id"
    )
    page = dict(ranked.values_list("pk", "relevance")[:limit])
    if not page:
        return []
    rows = (
        Party.objects.filter(pk__in=page)
        .order_by()
        .values(
            "pk",
            "record_id",
            "record__event_type",
            "record__status",
            "person__full_name",
            "person__birth_date",
            "person__birth_precision",
            "record__unit__name",
            "record__book_id",
            "record__book__year",
            "record__entry_number",
            "record__registration_date",
            "person_id",
        )
    )
    by_pk = {row["pk"]: dict(row, relevance=page[row["pk"]]) for row in rows}
    return [by_pk[pk] for pk in page if pk in by_pk]  # a party removed between the two reads


def record_for_copy(
    *,
    actor: Actor,
    event_type: str,
    personal_id: str = "",
    full_name: str = "",
    birth_date: dt.date | None = None,
) -> Record:
    """The one registered record a citizen asks a copy of, wherever it was registered.

    Any authority may issue a copy of any record (Law on Civil Status), but an officer may not
    browse outside their unit: the request must name the person exactly, by personal ID or by
    full name and full date of birth, and the answer is the record or a refusal, never a list.
    The look-up is audited with the requester.
    """
    require(actor, "registry.extract", message=_("Bạn không có quyền cấp trích lục hộ tịch."))
    parties = Party.objects.filter(
        role__in=PRINCIPAL_ROLES,
        record__event_type=event_type,
        record__status=Status.REGISTERED,
    )
    number = personal_id.replace(" ", "")
    if number:
        parties = parties.filter(person__personal_id=number)
    elif full_name.strip() and birth_date is not None:
        parties = parties.filter(
            person__name_folded=" ".join(query_words(full_name)),
            person__birth_date=birth_date,
            person__birth_precision="d",
        )
    else:
        raise ValidationFailed(
            _("Cần số định danh cá nhân, hoặc họ tên và ngày sinh đầy đủ."), field="personal_id"
        )
    record_ids = sorted(set(parties.values_list("record_id", flat=True)[:2]))
    if not record_ids:
        raise NotFound(_("Không có bản ghi nào khớp với thông tin yêu cầu."), field="personal_id")
    if len(record_ids) > 1:
        raise Conflict(
            _("Có nhiều bản ghi khớp; cần số định danh cá nhân để xác định."), field="personal_id"
        )
    audit_record(
        actor=actor,
        action="read",
        object_type=OBJECT_TYPE,
        object_id=record_ids[0],
        legal_basis="Yêu cầu cấp bản sao trích lục (Luật Hộ tịch 2014, Điều 63)",
        detail={"via": "copy_request"},
    )
    return Record.objects.select_related("unit", "book", "book__unit").get(pk=record_ids[0])


def book_list(*, actor: Actor) -> QuerySet[Book]:
    qs = Book.objects.select_related("unit", "scope_unit").order_by("-year", "event_type")
    if actor is None:
        return qs
    require(actor, "registry.view", message=_VIEW_REFUSED)
    return qs.filter(scope_filter(actor, "scope_unit"))


def historic_books(*, actor: Any) -> QuerySet[Book]:
    """The historic books (those being digitized) whose scope unit is in the actor's scope,
    newest first; every one for the system (actor None)."""
    qs = Book.objects.filter(is_historic=True).select_related("unit", "scope_unit")
    if actor is None:
        return qs
    return qs.filter(scope_filter(actor, "scope_unit")).order_by("-year", "pk")


def fold_query(query: str) -> str:
    return fold(query)


def record_paper_status(record_id: str, issued_at: dt.datetime) -> str | None:
    """Whether a paper issued from a record at ``issued_at`` still states the register: ``None``
    when it does, otherwise why not (shown on the public verify page, naming no one)."""
    status = Record.objects.filter(pk=record_id).values_list("status", flat=True).first()
    if status is None or status == Status.REVOKED:
        return str(_("Bản ghi hộ tịch đã bị hủy theo quyết định; giấy này không còn giá trị."))
    if Amendment.objects.filter(record_id=record_id, created_at__gt=issued_at).exists():
        return str(
            _(
                "Thông tin hộ tịch đã được thay đổi, cải chính sau ngày cấp giấy này; "
                "giấy này không còn phản ánh thông tin hiện hành."
            )
        )
    return None


status_provider_register(OBJECT_TYPE, record_paper_status)
