"""Reading linkage CSV files (docs/interfaces.md, "Linkage interchange format") and preparing
their records the Vietnamese way: NFC, folding with đ → d, names split into surname, middle and
given name, tone marks kept apart from letters, partial dates, birth places converted from old to
today's units.

Bad files are refused whole with line numbers (missing column, wrong delimiter, non-UTF-8 bytes,
duplicate ids, unparseable dates, bad sex or personal ID), before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import DatabaseError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.text import fold, nfc, split_name

COLUMNS = (
    "id",
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "father_name",
    "mother_name",
    "personal_id",
)
MAX_REPORTED = 5
logger = logging.getLogger(__name__)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PID = re.compile(r"^\d{12}$")
# combining marks of the five Vietnamese tones (the sixth, level tone, has none)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


class LinkageInputError(ValidationFailed):
    code = "linkage_input"


@dataclass(frozen=True)
class RawRecord:
    line: int
    id: str
    full_name: str
    birth_date: str
    sex: str
    birth_place: str
    father_name: str
    mother_name: str
    personal_id: str


def parse_partial_date(text: str) -> tuple[int | None, int | None, int | None]:
    """``"1990"``, ``"1990-05"`` or ``"1990-05-17"`` → (year, month, day); ValueError if not."""
    text = text.strip()
    if not text:
        return None, None, None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(text)
    if day is not None:
        dt.date(year, month or 1, day)  # raises ValueError for 2023-02-30
    return year, month, day


def _file_error(name: str, problems: list[Any]) -> LinkageInputError:
    """One message naming the file and its first problems; each problem stays lazy so that
    ``bilingual()`` gives the whole message in both languages."""
    shown: list[Any] = list(problems[:MAX_REPORTED])
    more = len(problems) - MAX_REPORTED
    template = "; ".join(["{}"] * len(shown))
    if more > 0:
        template += "{}"
        shown.append(format_lazy(_(" (và {count} lỗi khác)"), count=more))
    return LinkageInputError(
        format_lazy(_("Tệp {name}: {problems}"), name=name, problems=format_lazy(template, *shown)),
        field="file",
    )


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _file_error(
            name,
            [
                format_lazy(
                    _("dòng {line}: không phải UTF-8 (byte 0x{byte:02x}); hãy lưu tệp ở UTF-8"),
                    line=line,
                    byte=data[exc.start],
                )
            ],
        ) from None


def read_records(path: str | Path) -> list[RawRecord]:
    """Every row of a linkage CSV, or :class:`LinkageInputError` listing what is wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LinkageInputError(
            format_lazy(
                _("Không đọc được tệp {name} ({reason})."),
                name=path.name,
                reason=exc.strerror or type(exc).__name__,
            ),
            field="file",
        ) from None
    return parse_records(path.name, data)


def parse_records(name: str, data: bytes) -> list[RawRecord]:
    """The rows of a linkage CSV given as bytes (``name`` is used in messages)."""
    text = _decode(name, data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise _file_error(name, [_("tệp rỗng, thiếu dòng tiêu đề")])
    header = [h.strip().lower() for h in header]
    if "id" not in header and len(header) == 1:
        for delimiter, label in ((";", "';'"), ("\t", "tab"), ("|", "'|'")):
            if delimiter in header[0]:
                raise _file_error(
                    name,
                    [
                        format_lazy(
                            _("dòng 1: các cột cách nhau bằng {sep}; phải dùng dấu phẩy"),
                            sep=label,
                        )
                    ],
                )
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise _file_error(
            name,
            [format_lazy(_("dòng 1: thiếu cột {columns}"), columns=", ".join(missing))],
        )
    index = {c: header.index(c) for c in COLUMNS}
    problems: list[Any] = []
    seen: dict[str, int] = {}
    records: list[RawRecord] = []
    width = len(header)
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            problems.append(
                format_lazy(
                    _("dòng {line}: có {got} cột, tiêu đề có {want}"),
                    line=line,
                    got=len(row),
                    want=width,
                )
            )
            continue
        values = {c: row[i].strip() for c, i in index.items()}
        rid = values["id"]
        if not rid:
            problems.append(format_lazy(_("dòng {line}: thiếu id"), line=line))
            continue
        if rid in seen:
            problems.append(
                format_lazy(
                    _("dòng {line}: id {id} trùng với dòng {first}"),
                    line=line,
                    id=rid,
                    first=seen[rid],
                )
            )
            continue
        seen[rid] = line
        try:
            parse_partial_date(values["birth_date"])
        except ValueError:
            problems.append(
                format_lazy(
                    _(
                        "dòng {line}: ngày sinh '{value}' không hợp lệ "
                        "(dùng YYYY, YYYY-MM hoặc YYYY-MM-DD)"
                    ),
                    line=line,
                    value=values["birth_date"][:20],
                )
            )
        sex = values["sex"].upper()
        if sex not in ("", "M", "F"):
            problems.append(
                format_lazy(
                    _("dòng {line}: giới tính '{value}' không hợp lệ (M, F hoặc để trống)"),
                    line=line,
                    value=values["sex"][:10],
                )
            )
        pid = values["personal_id"].replace(" ", "")
        if pid and not _PID.match(pid):
            problems.append(
                format_lazy(_("dòng {line}: số định danh cá nhân phải gồm 12 chữ số"), line=line)
            )
        records.append(
            RawRecord(
                line=line,
                id=rid,
                full_name=values["full_name"],
                birth_date=values["birth_date"],
                sex=sex,
                birth_place=values["birth_place"],
                father_name=values["father_name"],
                mother_name=values["mother_name"],
                personal_id=pid,
            )
        )
    if problems:
        raise _file_error(name, problems)
    return records


# -- preparation --------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def folded(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=200_000)
def lower_marked(text: str) -> str:
    """NFC, lower case, every diacritic kept."""
    return nfc(text).lower()


@lru_cache(maxsize=200_000)
def without_tones(text: str) -> str:
    """Lower case with the five tone marks removed but the letters' own marks kept
    (ă, â, ê, ô, ơ, ư, đ): ``"Hằng"`` → ``"hăng"``, so "Hàng" vs "Hằng" differs by a letter
    while "Hằng" vs "Hẳng" differs only by the tone."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def has_marks(text: str) -> bool:
    return folded(text) != text.lower()


PlaceConverter = Callable[[str], str | None]


def geo_place_converter() -> PlaceConverter:
    """Today's commune code for an address, old or current (``hotich.geo``), cached per text.

    An address the geo context cannot place gives None (the folded text is compared instead).
    """
    from hotich.geo.selectors import unit_convert

    broken: list[bool] = []

    @lru_cache(maxsize=100_000)
    def convert(key: str) -> str | None:
        if broken:
            return None
        try:
            return unit_convert(key).ward_code or None
        except DomainError:
            return None
        except DatabaseError:  # units not migrated: compare the folded text only
            logger.warning("geo tables unavailable: birth places are compared as written")
            broken.append(True)
            return None

    def by_text(text: str) -> str | None:
        key = nfc(text)
        return convert(key) if key else None

    return by_text


def _none(value: str) -> str | None:
    return value or None


def prepare(
    records: Iterable[RawRecord], *, convert_place: PlaceConverter | None = None
) -> dict[str, list[Any]]:
    """The columns the Vietnamese model compares (a dict of lists, Arrow-ready)."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "unique_id",
            "name_f",
            "surname_f",
            "middle_f",
            "given_f",
            "given_t",
            "given_nt",
            "birth_year",
            "birth_month",
            "birth_day",
            "sex",
            "place_code",
            "place_f",
            "father_f",
            "mother_f",
            "personal_id",
        )
    }
    for r in records:
        parts = split_name(r.full_name)
        year, month, day = parse_partial_date(r.birth_date)
        given_marked = has_marks(parts.given)
        columns["unique_id"].append(r.id)
        columns["name_f"].append(_none(folded(parts.full)))
        columns["surname_f"].append(_none(folded(parts.surname)))
        columns["middle_f"].append(_none(folded(parts.middle)))
        columns["given_f"].append(_none(folded(parts.given)))
        # the marked forms only when the entry was written with diacritics at all
        written_with_marks = given_marked or has_marks(parts.full)
        columns["given_t"].append(_none(lower_marked(parts.given)) if written_with_marks else None)
        columns["given_nt"].append(
            _none(without_tones(parts.given)) if written_with_marks else None
        )
        columns["birth_year"].append(year)
        columns["birth_month"].append(month)
        columns["birth_day"].append(day)
        columns["sex"].append(_none(r.sex))
        columns["place_code"].append(
            convert_place(r.birth_place) if (convert_place and r.birth_place) else None
        )
        columns["place_f"].append(_none(folded(r.birth_place)))
        columns["father_f"].append(_none(folded(r.father_name)))
        columns["mother_f"].append(_none(folded(r.mother_name)))
        columns["personal_id"].append(_none(r.personal_id))
    return columns


def raw_columns(records: Iterable[RawRecord]) -> dict[str, list[Any]]:
    """The columns as written (for plain Splink, the benchmark's baseline)."""
    columns: dict[str, list[Any]] = {c: [] for c in ("unique_id", *COLUMNS[1:])}
    for r in records:
        columns["unique_id"].append(r.id)
        for c in COLUMNS[1:]:
            columns[c].append(_none(getattr(r, c)))
    return columns
