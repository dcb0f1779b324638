"""``hotich records import``: a file of register entries into the live register.

All or nothing for the rules: every row is checked first and a file with any row error adds
nothing (each error is reported with its row and field). The valid file is then written in
batches, each one transaction holding its records, persons, parties, name index rows, their
provenance, the run's checkpoint and one audit entry (file hash, rows, record ids). A run killed
between batches leaves whole batches only; importing the same file again continues after the
checkpoint, and once finished adds nothing. An entry already in the register (same book: unit,
event type, year; same entry number) is not added again; naming another person there is a row
error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.audit.services import audit_bulk
from hotich.core.errors import ValidationFailed
from hotich.core.text import fold
from hotich.geo.selectors import units_with_codes
from hotich.geo.vocabulary import Era
from hotich.registry.bulkload import (
    RowError,
    SourceRow,
    ValidRow,
    build_batch,
    file_sha256,
    read_rows,
    validate_rows,
    write_batch,
)
from hotich.registry.models import Book, ImportRun, Party, Record
from hotich.registry.services.books import book_open
from hotich.registry.vocabulary import PRINCIPAL_ROLES

if TYPE_CHECKING:
    from hotich.geo.models import Unit

OBJECT_TYPE = "registry.record"
BATCH_ROWS = 5000
MAX_ERRORS = 1000


@dataclass
class ImportResult:
    run_id: int = 0
    rows: int = 0
    added: int = 0
    present: int = 0
    batches: int = 0
    resumed_from: int = 0
    already_done: bool = False
    errors: list[RowError] = field(default_factory=list)


class ImportRefused(ValidationFailed):
    """The file has row errors: nothing was imported; ``errors`` lists them."""

    code = "import_rows_invalid"

    def __init__(self, errors: Sequence[RowError], rows: int):
        super().__init__(
            format_lazy(
                _("Tệp có {n} dòng lỗi trong {rows} dòng; không nhập bản ghi nào."),
                n=len({e.row for e in errors}),
                rows=rows,
            ),
            field="file",
        )
        self.errors = list(errors)


def _units(keys: set[tuple[str, bool]]) -> dict[tuple[str, bool], Unit | None]:
    """Unit codes → units: today's unit, or for a historic entry an old unit when no current one
    has the code."""
    codes = {code for code, _h in keys}
    found: dict[str, dict[str, Unit]] = defaultdict(dict)
    for unit in units_with_codes(codes):
        found[unit.code].setdefault(unit.era, unit)
    out = {}
    for code, historic in keys:
        by_era = found.get(code, {})
        out[(code, historic)] = by_era.get(Era.CURRENT) or (
            by_era.get(Era.LEGACY) if historic else None
        )
    return out


def _check_file(
    rows: list[ValidRow], errors: list[RowError], units: dict[tuple[str, bool], Unit | None]
) -> None:
    """Unknown units and entries written twice in the file."""
    seen: dict[tuple[str, bool, str, int, int], int] = {}
    for row in rows:
        if units.get(row.unit_key) is None:
            errors.append(
                RowError(
                    row.row,
                    "unit",
                    str(format_lazy(_("Không có đơn vị mã “{code}”."), code=row.unit_key[0][:12])),
                )
            )
            continue
        key = (*row.unit_key, row.clean.event_type, row.clean.registration.year, row.entry_number)
        if key in seen:
            errors.append(
                RowError(
                    row.row,
                    "entry_number",
                    str(
                        format_lazy(
                            _("Số đăng ký {n} đã có ở dòng {row} của tệp (cùng sổ)."),
                            n=row.entry_number,
                            row=seen[key],
                        )
                    ),
                )
            )
        else:
            seen[key] = row.row


def _open_books(
    rows: Sequence[ValidRow], units: dict[tuple[str, bool], Unit | None], *, create: bool
) -> None:
    """Each row's book and unit (one query for the books there are); a missing book is opened
    (as a registration would, audited) when ``create``, else the row's book stays 0."""
    wanted: dict[tuple[int, str, int], bool] = {}
    for row in rows:
        unit = units[row.unit_key]
        if not row.book_id and unit is not None:
            key = (unit.pk, row.clean.event_type, row.clean.registration.year)
            wanted[key] = row.clean.is_historic
    if not wanted:
        return
    books: dict[tuple[int, str, int], Book] = {
        (b.unit_id, b.event_type, b.year): b
        for b in Book.objects.filter(
            unit_id__in={k[0] for k in wanted},
            event_type__in={k[1] for k in wanted},
            year__in={k[2] for k in wanted},
            volume=1,
        )
    }
    by_pk = {u.pk: u for u in units.values() if u is not None}
    for key, historic in wanted.items():
        if key not in books and create:
            books[key] = book_open(
                actor=None,
                unit=by_pk[key[0]],
                event_type=key[1],
                year=key[2],
                is_historic=historic,
            )
    for row in rows:
        unit = units[row.unit_key]
        if row.book_id or unit is None:
            continue
        book = books.get((unit.pk, row.clean.event_type, row.clean.registration.year))
        if book is not None:
            row.book_id, row.unit_id = book.pk, book.scope_unit_id


def _split_present(rows: list[ValidRow], errors: list[RowError]) -> list[ValidRow]:
    """The rows whose entry is not in the register yet; an entry there with another person is
    a row error."""
    by_key = {(r.book_id, r.entry_number): r for r in rows if r.book_id}
    keys = list(by_key)
    present: set[int] = set()
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        found: dict[tuple[int, int], int] = {
            (book, number or 0): pk
            for book, number, pk in Record.objects.filter(
                book_id__in={k[0] for k in chunk}, entry_number__in={k[1] for k in chunk}
            ).values_list("book_id", "entry_number", "pk")
            if (book, number) in by_key
        }
        if not found:
            continue
        present.update(by_key[k].row for k in found)
        record_keys = {pk: k for k, pk in found.items()}
        for record_id, name in Party.objects.filter(
            record_id__in=list(record_keys), role__in=PRINCIPAL_ROLES
        ).values_list("record_id", "as_written__full_name"):
            row = by_key[record_keys[record_id]]
            if row.principal_folded and fold(str(name or "")) != row.principal_folded:
                errors.append(
                    RowError(
                        row.row,
                        "entry_number",
                        str(
                            format_lazy(
                                _("Số đăng ký {n} đã có trong sổ với người khác; không nhập đè."),
                                n=row.entry_number,
                            )
                        ),
                    )
                )
    return [r for r in rows if r.row not in present]


def records_import(
    path: Path,
    *,
    file_format: str = "hotich",
    batch_rows: int = BATCH_ROWS,
    today: dt.date | None = None,
    progress: Callable[[ImportResult], None] | None = None,
    workers: int = 1,
) -> ImportResult:
    """Import ``path`` as the system. Raises :class:`ImportRefused` (row errors, nothing
    written) or :class:`ValidationFailed` (the file cannot be read). With ``workers`` > 1 the
    rows of a large file are checked in that many processes (``bulkload.validate_rows``)."""
    today = today or timezone.localdate()
    digest = file_sha256(path)
    run = ImportRun.objects.filter(file_sha256=digest).first()
    if run is not None and run.state == ImportRun.State.DONE:
        return ImportResult(
            run_id=run.pk, rows=run.rows, present=run.added + run.present, already_done=True
        )
    resumed_from = run.rows_done if run is not None else 0
    errors: list[RowError] = []
    valid: list[ValidRow] = []
    count = 0

    def pending() -> Iterator[SourceRow]:
        nonlocal count
        for source in read_rows(path, file_format):
            count += 1
            if source.row >= resumed_from:  # the rows before were committed by a stopped run
                yield source

    for checked in validate_rows(pending(), today, workers=workers):
        if isinstance(checked, list):
            errors += checked
            if len(errors) >= MAX_ERRORS:
                break
        else:
            valid.append(checked)
    units = _units({r.unit_key for r in valid})
    _check_file(valid, errors, units)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row), count)
    _open_books(valid, units, create=False)
    todo = _split_present(valid, errors)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row), count)
    if run is None:
        run = ImportRun.objects.create(
            file_sha256=digest, file_name=path.name[:255], file_format=file_format, rows=count
        )
    result = ImportResult(run_id=run.pk, rows=count, resumed_from=resumed_from)
    for start in range(0, len(todo), batch_rows):
        chunk = todo[start : start + batch_rows]
        last_row = todo[start + batch_rows].row if start + batch_rows < len(todo) else count + 2
        _import_batch(run, chunk, units, digest, file_format, next_row=last_row)
        result.added += len(chunk)
        result.batches += 1
        if progress is not None:
            progress(result)
    ImportRun.objects.filter(pk=run.pk).update(
        state=ImportRun.State.DONE,
        finished_at=timezone.now(),
        rows_done=count + 2,
        present=count - F("added"),
    )
    result.present = len(valid) - len(todo)
    return result


@transaction.atomic
def _import_batch(
    run: ImportRun,
    rows: list[ValidRow],
    units: dict[tuple[str, bool], Unit | None],
    digest: str,
    file_format: str,
    *,
    next_row: int,
) -> None:
    _open_books(rows, units, create=True)
    batch, keys = build_batch(rows, run.pk)
    record_ids = write_batch(batch)
    last: dict[int, int] = defaultdict(int)
    for book_id, number in keys:
        last[book_id] = max(last[book_id], number)
    if last:
        Book.objects.filter(pk__in=list(last)).update(
            last_entry_number=Greatest(
                F("last_entry_number"),
                Case(*(When(pk=pk, then=Value(n)) for pk, n in last.items())),
            )
        )
    ImportRun.objects.filter(pk=run.pk).update(
        rows_done=next_row,
        added=F("added") + len(rows),
        batches=F("batches") + 1,
    )
    audit_bulk(
        actor=None,
        action="bulk",
        object_type=OBJECT_TYPE,
        object_ids=record_ids,
        detail={
            "import_run": run.pk,
            "file_sha256": digest,
            "format": file_format,
            "rows": [rows[0].row, rows[-1].row],
        },
    )
