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

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.text import fold, nfc, split_name
from hotich.geo.selectors import unit_convert, units_tables_ready

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
#: what a person reads for each column (the CSV keeps the names above)
COLUMN_LABELS = {
    "id": _("Mã dòng"),
    "full_name": _("Họ, chữ đệm và tên"),
    "birth_date": _("Ngày sinh"),
    "sex": _("Giới tính"),
    "birth_place": _("Nơi sinh"),
    "father_name": _("Họ tên cha"),
    "mother_name": _("Họ tên mẹ"),
    "personal_id": _("Số định danh cá nhân"),
}
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
    Without the unit tables (a data directory never migrated) the units come from the package
    ``hotich.geo`` loads them from: the same answers.
    """
    from_source = not units_tables_ready()
    if from_source:
        logger.info("no unit tables in the database: birth places converted from the package")

    @lru_cache(maxsize=100_000)
    def convert(key: str) -> str | None:
        try:
            return unit_convert(key, from_source=from_source).ward_code or None
        except DomainError:
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


# -- preparation inside DuckDB (large files) ---------------------------------------------------
#
# The same columns as :func:`prepare`, computed by SQL over the CSV file (``read_csv``), so that
# millions of rows never become Python objects. Folding is ``strip_accents`` with đ → d; the
# few distinct given names and birth places are converted in Python once each and joined. A
# test compares both paths row by row.

PREPARED_COLUMNS = (
    "unique_id",
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


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_fold(expr: str) -> str:
    """:func:`hotich.core.text.fold` of an expression already NFC (see :func:`_sql_nfc`)."""
    return f"strip_accents(replace(lower({expr}), 'đ', 'd'))"


class FastPathUnavailable(Exception):
    """DuckDB could not read or check the file: the Python reader decides (and names lines)."""


def _header(path: Path) -> list[str]:
    try:
        with path.open("rb") as fh:
            first = fh.readline()
        text = first.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise FastPathUnavailable from None
    header = next(csv.reader([text]), None)
    if not header:
        raise FastPathUnavailable
    header = [h.strip().lower() for h in header]
    if any(c not in header for c in COLUMNS) or len(set(header)) != len(header):
        raise FastPathUnavailable
    return header


def load_raw(con: Any, path: str | Path, table: str) -> int:
    """Read a linkage CSV into a DuckDB table of the eight columns (trimmed text) and check it
    whole in SQL; :class:`FastPathUnavailable` when DuckDB cannot read it or finds any problem
    (the caller then reads it with :func:`read_records`, which names the lines). Returns the
    number of rows."""
    import duckdb

    path = Path(path)
    header = _header(path)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    select = ", ".join(
        f"trim(coalesce(c{header.index(c)}, '')) AS {c}"
        if c != "personal_id"
        else f"replace(trim(coalesce(c{header.index(c)}, '')), ' ', '') AS {c}"
        for c in COLUMNS
    )
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select} FROM read_csv(?, "  # noqa: S608
            f"header = true, auto_detect = false, columns = {columns}, delim = ',', "
            "quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
            "ignore_errors = false, encoding = 'utf-8')",
            [str(path)],
        )
        bad = con.execute(
            f"""
            SELECT count(*) FILTER (WHERE id = '')
                + (count(*) - count(DISTINCT id))
                + count(*) FILTER (WHERE NOT (
                    birth_date = ''
                    OR regexp_full_match(birth_date, '[0-9]{{4}}')
                    OR (regexp_full_match(birth_date, '[0-9]{{4}}-[0-9]{{2}}')
                        AND try_cast(substr(birth_date, 6, 2) AS INTEGER) BETWEEN 1 AND 12)
                    OR (regexp_full_match(birth_date, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
                        AND substr(birth_date, 1, 4) <> '0000'
                        AND try_strptime(birth_date, '%Y-%m-%d') IS NOT NULL)))
                + count(*) FILTER (WHERE upper(sex) NOT IN ('', 'M', 'F'))
                + count(*) FILTER (WHERE NOT (personal_id = ''
                    OR regexp_full_match(personal_id, '[0-9]{{12}}'))),
                count(*)
            FROM {table}
            """  # noqa: S608
        ).fetchall()[0]
    except duckdb.Error as exc:
        logger.info("DuckDB could not read %s (%s): checking it in Python", path.name, type(exc))
        raise FastPathUnavailable from None
    assert bad is not None
    if bad[0]:
        raise FastPathUnavailable
    return int(bad[1])


def _sql_collapse(expr: str) -> str:
    """White space runs to one space, ends trimmed (the regular expression only when needed)."""
    return (
        f"trim(CASE WHEN contains({expr}, '  ') OR contains({expr}, chr(9)) "
        f"OR contains({expr}, chr(10)) OR contains({expr}, chr(13)) "
        f"THEN regexp_replace({expr}, '\\s+', ' ', 'g') ELSE {expr} END)"
    )


def prepare_raw(
    con: Any, raw: str, table: str, *, convert_place: PlaceConverter | None = None
) -> None:
    """The prepared columns (:data:`PREPARED_COLUMNS`) of a raw table, as a DuckDB table.

    The text is normalized once per column (NFC, white space) and folded once per column; the
    name parts are cut from the folded full name (folding keeps the spaces). Birth places and
    given names, few and repeated, are converted in Python once each and joined."""
    import pyarrow as pa

    stage = f"{table}__stage"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {stage} AS
        WITH v AS (
            SELECT id, nfc_normalize(full_name) AS name_v, nfc_normalize(birth_place) AS place_v,
                nfc_normalize(father_name) AS father_v, nfc_normalize(mother_name) AS mother_v,
                birth_date, sex, personal_id
            FROM {raw}
        ), n AS (
            SELECT id, {_sql_collapse("name_v")} AS full_n,
                {_sql_collapse("place_v")} AS place_n,
                {_sql_collapse("father_v")} AS father_n, {_sql_collapse("mother_v")} AS mother_n,
                birth_date, sex, personal_id
            FROM v
        )
        SELECT id, full_n, {_sql_fold("full_n")} AS full_f, place_n,
            nullif({_sql_fold("father_n")}, '') AS father_f,
            nullif({_sql_fold("mother_n")}, '') AS mother_f,
            regexp_extract(birth_date, '^([0-9]{{4}})(?:-([0-9]{{2}})(?:-([0-9]{{2}}))?)?$',
                ['y', 'm', 'd']) AS bd,
            nullif(upper(sex), '') AS sex, nullif(personal_id, '') AS personal_id
        FROM n
        """  # noqa: S608
    )
    places = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT place_n FROM {stage} WHERE place_n <> ''"  # noqa: S608
        ).fetchall()
    ]
    con.register(
        "__place_map",
        pa.table(
            {
                "place": pa.array(places, pa.string()),
                "code": pa.array(
                    [convert_place(p) if convert_place else None for p in places], pa.string()
                ),
                "folded": pa.array([_none(folded(p)) for p in places], pa.string()),
            }
        ),
    )
    # the form of each given name without its tone marks
    givens = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT lower(list_last(string_split(full_n, ' '))) FROM {stage}"  # noqa: S608
        ).fetchall()
        if row[0]
    ]
    con.register(
        "__tone_map",
        pa.table(
            {
                "given_key": pa.array(givens, pa.string()),
                "nt": pa.array([without_tones(g) for g in givens], pa.string()),
            }
        ),
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH w AS (
            SELECT *, string_split(full_f, ' ') AS words_f,
                lower(list_last(string_split(full_n, ' '))) AS given_l,
                full_f <> lower(full_n) AS marked
            FROM {stage}
        )
        SELECT id AS unique_id,
            nullif(CASE WHEN len(words_f) > 1 THEN words_f[1] ELSE '' END, '') AS surname_f,
            nullif(array_to_string(list_slice(words_f, 2, -2), ' '), '') AS middle_f,
            nullif(list_last(words_f), '') AS given_f,
            CASE WHEN marked THEN nullif(given_l, '') END AS given_t,
            CASE WHEN marked THEN nullif(t.nt, '') END AS given_nt,
            CAST(nullif(bd.y, '') AS BIGINT) AS birth_year,
            CAST(nullif(bd.m, '') AS BIGINT) AS birth_month,
            CAST(nullif(bd.d, '') AS BIGINT) AS birth_day,
            sex, m.code AS place_code, m.folded AS place_f, father_f, mother_f, personal_id
        FROM w LEFT JOIN __place_map m ON m.place = w.place_n
            LEFT JOIN __tone_map t ON t.given_key = w.given_l
        """  # noqa: S608
    )
    con.unregister("__place_map")
    con.unregister("__tone_map")
    con.execute(f"DROP TABLE {stage}")


def check_file(con: Any, path: str | Path, raw: str) -> list[RawRecord] | None:
    """Check a linkage CSV whole: None when DuckDB read it into the table ``raw`` and found it
    sound, else its records read in Python (or :class:`LinkageInputError` naming the lines)."""
    try:
        load_raw(con, path, raw)
    except FastPathUnavailable:
        return read_records(path)
    return None


def prepare_checked(
    con: Any,
    checked: list[RawRecord] | None,
    raw: str,
    table: str,
    *,
    convert_place: PlaceConverter | None = None,
) -> int:
    """The prepared table ``table`` from :func:`check_file`'s result; returns its row count."""
    import pyarrow as pa

    if checked is None:
        prepare_raw(con, raw, table, convert_place=convert_place)
        con.execute(f'DROP TABLE IF EXISTS "{raw}"')
    else:
        columns = prepare(checked, convert_place=convert_place)
        con.register(f"{table}__arrow", pa.table(columns))
        con.execute(
            f'CREATE OR REPLACE TEMP TABLE "{table}" AS SELECT * FROM "{table}__arrow"'  # noqa: S608
        )
        con.unregister(f"{table}__arrow")
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0]  # noqa: S608
    return int(row[0]) if row else 0
