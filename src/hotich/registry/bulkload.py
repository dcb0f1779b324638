"""Bulk import of register entries: the two file formats, row validation and the batch writers.

``read_rows`` turns a file (the platform's exchange format ``hotich`` or the ministry's
civil-status export ``moj``, both described in docs/interfaces.md) into :class:`SourceRow`s, one
per data row, in the shape ``record_create`` takes. ``validate_row`` applies the registry's own
rules (``validation.clean_record``). ``write_batch`` writes one batch of validated rows: records,
persons, parties, the name index (``NameToken``) and each record's provenance
(``ImportedRecord``), with ``COPY`` on PostgreSQL (ids reserved from the sequences first) and
``bulk_create`` on SQLite. The service ``services.imports.records_import`` drives it (batches,
checkpoint, audit).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import multiprocessing
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import DomainError, FormInvalid, ValidationFailed
from hotich.core.text import fold
from hotich.registry.dates import Precision
from hotich.registry.models import ImportedRecord, NameToken, Party, Person, Record
from hotich.registry.search_index import name_tokens, words_field
from hotich.registry.services.validation import (
    CleanRecord,
    clean_record,
    clean_record_quick,
    stored_partial,
)
from hotich.registry.vocabulary import PRINCIPAL_ROLES, SPECS, EventType, Status, spec_for

FORMATS = ("hotich", "moj")
ENTRY_MAX = 10_000_000
#: rows one worker process checks at a time; a file of fewer than two chunks is checked in-process
WORKER_CHUNK = 2000

# --- the platform's exchange format ---------------------------------------------------------

#: columns every ``hotich`` file has (the others are ``<role>.<person field>`` or data fields)
HOTICH_REQUIRED = ("event_type", "unit", "registration_date", "entry_number")
HOTICH_OPTIONAL = ("source_id", "is_historic")

# --- the ministry's civil-status export -----------------------------------------------------

#: ``loaiViec`` code → event type (the book codes of the register: KS, KH, KT)
MOJ_EVENTS = {"KS": EventType.BIRTH, "KH": EventType.MARRIAGE, "KT": EventType.DEATH}
MOJ_REQUIRED = ("loaiViec", "maDonVi", "soDangKy", "ngayDangKy")
#: person columns: suffix of the column → role, per event type (the subject's columns have none)
MOJ_PERSONS: dict[str, dict[str, str]] = {
    EventType.BIRTH: {"": "child", "Cha": "father", "Me": "mother"},
    EventType.MARRIAGE: {"Chong": "husband", "Vo": "wife"},
    EventType.DEATH: {"": "deceased"},
}
MOJ_PERSON_FIELDS = {
    "hoTen": "full_name",
    "gioiTinh": "sex",
    "ngaySinh": "birth_date",
    "noiSinh": "birth_place",
    "danToc": "ethnicity",
    "quocTich": "nationality",
    "soDinhDanh": "personal_id",
    "noiCuTru": "residence",
    "queQuan": "home_town",
}
MOJ_DATA = {
    "ngayChet": "death_date",
    "noiChet": "death_place",
    "nguyenNhanChet": "death_cause",
    "nguoiDiKhai": "declarant_name",
}
MOJ_SEX = {"nam": "M", "nu": "F", "1": "M", "2": "F"}


@dataclass
class SourceRow:
    """One data row: its number in the file (the header is row 1) and its values."""

    row: int
    event_type: str
    unit: str
    registration_date: str
    entry_number: str
    is_historic: bool = False
    source_id: str = ""
    parties: dict[str, dict[str, str]] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def line(self) -> str:
        return f"dòng {self.row}, {self.field}: {self.message}"


@dataclass
class ValidRow:
    """A row that passed the rules: what ``write_batch`` needs."""

    row: int
    source_id: str
    clean: CleanRecord
    unit_key: tuple[str, bool]  # (unit code, historic)
    entry_number: int
    book_id: int = 0
    unit_id: int = 0
    principal_folded: str = ""


@functools.lru_cache(maxsize=1 << 18)
def folded_name(name: str) -> str:
    """``fold`` of a name, once per distinct name of a file."""
    return fold(name)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            format_lazy(_("Tệp không phải UTF-8 (byte lỗi ở vị trí {pos})."), pos=exc.start),
            field="file",
            code="encoding",
        ) from exc
    return unicodedata.normalize("NFC", text)


def _missing(columns: Sequence[str], required: Sequence[str]) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise ValidationFailed(
            format_lazy(_("Tệp thiếu cột bắt buộc: {columns}."), columns=", ".join(missing)),
            field="file",
            code="missing_columns",
        )


def read_rows(path: Path, file_format: str) -> Iterator[SourceRow]:
    """The data rows of ``path`` (blank rows skipped); a file that cannot be read as the
    format raises :class:`ValidationFailed`."""
    if file_format not in FORMATS:
        raise ValidationFailed(
            format_lazy(_("Định dạng “{name}” không được hỗ trợ."), name=file_format[:20]),
            field="format",
        )
    text = _text(path)
    delimiter = "," if file_format == "hotich" else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise ValidationFailed(_("Tệp trống."), field="file", code="empty")
    _missing(header, HOTICH_REQUIRED if file_format == "hotich" else MOJ_REQUIRED)
    parse = _hotich_row if file_format == "hotich" else _moj_row
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        yield parse(number, values)


def _hotich_row(number: int, values: Mapping[str, str]) -> SourceRow:
    row = SourceRow(
        row=number,
        event_type=values["event_type"],
        unit=values["unit"],
        registration_date=values["registration_date"],
        entry_number=values["entry_number"],
        is_historic=values.get("is_historic", "").lower() in ("1", "true", "x", "co", "có"),
        source_id=values.get("source_id", ""),
    )
    for name, value in values.items():
        if name in HOTICH_REQUIRED or name in HOTICH_OPTIONAL or not value:
            continue
        if "." in name:
            role, key = name.split(".", 1)
            row.parties.setdefault(role, {})[key] = value
        else:
            row.data[name] = value
    return row


def _moj_row(number: int, values: Mapping[str, str]) -> SourceRow:
    code = values["loaiViec"].upper()
    event_type = MOJ_EVENTS.get(code, code)
    year = values["ngayDangKy"][-4:]
    row = SourceRow(
        row=number,
        event_type=event_type,
        unit=values["maDonVi"],
        registration_date=values["ngayDangKy"],
        entry_number=values["soDangKy"],
        source_id=f"{values['maDonVi']}/{code}/{year}/{values['soDangKy']}"[:60],
    )
    for suffix, role in MOJ_PERSONS.get(event_type, {}).items():
        person = {}
        for column, key in MOJ_PERSON_FIELDS.items():
            value = values.get(column + suffix, "")
            if key == "sex" and value:
                value = MOJ_SEX.get(fold(value), value)
            if value:
                person[key] = value
        if person:
            row.parties[role] = person
    row.data = {key: values[c] for c, key in MOJ_DATA.items() if values.get(c)}
    return row


def _message(exc: DomainError) -> list[tuple[str, str]]:
    if isinstance(exc, FormInvalid):
        return [(name, str(message)) for name, message in exc.errors.items()]
    return [(exc.field or "__all__", str(exc.message))]


def validate_row(source: SourceRow, today: dt.date) -> ValidRow | list[RowError]:
    """The row checked by the registry's rules for a new entry (``clean_record``), plus the
    import's own: a known event type without a referred record, an entry number."""
    errors: list[RowError] = []
    spec = SPECS.get(source.event_type)
    if spec is None or spec.target_required:
        message = (
            _("Loại việc hộ tịch không hợp lệ.")
            if spec is None
            else _("Loại việc này dẫn chiếu bản ghi khác, không nhập được bằng tệp.")
        )
        return [RowError(source.row, "event_type", str(message))]
    number = 0
    if not source.entry_number.isdigit() or not 0 < int(source.entry_number) < ENTRY_MAX:
        errors.append(
            RowError(source.row, "entry_number", str(_("Số đăng ký phải là số nguyên dương.")))
        )
    else:
        number = int(source.entry_number)
    if not source.unit:
        errors.append(RowError(source.row, "unit", str(_("Chưa có mã đơn vị đăng ký."))))
    # The quick checks pass a valid row; any other row goes through ``clean_record``, which
    # names each of its errors.
    clean = None
    if not errors:
        clean = clean_record_quick(
            spec=spec,
            registration_date=source.registration_date,
            parties=source.parties,
            data=source.data,
            is_historic=source.is_historic,
            today=today,
        )
    if clean is None:
        try:
            clean = clean_record(
                spec=spec_for(source.event_type),
                registration_date=source.registration_date,
                parties=source.parties,
                data=source.data,
                is_historic=source.is_historic,
                today=today,
            )
        except DomainError as exc:
            errors += [RowError(source.row, name, message) for name, message in _message(exc)]
            return errors
    if errors:
        return errors
    principal = next((p for p in clean.parties if p.role in PRINCIPAL_ROLES), None)
    return ValidRow(
        row=source.row,
        source_id=source.source_id[:60],
        clean=clean,
        unit_key=(source.unit, source.is_historic),
        entry_number=number,
        principal_folded=folded_name(principal.values["full_name"]) if principal else "",
    )


def _validate_chunk(
    job: tuple[list[SourceRow], dt.date],
) -> list[ValidRow | list[RowError]]:
    rows, today = job
    return [validate_row(row, today) for row in rows]


def validate_rows(
    sources: Iterable[SourceRow], today: dt.date, *, workers: int = 1
) -> Iterator[ValidRow | list[RowError]]:
    """``validate_row`` of each source row, in order. With ``workers`` > 1 and a file of more
    than two chunks, the rows are checked in that many forked processes (the rules are pure
    Python and touch no database), ``WORKER_CHUNK`` rows per task."""
    rows = iter(sources)
    head = list(itertools.islice(rows, 2 * WORKER_CHUNK))
    if workers <= 1 or len(head) < 2 * WORKER_CHUNK:
        for source in itertools.chain(head, rows):
            yield validate_row(source, today)
        return

    def jobs() -> Iterator[tuple[list[SourceRow], dt.date]]:
        everything = itertools.chain(head, rows)
        while chunk := list(itertools.islice(everything, WORKER_CHUNK)):
            yield chunk, today

    # fork: the workers inherit the loaded project; they never use its database connection
    # and leave with os._exit, so the parent's connection is not closed under it.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for checked in pool.imap(_validate_chunk, jobs()):
            yield from checked


# --- writing one batch -----------------------------------------------------------------------

RECORD_COLUMNS = (
    "id",
    "event_type",
    "status",
    "unit_id",
    "book_id",
    "entry_number",
    "registration_date",
    "registration_precision",
    "is_historic",
    "officer_name",
    "signer_name",
    "signer_title",
    "legal_basis",
    "data",
    "registered_at",
    "created_at",
    "updated_at",
)
PERSON_COLUMNS = (
    "id",
    "surname",
    "middle",
    "given",
    "full_name",
    "name_folded",
    "given_folded",
    "sex",
    "birth_date",
    "birth_precision",
    "birth_year",
    "birth_place",
    "ethnicity",
    "nationality",
    "personal_id",
    "residence",
    "home_town",
    "created_at",
    "updated_at",
)
PARTY_COLUMNS = ("id", "record_id", "person_id", "role", "position", "as_written")
TOKEN_COLUMNS = ("id", "person_id", "token", "birth_year", "words")
SOURCE_COLUMNS = ("id", "record_id", "run_id", "row", "source_id", "warnings")
TABLES = (
    (Record, RECORD_COLUMNS),
    (Person, PERSON_COLUMNS),
    (Party, PARTY_COLUMNS),
    (NameToken, TOKEN_COLUMNS),
    (ImportedRecord, SOURCE_COLUMNS),
)


@dataclass
class Batch:
    """The rows of every table for one batch, as tuples in the columns above (ids 0 until
    assigned)."""

    records: list[list[Any]] = field(default_factory=list)
    persons: list[list[Any]] = field(default_factory=list)
    parties: list[list[Any]] = field(default_factory=list)
    tokens: list[list[Any]] = field(default_factory=list)
    sources: list[list[Any]] = field(default_factory=list)


def build_batch(rows: Sequence[ValidRow], run_id: int) -> tuple[Batch, list[tuple[int, int]]]:
    """The table rows of ``rows``. Ids are positions (``-1 - i``) to be replaced by
    ``_assign_ids``. Persons with a personal ID already in the register (or earlier in the
    batch) are linked, not added. Returns the batch and the (book id, entry number) pairs."""
    now = timezone.now()
    known = _persons_by_personal_id(rows)
    batch = Batch()
    keys = []
    for i, row in enumerate(rows):
        clean = row.clean
        record_ref = -1 - i
        batch.records.append(
            [
                record_ref,
                clean.event_type,
                Status.REGISTERED,
                row.unit_id,
                row.book_id,
                row.entry_number,
                clean.registration.first_day(),
                clean.registration.precision,
                clean.is_historic,
                "",
                "",
                "",
                "",
                clean.data,
                now,
                now,
                now,
            ]
        )
        keys.append((row.book_id, row.entry_number))
        for position, party in enumerate(clean.parties):
            number = party.values.get("personal_id")
            person_ref = known.get(number) if number else None
            if person_ref is None:
                person_ref = -1 - len(batch.persons)
                batch.persons.append(_person_row(person_ref, party.values, now))
                if number:
                    known[number] = person_ref
                # The search index holds the principal persons (as record_create does).
                if party.role in PRINCIPAL_ROLES:
                    folded, year = batch.persons[-1][5], batch.persons[-1][10]
                    tokens, words = index_words(folded)
                    batch.tokens += [[0, person_ref, t, year, words] for t in tokens]
            batch.parties.append([0, record_ref, person_ref, party.role, position, party.values])
        batch.sources.append(
            [
                0,
                record_ref,
                run_id,
                row.row,
                row.source_id,
                ",".join(w.key for w in clean.warnings)[:200],
            ]
        )
    return batch, keys


@functools.lru_cache(maxsize=1 << 18)
def index_words(name_folded: str) -> tuple[list[str], str]:
    """The name index's words of a folded name and its ``words`` field (``search_index``),
    once per distinct name of a file."""
    tokens = name_tokens(name_folded)
    return tokens, words_field(tokens)


def _person_row(ref: int, values: Mapping[str, str], now: dt.datetime) -> list[Any]:
    """A new person's row in ``PERSON_COLUMNS`` from a party's cleaned values: the columns
    ``records.person_build`` sets, the folded names and the birth date computed once per
    distinct value."""
    birth = stored_partial(values["birth_date"]) if values["birth_date"] else None
    return [
        ref,
        values["surname"],
        values["middle"],
        values["given"],
        values["full_name"],
        folded_name(values["full_name"]),
        folded_name(values["given"]),
        values["sex"],
        birth.first_day() if birth else None,
        birth.precision if birth else Precision.DAY,
        birth.year if birth else None,
        values["birth_place"],
        values["ethnicity"],
        values["nationality"],
        values["personal_id"],
        values["residence"],
        values["home_town"],
        now,
        now,
    ]


def _persons_by_personal_id(rows: Sequence[ValidRow]) -> dict[str, int]:
    numbers = {
        p.values["personal_id"]
        for row in rows
        for p in row.clean.parties
        if p.values.get("personal_id")
    }
    if not numbers:
        return {}
    found: dict[str, int] = {}
    for number, pk in (
        Person.objects.filter(personal_id__in=numbers)
        .order_by("-pk")
        .values_list("personal_id", "pk")
    ):
        found[number] = pk  # the oldest person with the number wins (as record_create)
    return found


def _reserve(model: type[Any], count: int) -> list[int]:
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [r[0] for r in cursor.fetchall()]


def _resolve(ref: int, new_ids: Sequence[int]) -> int:
    """A reference: an existing id (positive) or the position of a new row (``-1 - i``)."""
    return new_ids[-1 - ref] if ref < 0 else ref


def write_batch(batch: Batch) -> list[int]:
    """Write ``batch`` in the current transaction; return the new record ids in row order."""
    if connection.vendor == "postgresql":
        return _write_copy(batch)
    return _write_bulk_create(batch)


def _link(batch: Batch, record_ids: Sequence[int], person_ids: Sequence[int]) -> None:
    for i, row in enumerate(batch.records):
        row[0] = record_ids[i]
    for i, row in enumerate(batch.persons):
        row[0] = person_ids[i]
    for row in batch.parties:
        row[1] = _resolve(row[1], record_ids)
        row[2] = _resolve(row[2], person_ids)
    for row in batch.tokens:
        row[1] = _resolve(row[1], person_ids)
    for row in batch.sources:
        row[1] = _resolve(row[1], record_ids)


def _write_copy(batch: Batch) -> list[int]:
    record_ids = _reserve(Record, len(batch.records))
    person_ids = _reserve(Person, len(batch.persons))
    _link(batch, record_ids, person_ids)
    tables = (
        (Record, RECORD_COLUMNS, batch.records, 0),
        (Person, PERSON_COLUMNS, batch.persons, 0),
        (Party, PARTY_COLUMNS, batch.parties, 1),
        (NameToken, TOKEN_COLUMNS, batch.tokens, 1),
        (ImportedRecord, SOURCE_COLUMNS, batch.sources, 1),
    )
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        for model, columns, rows, skip in tables:
            if not rows:
                continue
            quoted = ", ".join(f'"{c}"' for c in columns[skip:])
            sql = f"COPY {model._meta.db_table} ({quoted}) FROM STDIN"
            json_at = [i - skip for i, c in enumerate(columns) if c in ("data", "as_written")]
            with cursor.copy(sql) as copy:
                for row in rows:
                    values = row[skip:]
                    for i in json_at:
                        values[i] = json.dumps(values[i], ensure_ascii=False)
                    copy.write_row(values)
    return record_ids


def _write_bulk_create(batch: Batch) -> list[int]:
    made = Record.objects.bulk_create(
        [Record(**dict(zip(RECORD_COLUMNS[1:], r[1:], strict=True))) for r in batch.records]
    )
    people = Person.objects.bulk_create(
        [Person(**dict(zip(PERSON_COLUMNS[1:], p[1:], strict=True))) for p in batch.persons]
    )
    record_ids = [r.pk for r in made]
    _link(batch, record_ids, [p.pk for p in people])
    Party.objects.bulk_create(
        [Party(**dict(zip(PARTY_COLUMNS[1:], p[1:], strict=True))) for p in batch.parties]
    )
    NameToken.objects.bulk_create(
        [NameToken(**dict(zip(TOKEN_COLUMNS[1:], t[1:], strict=True))) for t in batch.tokens]
    )
    ImportedRecord.objects.bulk_create(
        [ImportedRecord(**dict(zip(SOURCE_COLUMNS[1:], s[1:], strict=True))) for s in batch.sources]
    )
    return record_ids
