"""Synthetic linkage data with known truth: historic birth entries and a population register.

The historic entries are written the way old books write them, with the differences found in
practice: missing diacritics, a wrong tone mark, a letter typed wrong, year-only or year-month
dates, day and month swapped, year off by one, a dropped middle name, a given name changed later
(the register has the new one), old unit names where the register has today's, missing parents
or sex, no birth date at all; and the hard cases: twins, brothers and sisters (same parents,
surname and commune, another given name: the trap of an entry whose birth date is missing or
year-only), namesakes born the same year in the same commune, and entries of people who are not in
the register. ``rates`` changes the mix of differences, so that the engine can be measured on sets
it was not tuned on. Names follow real frequencies (``hotich.core.names``);
places are Nghệ An's old communes and the current communes they became (``hotich.geo``).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from hotich.core.names import GIVEN_FEMALE, GIVEN_MALE, random_name
from hotich.core.text import fold
from hotich.geo.source import source_read
from hotich.linkage.prepare import COLUMNS
from hotich.people.personal_id import generate_personal_id

TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")

# probability of each difference in a historic entry
RATES = {
    "no_diacritics": 0.30,
    "wrong_tone": 0.08,
    "letter_typo": 0.03,
    "year_only": 0.10,
    "no_date": 0.02,
    "year_month": 0.03,
    "swap_day_month": 0.04,
    "year_off": 0.03,
    "drop_middle": 0.05,
    "given_changed": 0.03,
    "no_place": 0.08,
    "no_parents": 0.10,
    "no_sex": 0.05,
}


@dataclass(frozen=True)
class Place:
    old: str  # as an old book writes it
    new: str  # today's unit, as the register writes it


@dataclass
class Person:
    surname: str
    middle: str
    given: str
    sex: str
    born: dt.date
    place: Place
    father: str
    mother: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.middle, self.given) if p)


@dataclass
class SyntheticData:
    historic: list[dict[str, str]] = field(default_factory=list)
    register: list[dict[str, str]] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)  # historic id → register id
    kinds: dict[str, list[str]] = field(default_factory=dict)  # difference → historic ids


@cache
def places(province: str = "40") -> tuple[Place, ...]:
    """Old communes of a province with the current commune each mostly became."""
    data = source_read([province])
    old = {u.code: u for u in data.legacy}
    old_districts = {u.code: u for u in data.legacy if u.level == "district"}
    old_provinces = {u.code: u for u in data.legacy if u.level == "province"}
    new = {u.code: u for u in data.current if u.level == "commune"}
    new_provinces = {u.code: u for u in data.current if u.level == "province"}
    result = []
    for m in data.mappings:
        if m.old_level != "commune" or m.new_level != "commune" or not m.is_primary:
            continue
        commune, target = old.get(m.old_code), new.get(m.new_code)
        if commune is None or target is None:
            continue
        district = old_districts.get(commune.parent_code or "")
        province_old = old_provinces.get(commune.province_code)
        province_new = new_provinces.get(target.province_code)
        if district is None or province_old is None or province_new is None:
            continue
        result.append(
            Place(
                old=f"{commune.name}, {district.name}, {province_old.name}",
                new=f"{target.name}, {province_new.name}",
            )
        )
    return tuple(sorted(result, key=lambda p: p.old))


def change_tone(word: str, rng: random.Random) -> str:
    """The same word with another tone mark (or one added when it had none)."""
    decomposed = unicodedata.normalize("NFD", word)
    current = next((c for c in decomposed if c in TONES), None)
    other = rng.choice([t for t in TONES if t != current])
    if current is not None:
        decomposed = decomposed.replace(current, other, 1)
    else:
        vowels = [i for i, c in enumerate(decomposed) if fold(c) in "aeiouy"]
        if not vowels:
            return word
        i = vowels[-1]
        decomposed = decomposed[: i + 1] + other + decomposed[i + 1 :]
    return unicodedata.normalize("NFC", decomposed)


def letter_typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + "h"
    i = rng.randrange(1, len(word))
    letter = rng.choice("nmhtcgiu".replace(word[i].lower(), ""))
    return word[:i] + letter + word[i + 1 :]


def _given(rng: random.Random, sex: str, not_: str) -> str:
    table = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
    while True:
        name = rng.choices([n for n, _ in table], weights=[w for _, w in table])[0]
        if name != not_:
            return name


def _birthday(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _person(rng: random.Random, place: Place, year: int | None = None) -> Person:
    sex = rng.choice("MF")
    father = random_name(rng, "M")
    name = random_name(rng, sex, surname=father.surname)
    return Person(
        surname=name.surname,
        middle=name.middle,
        given=name.given,
        sex=sex,
        born=_birthday(rng, year or rng.randint(1935, 2024)),
        place=place,
        father=father.full,
        mother=random_name(rng, "F").full,
    )


def _siblings(rng: random.Random, p: Person, n: int) -> list[Person]:
    """``n`` brothers and sisters of ``p``: the same parents, surname and commune, born one to
    six years apart, each with another given name (and, as often, a middle name of their sex)."""
    family: list[Person] = []
    year = p.born.year
    taken = {p.given}
    for _ in range(n):
        year = min(2024, year + rng.randint(1, 6))
        sex = rng.choice("MF")
        given = _given(rng, sex, p.given)
        while given in taken:
            given = _given(rng, sex, p.given)
        taken.add(given)
        middle = p.middle if sex == p.sex else random_name(rng, sex).middle
        family.append(
            Person(p.surname, middle, given, sex, _birthday(rng, year), p.place, p.father, p.mother)
        )
    return family


def _register_row(rid: str, p: Person, rng: random.Random) -> dict[str, str]:
    return {
        "id": rid,
        "full_name": p.full,
        "birth_date": p.born.isoformat(),
        "sex": p.sex,
        "birth_place": p.place.new,
        "father_name": p.father,
        "mother_name": p.mother,
        "personal_id": generate_personal_id(
            rng, province_code="040", sex=p.sex, birth_year=p.born.year
        ),
    }


def _historic_row(
    hid: str,
    p: Person,
    rng: random.Random,
    kinds: dict[str, list[str]],
    rates: dict[str, float],
) -> dict[str, str]:
    def hit(kind: str) -> bool:
        if rng.random() < rates[kind]:
            kinds.setdefault(kind, []).append(hid)
            return True
        return False

    middle, given = p.middle, p.given
    if hit("drop_middle"):
        middle = ""
    if hit("wrong_tone"):
        given = change_tone(given, rng)
    if hit("letter_typo"):
        given = letter_typo(given, rng)
    name = " ".join(x for x in (p.surname, middle, given) if x)
    father, mother, place = p.father, p.mother, p.place.old
    y, m, d = p.born.year, p.born.month, p.born.day
    if hit("year_off"):
        y += rng.choice((-1, 1))
        if (m, d) == (2, 29):
            d = 28  # 29 February exists only in leap years
    if d <= 12 and d != m and hit("swap_day_month"):
        m, d = d, m
    if hit("no_date"):
        birth = ""
    elif hit("year_only"):
        birth = f"{y:04d}"
    elif hit("year_month"):
        birth = f"{y:04d}-{m:02d}"
    else:
        birth = f"{y:04d}-{m:02d}-{d:02d}"
    if hit("no_diacritics"):
        name, father, mother, place = (fold(x).title() for x in (name, father, mother, place))
    if hit("no_place"):
        place = ""
    if hit("no_parents"):
        father = mother = ""
    sex = "" if hit("no_sex") else p.sex
    return {
        "id": hid,
        "full_name": name,
        "birth_date": birth,
        "sex": sex,
        "birth_place": place,
        "father_name": father,
        "mother_name": mother,
        "personal_id": "",
    }


def generate(
    *,
    historic: int = 2000,
    citizens: int = 6000,
    seed: int = 0,
    province: str = "40",
    unmatched_share: float = 0.15,
    twin_share: float = 0.01,
    sibling_share: float = 0.0,
    namesake_share: float = 0.02,
    rates: dict[str, float] | None = None,
) -> SyntheticData:
    """``historic`` entries (a share of them of people absent from the register) and
    ``citizens`` register rows (at least as many as the matched entries). ``sibling_share`` of
    the matched people are brothers and sisters of another (families of two to four children);
    ``rates`` overrides some of :data:`RATES`."""
    unknown = set(rates or {}) - set(RATES)
    if unknown:
        raise ValueError(f"unknown differences: {sorted(unknown)}")
    mix = {**RATES, **(rates or {})}
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    all_places = places(province)
    data = SyntheticData()
    matched = round(historic * (1 - unmatched_share))
    if citizens < matched:
        raise ValueError("citizens must be at least the number of matched historic entries")
    people: list[Person] = []
    twins = round(matched * twin_share / 2)
    siblings = round(matched * sibling_share)
    while len(people) < matched:
        p = _person(rng, rng.choice(all_places))
        people.append(p)
        if siblings > 0 and len(people) < matched:
            family = _siblings(rng, p, rng.randint(1, 3))[: min(siblings, matched - len(people))]
            siblings -= len(family)
            first = len(people)
            people.extend(family)
            data.kinds.setdefault("sibling", []).extend(
                f"H{i:07d}" for i in range(first, len(people) + 1)
            )
        if twins > 0 and len(people) < matched:
            twins -= 1
            sex = rng.choice("MF")
            people.append(
                Person(
                    p.surname,
                    random_name(rng, sex).middle,
                    _given(rng, sex, p.given),
                    sex,
                    p.born,
                    p.place,
                    p.father,
                    p.mother,
                )
            )
    # the register: the matched people, their namesakes, and everyone else
    register: list[tuple[str, Person]] = []
    for i, p in enumerate(people):
        current = p
        if rng.random() < mix["given_changed"]:
            current = Person(
                p.surname,
                p.middle,
                _given(rng, p.sex, p.given),
                p.sex,
                p.born,
                p.place,
                p.father,
                p.mother,
            )
            data.kinds.setdefault("given_changed", []).append(f"H{i + 1:07d}")
        register.append((f"H{i + 1:07d}", current))
    extra = citizens - len(register)
    namesakes = min(extra, round(citizens * namesake_share))
    for p in rng.sample(people, namesakes):
        twin = _person(rng, p.place, p.born.year)
        namesake = Person(
            p.surname, p.middle, p.given, p.sex, twin.born, p.place, twin.father, twin.mother
        )
        register.append(("", namesake))
    while len(register) < citizens:
        register.append(("", _person(rng, rng.choice(all_places))))
    rng.shuffle(register)
    for n, (hid, p) in enumerate(register, 1):
        rid = f"C{n:07d}"
        data.register.append(_register_row(rid, p, rng))
        if hid:
            data.truth[hid] = rid
    # the historic entries: the matched people and people absent from the register
    entries = [(f"H{i + 1:07d}", p) for i, p in enumerate(people)]
    entries += [
        (f"H{matched + i + 1:07d}", _person(rng, rng.choice(all_places), rng.randint(1935, 2010)))
        for i in range(historic - matched)
    ]
    rng.shuffle(entries)
    data.historic = [_historic_row(hid, p, rng, data.kinds, mix) for hid, p in entries]
    return data


def write_csv(rows: Iterable[dict[str, str]], path: str | Path) -> None:
    """Write rows in the interchange format, atomically."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_truth(truth: dict[str, str], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(sorted(truth.items()))
