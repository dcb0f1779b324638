"""Factories other contexts may reuse: units, staff users, persons' input and records.

Records are built through ``record_create`` so that every factory-made record obeys the rules
(entry numbers, persons, parties, audit) exactly as a registered one does.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import factory
from django.utils import timezone

from hotich.accounts.models import User
from hotich.accounts.vocabulary import Role as UserRole
from hotich.core.names import random_name
from hotich.core.text import fold
from hotich.geo.models import Unit, UnitMapping
from hotich.geo.vocabulary import Era, Level
from hotich.people.personal_id import generate_personal_id
from hotich.registry.models import Record
from hotich.registry.services import book_open, record_create
from hotich.registry.vocabulary import EventType

_rng = random.Random(40)


def province(era: str = Era.CURRENT) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        era=era,
        level=Level.PROVINCE,
        code="40",
        defaults={
            "name": "Tỉnh Nghệ An",
            "short_name": "Nghệ An",
            "unit_type": "Tỉnh",
            "path": f"{era}/40/",
            "search_key": "tinh nghe an",
        },
    )
    return unit


class UnitFactory(factory.django.DjangoModelFactory):
    """A commune of Nghệ An (current era unless ``era="o"``, then under a legacy district)."""

    class Meta:
        model = Unit

    era = Era.CURRENT
    level = Level.COMMUNE
    code = factory.Sequence(lambda n: f"{17000 + n}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("Xã "))
    unit_type = "Xã"
    parent = factory.LazyAttribute(lambda o: province(o.era))
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}{o.code}/")
    search_key = factory.LazyAttribute(lambda o: fold(o.name))


def legacy_commune(new_unit: Unit, **kwargs: Any) -> Unit:
    """A legacy (pre-2025) commune mapped to ``new_unit``."""
    old = UnitFactory(era=Era.LEGACY, **kwargs)
    UnitMapping.objects.create(old_unit=old, new_unit=new_unit, is_primary=True)
    return old


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    role = UserRole.OFFICER
    unit = factory.SubFactory(UnitFactory)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", "mat-khau-thu-nghiem")
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        return user


def person_input(
    *,
    sex: str | None = None,
    birth_date: dt.date | str | None = None,
    full_name: str | None = None,
    with_id: bool = False,
    rng: random.Random | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Fields of one party, with a realistic name and (optionally) a consistent personal ID."""
    rng = rng or _rng
    name = random_name(rng, sex=sex)
    birth = birth_date or dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(8000))
    values: dict[str, Any] = {
        "full_name": name.full if full_name is None else full_name,
        "sex": sex or name.sex,
        "birth_date": birth.isoformat() if isinstance(birth, dt.date) else birth,
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "residence": "Nghệ An",
    }
    if with_id and isinstance(birth, dt.date):
        values["personal_id"] = generate_personal_id(
            rng, province_code=40, sex=values["sex"], birth_year=birth.year
        )
    values.update(extra)
    return values


def _today() -> dt.date:
    return timezone.localdate()


class _RecordFactory(factory.Factory):
    """Base: ``actor`` (None = the system), ``unit``, ``registration_date``; the subclass
    fills ``parties`` and ``data``. Extra keyword arguments go to ``record_create``."""

    class Meta:
        model = Record

    actor = None
    unit = factory.SubFactory(UnitFactory)
    registration_date = factory.LazyFunction(lambda: _today() - dt.timedelta(days=10))
    officer_name = "Nguyễn Văn Hộ"
    signer_name = "Trần Thị Ký"
    data: dict[str, Any] = {}

    @classmethod
    def _create(cls, model_class: type[Record], *args: Any, **kwargs: Any) -> Record:
        return record_create(**kwargs)

    @classmethod
    def _build(cls, model_class: type[Record], *args: Any, **kwargs: Any) -> Record:
        raise TypeError("records are only created through record_create, not built")


class BirthFactory(_RecordFactory):
    event_type = EventType.BIRTH
    parties = factory.LazyAttribute(
        lambda o: {
            "child": person_input(birth_date=o.registration_date - dt.timedelta(days=20)),
            "father": person_input(sex="M", birth_date="1990"),
            "mother": person_input(sex="F", birth_date="1992"),
        }
    )
    data = factory.LazyFunction(lambda: {"kind": "on_time"})


class MarriageFactory(_RecordFactory):
    event_type = EventType.MARRIAGE
    parties = factory.LazyFunction(
        lambda: {
            "husband": person_input(sex="M", birth_date=dt.date(1995, 5, 1)),
            "wife": person_input(sex="F", birth_date=dt.date(1997, 7, 2)),
        }
    )


class DeathFactory(_RecordFactory):
    event_type = EventType.DEATH
    parties = factory.LazyFunction(
        lambda: {"deceased": person_input(birth_date=dt.date(1940, 3, 3))}
    )
    data = factory.LazyAttribute(
        lambda o: {
            "death_date": (o.registration_date - dt.timedelta(days=2)).isoformat(),
            "death_place": "Bệnh viện Hữu nghị Đa khoa Nghệ An",
            "death_cause": "Bệnh",
        }
    )


def historic_book(*, unit: Unit, event_type: str = EventType.BIRTH, year: int = 1985) -> Any:
    """A historic book of a legacy unit mapped to ``unit`` (today's unit)."""
    old = legacy_commune(unit)
    return book_open(actor=None, unit=old, event_type=event_type, year=year, is_historic=True)
