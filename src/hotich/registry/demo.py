"""Demo records: registered births, marriages and deaths with linked persons, plus some historic
books with partial dates. Every entry passes the same validation as ``record_create``
(``clean_record``); writes are bulk, with one audit entry for the batch."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from hotich.audit.services import audit_bulk
from hotich.core.names import random_name
from hotich.geo.selectors import unit_predecessors
from hotich.geo.vocabulary import Era
from hotich.people.personal_id import generate_personal_id
from hotich.registry.models import Book, Party, Person, Record, Transition
from hotich.registry.search_index import index_persons
from hotich.registry.services.books import book_open
from hotich.registry.services.records import person_build
from hotich.registry.services.validation import CleanRecord, clean_record
from hotich.registry.vocabulary import PRINCIPAL_ROLES, EventType, Status, spec_for

if TYPE_CHECKING:
    from hotich.geo.models import Unit

PLACES = ["Bệnh viện Sản Nhi Nghệ An", "Trạm y tế xã", "Bệnh viện Đa khoa huyện", "Tại nhà"]
ETHNICITIES = [("Kinh", 85), ("Thái", 9), ("Khơ Mú", 3), ("Hmông", 2), ("Ơ Đu", 1)]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def _person(
    rng: random.Random,
    *,
    sex: str | None,
    born: dt.date | str,
    unit: Unit,
    surname: str | None = None,
    with_id: bool = True,
) -> dict[str, Any]:
    name = random_name(rng, sex=sex, surname=surname)
    ethnicity = rng.choices([e for e, _w in ETHNICITIES], [w for _e, w in ETHNICITIES])[0]
    values: dict[str, Any] = {
        "full_name": name.full,
        "sex": name.sex,
        "birth_date": born.isoformat() if isinstance(born, dt.date) else born,
        "ethnicity": ethnicity,
        "nationality": "Việt Nam",
        "residence": unit.name,
        "home_town": f"{unit.name}, Nghệ An",
    }
    if with_id and isinstance(born, dt.date) and born.year >= 1900:
        values["personal_id"] = generate_personal_id(
            rng, province_code=40, sex=name.sex, birth_year=born.year
        )
    return values


def _historic_unit(unit: Unit) -> Unit:
    mapping = unit_predecessors(unit).first()
    return mapping.old_unit if mapping else unit


@transaction.atomic
def demo_records(*, units: Sequence[Unit], rng: random.Random, count: int) -> int:
    """Create about ``count`` registered records spread over ``units`` (current communes).

    Returns the number of records created.
    """
    today = timezone.localdate()
    current = [u for u in units if u.era == Era.CURRENT] or list(units)
    if not current or count <= 0:
        return 0
    planned: list[tuple[Unit, CleanRecord, Book | None, str | None]] = []
    couples: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for _ in range(count):
        unit = rng.choice(current)
        roll = rng.random()
        if roll < 0.08:  # a historic birth, year-only or year-month dates
            year = rng.randint(1965, 1990)
            partial = f"{year}" if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}"
            child = _person(rng, sex=None, born=partial, unit=unit, with_id=False)
            clean = clean_record(
                spec=spec_for(EventType.BIRTH),
                registration_date=str(year),
                parties={"child": child},
                data={},
                is_historic=True,
                today=today,
            )
            book_key = f"h{year}"
        elif roll < 0.30:
            reg = _date_between(rng, today - dt.timedelta(days=3650), today)
            husband = _person(
                rng,
                sex="M",
                unit=unit,
                born=_date_between(
                    rng, reg - dt.timedelta(days=365 * 35), reg - dt.timedelta(days=365 * 21)
                ),
            )
            wife = _person(
                rng,
                sex="F",
                unit=unit,
                born=_date_between(
                    rng, reg - dt.timedelta(days=365 * 32), reg - dt.timedelta(days=365 * 19)
                ),
            )
            clean = clean_record(
                spec=spec_for(EventType.MARRIAGE),
                registration_date=reg,
                parties={"husband": husband, "wife": wife},
                data={},
                is_historic=False,
                today=today,
            )
            couples[unit.pk].append((husband, wife))
            book_key = None
        elif roll < 0.45:
            died = _date_between(rng, today - dt.timedelta(days=3650), today - dt.timedelta(1))
            reg = min(today, died + dt.timedelta(days=rng.randint(0, 20)))
            born = _date_between(
                rng, died - dt.timedelta(days=365 * 95), died - dt.timedelta(days=365 * 40)
            )
            deceased = _person(rng, sex=None, born=born, unit=unit)
            clean = clean_record(
                spec=spec_for(EventType.DEATH),
                registration_date=reg,
                parties={"deceased": deceased},
                data={
                    "death_date": died.isoformat(),
                    "death_place": rng.choice(PLACES),
                    "death_cause": "Bệnh",
                },
                is_historic=False,
                today=today,
            )
            book_key = None
        else:
            born = _date_between(rng, today - dt.timedelta(days=3650), today - dt.timedelta(2))
            reg = min(today, born + dt.timedelta(days=rng.randint(1, 60)))
            pair = rng.choice(couples[unit.pk]) if couples[unit.pk] and rng.random() < 0.6 else None
            father = (
                pair[0]
                if pair
                else _person(
                    rng,
                    sex="M",
                    unit=unit,
                    born=str(born.year - rng.randint(22, 40)),
                    with_id=False,
                )
            )
            mother = (
                pair[1]
                if pair
                else _person(
                    rng,
                    sex="F",
                    unit=unit,
                    born=str(born.year - rng.randint(20, 38)),
                    with_id=False,
                )
            )
            child = _person(
                rng, sex=None, born=born, unit=unit, surname=father["full_name"].split(" ")[0]
            )
            clean = clean_record(
                spec=spec_for(EventType.BIRTH),
                registration_date=reg,
                parties={"child": child, "father": father, "mother": mother},
                data={"kind": "on_time" if (reg - born).days <= 60 else "late"},
                is_historic=False,
                today=today,
            )
            book_key = None
        planned.append((unit, clean, None, book_key))
    return _write(planned, today=today)


def _write(
    planned: list[tuple[Unit, CleanRecord, Book | None, str | None]], *, today: dt.date
) -> int:
    books: dict[tuple[int, str, int, bool], Book] = {}
    next_number: dict[int, int] = {}
    records: list[Record] = []
    now = timezone.now()
    for unit, clean, _book, key in planned:
        historic = key is not None
        year = clean.registration.year
        bkey = (unit.pk, clean.event_type, year, historic)
        if bkey not in books:
            book_unit = _historic_unit(unit) if historic else unit
            book = book_open(
                actor=None,
                unit=book_unit,
                event_type=clean.event_type,
                year=year,
                is_historic=historic,
                scope_unit=unit,
            )
            books[bkey] = Book.objects.select_for_update().get(pk=book.pk)
            next_number[book.pk] = books[bkey].last_entry_number
        book = books[bkey]
        if book.status == "closed":
            continue
        next_number[book.pk] += 1
        records.append(
            Record(
                event_type=clean.event_type,
                status=Status.REGISTERED,
                unit=unit,
                book=book,
                entry_number=next_number[book.pk],
                registration_date=clean.registration.first_day(),
                registration_precision=clean.registration.precision,
                is_historic=historic,
                officer_name="Công chức hộ tịch (dữ liệu mẫu)",
                data=clean.data,
                registered_at=now,
            )
        )
    Record.objects.bulk_create(records)
    for book in books.values():
        Book.objects.filter(pk=book.pk).update(last_entry_number=next_number[book.pk])
    # Persons: the same values dict (a couple reused as parents) is the same Person.
    persons: dict[int, Person] = {}
    for _unit, clean, _b, _k in planned:
        for party in clean.parties:
            persons.setdefault(id(party.values), person_build(party.values))
    _dedupe_by_id(planned, persons)
    Person.objects.bulk_create(list({id(p): p for p in persons.values()}.values()))
    parties = []
    for record, (_unit, clean, _b, _k) in zip(records, planned, strict=False):
        for position, party in enumerate(clean.parties):
            parties.append(
                Party(
                    record=record,
                    person=persons[id(party.values)],
                    role=party.role,
                    position=position,
                    as_written=party.values,
                )
            )
    Party.objects.bulk_create(parties)
    Transition.objects.bulk_create(
        [
            Transition(
                record=r,
                action="register",
                from_status=Status.DRAFT,
                to_status=Status.REGISTERED,
                actor_name="demo",
            )
            for r in records
        ]
    )
    principals = {id(pt.person): pt.person for pt in parties if pt.role in PRINCIPAL_ROLES}
    index_persons((p.pk, p.name_folded, p.birth_year) for p in principals.values())
    if records:
        audit_bulk(
            actor=None,
            action="create",
            object_type="registry.record",
            object_ids=[r.pk for r in records],
            detail={"via": "demo"},
        )
    return len(records)


def _dedupe_by_id(planned: list[Any], persons: dict[int, Person]) -> None:
    """Parties whose values are the same dict (a couple who are later parents) already share one
    Person through ``id(values)``; clean_record copies values, so map copies back by identity of
    name + birth + personal id within a unit."""
    seen: dict[tuple[str, str, str], Person] = {}
    for key, person in list(persons.items()):
        ident = (
            person.full_name,
            person.birth_date.isoformat() if person.birth_date else "",
            person.personal_id,
        )
        if person.personal_id and ident in seen:
            persons[key] = seen[ident]
        else:
            seen[ident] = person
